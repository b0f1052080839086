import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../local/system';
import { readMailbox } from '../support/local-system';
import { freePort } from '../support/ports';
import { admin, configureContacts, PEOPLE } from './onboarding-support';
import {
  createOnboarding,
  driveUntil,
  expectedOutcome,
  HEALTHY_OUTCOME,
  isLive,
  type Json,
  type Target,
} from './resilience-support';

/**
 * Local mode keeps what it had (issue 8): `npm start` killed with SIGKILL in the middle of steps 3, 6 and
 * 10 and started again on the same data directory comes back with the onboarding where it was (the
 * recovery at start-up resumes it, no admin command), the deadline it had, the mailbox it showed, and it
 * ends LIVE with one code per service and no approval lost.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'etaal-restart-'));
let child: ChildProcess | undefined;
afterAll(() => {
  if (child?.pid && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const ports = { api: 0, mailbox: 0 };

/** Starts local mode (local/start.ts, what `npm start` runs) in its own process group; resolves when ready. */
async function start(): Promise<{ apiUrl: string; mailboxUrl: string }> {
  const spawned = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    cwd: REPOSITORY_ROOT,
    env: {
      ...process.env,
      PORT: String(ports.api),
      MAILBOX_PORT: String(ports.mailbox),
      ETAAL_LOCAL_DATA_DIR: dataDir,
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = spawned;
  let output = '';
  spawned.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  spawned.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const match = /^API: (\S+)$[\s\S]*^Mailbox: (\S+)$/m.exec(output);
    if (match) return { apiUrl: match[1] as string, mailboxUrl: match[2] as string };
    if (spawned.exitCode !== null || Date.now() > deadline)
      throw new Error(`local mode did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** SIGKILL to the whole group, as a crash or `kill -9` would; resolves once the process is gone. */
async function crash(): Promise<void> {
  const running = child as ChildProcess;
  const exited = new Promise((resolve) => running.once('exit', resolve));
  process.kill(-(running.pid as number), 'SIGKILL');
  await exited;
}

const waitsFor = (s: Json, step: number, role: string) =>
  s.currentStep === step && s.steps[step - 1].waitingFor.some((w: { role: string }) => w.role === role);

it('comes back after SIGKILL in steps 3, 6 and 10 with the onboarding where it was, and ends LIVE', async () => {
  ports.api = await freePort();
  ports.mailbox = await freePort();
  const urls = await start();
  const runtimeFile = join(dataDir, 'runtime.json');
  const { apiKey } = (await admin(runtimeFile, [
    'department',
    'add',
    '--code',
    'TPT',
    '--name',
    'Transport',
  ])) as {
    apiKey: string;
  };
  await configureContacts(runtimeFile);
  const target: Target = { ...urls, apiKey };
  const id = await createOnboarding(target, ['Driving licence', 'Vehicle registration']);

  // Step 3: templates submitted, the HoD's link emailed; then the crash.
  const atStep3 = await driveUntil(target, id, (s) => waitsFor(s, 3, 'competentAuthority'));
  await driveUntil(target, id, () => true);
  const mailBefore = (await readMailbox(urls.mailboxUrl)).length;
  await crash();
  const again = await start();
  expect(again).toEqual(urls);
  // The mailbox shows what it showed (and the HoD's resent link), the step keeps its deadline.
  expect((await readMailbox(urls.mailboxUrl)).length).toBeGreaterThanOrEqual(mailBefore);
  const resumed3 = await driveUntil(target, id, (s) => waitsFor(s, 3, 'competentAuthority'));
  expect(resumed3.steps[2].dueAt).toBe(atStep3.steps[2].dueAt);

  // Step 6: DeGS has the "Register services" link; crash before it is used.
  await driveUntil(target, id, (s) => waitsFor(s, 6, 'degsTechnical'));
  await crash();
  await start();

  // Step 10: one of the two state-level approvals given; crash before the other.
  const half = await driveUntil(target, id, (s) => s.currentStep === 10 && s.steps[9].decisions.length === 1);
  expect(half.steps[9].decisions).toHaveLength(1);
  await crash();
  await start();

  const live = await driveUntil(target, id, isLive);
  expect(expectedOutcome(live)).toEqual(HEALTHY_OUTCOME);
  const mail = await readMailbox(urls.mailboxUrl);
  const handOvers = mail.filter(
    (e) => e.to.includes(PEOPLE.nodalOfficer) && e.subject.includes('Step 7 of 12'),
  );
  expect(handOvers).toHaveLength(1);
  // The first email of the onboarding (step 2) survived three crashes.
  expect(mail.some((e) => e.subject.includes('Step 2 of 12') && (e.text ?? '').includes(id))).toBe(true);
  await crash();
}, 300_000);
