import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../local/system';
import { freePort } from '../support/ports';

const started: { child: ChildProcess; dataDir: string }[] = [];

afterEach(() => {
  for (const { child, dataDir } of started.splice(0)) {
    // Only when a test failed half-way: the whole group npm started.
    if (child.pid && groupAlive(child.pid)) process.kill(-child.pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `npm start` in its own process group, as a terminal runs a foreground job; resolves once it is ready. */
async function npmStart(
  env: Record<string, string> = {},
): Promise<{ pid: number; port: number; apiUrl: string; mailboxUrl: string }> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'etaal-start-'));
  const child = spawn('npm', ['start'], {
    cwd: REPOSITORY_ROOT,
    env: {
      ...withoutConnectorCredentials(process.env),
      PORT: String(port),
      MAILBOX_PORT: String(await freePort()),
      ETAAL_LOCAL_DATA_DIR: dataDir,
      ...env,
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push({ child, dataDir });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const [, apiUrl, mailboxUrl] = await until(
    'the API and Mailbox lines',
    () =>
      /^API: (http:\/\/127\.0\.0\.1:\d+)$[\s\S]*^Mailbox: (http:\/\/127\.0\.0\.1:\d+)$/m.exec(output) ??
      undefined,
    15_000,
  );
  return { pid: child.pid as number, port, apiUrl: apiUrl as string, mailboxUrl: mailboxUrl as string };
}

function withoutConnectorCredentials(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { ETAAL_CONNECTOR_USERNAME: _user, ETAAL_CONNECTOR_PASSWORD: _password, ...rest } = env;
  return rest;
}

/** The README's connector example, run as written in a shell with API set (and the given variables). */
function readmeConnectorExample(apiUrl: string, env: Record<string, string> = {}): string {
  const readme = readFileSync(join(REPOSITORY_ROOT, 'README.md'), 'utf8');
  const block = /<!-- connector-example:start[^>]*-->\s*```sh\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('README.md has no connector example block');
  return execFileSync('bash', ['-euc', block], {
    env: { PATH: process.env.PATH ?? '', API: apiUrl, ...env },
    encoding: 'utf8',
  });
}

/** Both answers of the example are row sets of the date (an empty day), not the -2 of wrong credentials. */
function expectAnsweredTwice(output: string): void {
  // The example asks for yesterday (as the README computes it), so it works on any day.
  const yesterday = new Date(Date.now() - 864e5).toLocaleDateString('en-GB');
  expect(output.split(`<ETransactionCount TransactionDate="${yesterday}">`)).toHaveLength(3);
  expect(output).not.toContain('-2');
}

it('npm start serves the API and the mailbox, and Ctrl-C stops every process it started', async () => {
  const { pid, port, apiUrl, mailboxUrl } = await npmStart();

  expect(apiUrl).toBe(`http://127.0.0.1:${port}`);
  expect((await fetch(`${apiUrl}/health`)).status).toBe(200);
  const mailbox = await fetch(mailboxUrl);
  expect(mailbox.status).toBe(200);
  expect(mailbox.headers.get('content-type')).toMatch(/text\/html/);
  // The README's connector example works as written with the credentials npm start uses.
  expectAnsweredTwice(readmeConnectorExample(apiUrl));
  const reference = await fetch(`${apiUrl}/docs`);
  expect(reference.status).toBe(200);
  expect(await reference.text()).toContain('<redoc spec-url="v1/openapi.json"');

  // Ctrl-C: the terminal signals the whole foreground process group.
  process.kill(-pid, 'SIGINT');
  await until('every process of the group to exit', () => (groupAlive(pid) ? undefined : true), 15_000);
  await expect(fetch(`${apiUrl}/health`)).rejects.toThrow();
}, 45_000);

it('stops every process when only npm itself receives SIGTERM (started with its own connector credentials)', async () => {
  const credentials = { ETAAL_CONNECTOR_USERNAME: 'nic-poller', ETAAL_CONNECTOR_PASSWORD: 'own secret: 42' };
  const { pid, apiUrl } = await npmStart(credentials);
  // ETAAL_CONNECTOR_USERNAME / _PASSWORD set the local credentials: the defaults no longer work, these do.
  expect(readmeConnectorExample(apiUrl)).toContain('<ServiceCode>-2</ServiceCode>');
  expectAnsweredTwice(readmeConnectorExample(apiUrl, credentials));

  process.kill(pid, 'SIGTERM');

  await until('every process of the group to exit', () => (groupAlive(pid) ? undefined : true), 15_000);
  await expect(fetch(`${apiUrl}/health`)).rejects.toThrow();
}, 45_000);
