import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BUCKETS } from './buckets';
import { readSetting, SETTINGS, type SettingName, settingEnvironment } from './settings';
import { TABLES } from './tables';

const LAMBDAS = join(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'client' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('settings (every environment variable a handler reads, declared once)', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('are the only way lambdas/ reads the environment: a handler reading an undeclared variable fails here', () => {
    const readers = sourceFiles(LAMBDAS)
      .filter((file) => /process\.env|import\.meta\.env/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(LAMBDAS, file));
    expect(readers).toEqual(['shared/settings.ts']);
    // Names without a setting (tables, buckets) are read only by their own declarations' modules.
    const byName = sourceFiles(LAMBDAS)
      .filter((file) => readFileSync(file, 'utf8').includes('requiredVariable('))
      .map((file) => relative(LAMBDAS, file))
      .sort();
    expect(byName).toEqual(['shared/buckets.ts', 'shared/settings.ts', 'shared/tables.ts']);
  });

  it('have one name each, distinct from the tables’ and buckets’', () => {
    const names = [
      ...Object.values(SETTINGS).map((s) => s.envVar),
      ...Object.values(TABLES).map((t) => t.envVar),
      ...Object.values(BUCKETS).map((b) => b.envVar),
    ];
    expect(new Set(names).size).toBe(names.length);
    for (const spec of Object.values(SETTINGS)) expect(spec.description.length).toBeGreaterThan(20);
  });

  it('parse with their defaults: unset, blank and nonsense give the default, never NaN', () => {
    const cases: [SettingName, string | undefined, unknown][] = [
      ['countsRequestsPerMinute', undefined, 60],
      ['countsRequestsPerMinute', '0', 60],
      ['countsRequestsPerMinute', '2.5', 60],
      ['countsRequestsPerMinute', '40', 40],
      ['maxOpenOnboardings', 'many', 3],
      ['onboardingsPerHour', '', 5],
      ['remindersPerRecipientPerDay', '-1', 10],
      ['emailSendAttempts', '0', 1],
      ['emailSendAttempts', ' ', 3],
      ['emailRetryBaseMs', '0', 0],
      ['timeScale', '1440.5', 1440.5],
      ['timeScale', '0.5', 1],
      ['escalationLimit', '0', 3],
      ['hodSignaturePolicy', 'sometimes', 'required'],
      ['hodSignaturePolicy', 'off', 'off'],
      ['connectorUrlCredentials', 'TRUE', false],
      ['connectorUrlCredentials', 'true', true],
      ['sesConfigurationSet', '', undefined],
      ['serviceName', undefined, 'etaal-delhi'],
      ['publicBaseUrl', 'https://api.example.org/prod//', 'https://api.example.org/prod'],
    ];
    for (const [name, raw, expected] of cases) {
      vi.stubEnv(SETTINGS[name].envVar, raw);
      expect(readSetting(name), `${name} = ${JSON.stringify(raw)}`).toEqual(expected);
    }
  });

  it('refuse to run without a value the deployment must give, naming the variable', () => {
    vi.stubEnv('STATE_MACHINE_ARN', undefined);
    expect(() => readSetting('stateMachineArn')).toThrow('Missing environment variable STATE_MACHINE_ARN');
  });

  it('are set by lib/ and local mode from the same declarations, with texts their parsers read back', () => {
    const env = settingEnvironment({ escalationLimit: 4, connectorUrlCredentials: true, timeScale: 60 });
    expect(env).toEqual({ ESCALATION_LIMIT: '4', CONNECTOR_URL_CREDENTIALS: 'true', ETAAL_TIME_SCALE: '60' });
    for (const [envVar, value] of Object.entries(env)) vi.stubEnv(envVar, value);
    expect([
      readSetting('escalationLimit'),
      readSetting('connectorUrlCredentials'),
      readSetting('timeScale'),
    ]).toEqual([4, true, 60]);
  });
});
