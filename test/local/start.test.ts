import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../local/system';

const started: { child: ChildProcess; dataDir: string }[] = [];

afterEach(() => {
  for (const { child, dataDir } of started.splice(0)) {
    // Only when a test failed half-way: the whole group npm started.
    if (child.pid && groupAlive(child.pid)) process.kill(-child.pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

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
async function npmStart(): Promise<{ pid: number; port: number; apiUrl: string; mailboxUrl: string }> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'etaal-start-'));
  const child = spawn('npm', ['start'], {
    cwd: REPOSITORY_ROOT,
    env: { ...process.env, PORT: String(port), ETAAL_LOCAL_DATA_DIR: dataDir },
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

it('npm start serves the API and the mailbox, and Ctrl-C stops every process it started', async () => {
  const { pid, port, apiUrl, mailboxUrl } = await npmStart();

  expect(apiUrl).toBe(`http://127.0.0.1:${port}`);
  expect((await fetch(`${apiUrl}/health`)).status).toBe(200);
  const mailbox = await fetch(mailboxUrl);
  expect(mailbox.status).toBe(200);
  expect(mailbox.headers.get('content-type')).toMatch(/text\/html/);
  const reference = await fetch(`${apiUrl}/docs`);
  expect(reference.status).toBe(200);
  expect(await reference.text()).toContain('<redoc spec-url="v1/openapi.json"');

  // Ctrl-C: the terminal signals the whole foreground process group.
  process.kill(-pid, 'SIGINT');
  await until('every process of the group to exit', () => (groupAlive(pid) ? undefined : true), 15_000);
  await expect(fetch(`${apiUrl}/health`)).rejects.toThrow();
}, 45_000);

it('stops every process when only npm itself receives SIGTERM', async () => {
  const { pid, apiUrl } = await npmStart();

  process.kill(pid, 'SIGTERM');

  await until('every process of the group to exit', () => (groupAlive(pid) ? undefined : true), 15_000);
  await expect(fetch(`${apiUrl}/health`)).rejects.toThrow();
}, 45_000);
