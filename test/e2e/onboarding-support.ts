import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { type AdminCliResult, runAdminCli } from '../support/admin-cli';
import {
  eventually,
  type LocalSystemFixture,
  type MailboxEmail,
  withLocalSystem,
} from '../support/local-system';

/**
 * Helpers for the onboarding end-to-end tests: everything goes over HTTP (the API, the approval pages,
 * the mailbox) or through the admin CLI, as a department, an approver and an admin would.
 */
export const PEOPLE = {
  nodalOfficer: 'nodal.officer@rev.example',
  hod: 'hod@rev.example',
  etaalNodalContact: 'etaal.nodal@degs.example',
  degsTechnical: 'degs.tech@degs.example',
  stateCommittee: 'state.committee@degs.example',
  etaalCentralTeam: 'central.team@etaal.example',
  centralCommittee: 'central.committee@etaal.example',
  escalation: 'escalation@degs.example',
} as const;

/** Runs the admin CLI against the local runtime file: its exit code and output as text (e.g. a table). */
export function adminText(runtimeFile: string, args: string[]): Promise<AdminCliResult> {
  return runAdminCli([...args, '--runtime-file', runtimeFile]);
}

/** Runs the admin CLI against the local runtime file: its exit code, JSON result and messages. */
export async function adminRun(
  runtimeFile: string,
  args: string[],
): Promise<{ code: number; result: Record<string, unknown> | undefined; stderr: string }> {
  const { code, stdout, stderr } = await adminText(runtimeFile, args);
  return {
    code,
    result: stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : undefined,
    stderr,
  };
}

/** Runs the admin CLI against the local runtime file; async, as dynalite runs in this process. */
export async function admin(runtimeFile: string, args: string[]): Promise<Record<string, unknown>> {
  const { code, result, stderr } = await adminRun(runtimeFile, args);
  if (code !== 0 || !result) throw new Error(`admin ${args.join(' ')}: ${stderr}`);
  return result;
}

export async function configureContacts(runtimeFile: string): Promise<void> {
  const roles = [
    'etaalNodalContact',
    'degsTechnical',
    'stateCommittee',
    'etaalCentralTeam',
    'centralCommittee',
    'escalation',
  ] as const;
  // One process per role, side by side: each role is its own item.
  await Promise.all(
    roles.map((role) => admin(runtimeFile, ['contacts', 'set', '--role', role, '--email', PEOPLE[role]])),
  );
}

/** A department added with the admin CLI, and its API: requests with its key, JSON unless told otherwise. */
async function addDepartment(local: LocalSystemFixture, code: string, name: string) {
  const runtimeFile = local.system.runtimeFile as string;
  const { apiKey } = (await admin(runtimeFile, ['department', 'add', '--code', code, '--name', name])) as {
    apiKey: string;
  };
  const api = (path: string, init: RequestInit = {}) =>
    local.api(path, {
      ...init,
      headers: { 'x-api-key': apiKey, 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
  return { apiKey, api };
}

/** A department (./addDepartment) with the contacts of every role configured. */
export async function departmentApi(local: LocalSystemFixture, code: string, name: string) {
  await configureContacts(local.system.runtimeFile as string);
  return addDepartment(local, code, name);
}

export function createBody(serviceNames: readonly string[]) {
  return {
    nodalOfficer: {
      name: 'Asha Verma',
      designation: 'IT in-charge',
      email: PEOPLE.nodalOfficer,
      phone: '+91 11 2339 0000',
    },
    competentAuthority: { name: 'R. K. Singh', designation: 'Secretary (Revenue)', email: PEOPLE.hod },
    services: serviceNames.map((serviceName) => ({ serviceName })),
  };
}

export function description(words = 120): string {
  return Array.from({ length: words }, (_, i) => `word${i}`).join(' ');
}

/** The `n`th email (0-based) to `to` about SoP step `step` (of one onboarding, when `reference` is given). */
export function mailFor(
  local: LocalSystemFixture,
  to: string,
  step: number,
  n = 0,
  reference?: string,
): Promise<MailboxEmail> {
  return eventually(
    `email ${n + 1} to ${to} for step ${step}`,
    async () =>
      (await local.emails()).filter(
        (e) =>
          e.to.includes(to) &&
          e.subject.includes(`Step ${step} of 12`) &&
          (reference === undefined || (e.text ?? '').includes(reference)),
      )[n],
    20_000,
  );
}

export function approvalLink(email: MailboxEmail): string {
  const url = /https?:\/\/[^\s"<]+\/approvals\/[A-Za-z0-9_-]+/.exec(email.text ?? '')?.[0];
  if (!url) throw new Error(`No approval link in "${email.subject}"`);
  return url;
}

/** Opens the approval page like a browser, then posts the decision with the page's nonce. */
export async function decide(
  url: string,
  decision: 'approve' | 'return' | 'reject',
  comment?: string,
): Promise<string> {
  const page = await fetch(url);
  expect(page.status).toBe(200);
  const nonce = /name="nonce" value="([^"]+)"/.exec(await page.text())?.[1];
  expect(nonce).toBeDefined();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'e2e-browser' },
    body: new URLSearchParams({ nonce: nonce as string, decision, ...(comment ? { comment } : {}) }),
  });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return text;
}

/** Whether a local execution runs `onboardingId` (its first or a resumed one: the input names it). */
export function runsOnboarding(execution: { input: string }, onboardingId: string): boolean {
  return (JSON.parse(execution.input) as { onboardingId?: string }).onboardingId === onboardingId;
}

/**
 * The local system of one test file on a temporary data directory (the admin CLI finds it through its
 * runtime.json), removed after the file; workflow retries pause 10 ms.
 */
export function withSystemOnDisk(prefix: string): { dataDir: string; local: LocalSystemFixture } {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  return { dataDir, local: withLocalSystem({ dataDir, retryIntervalMs: 10 }) };
}

/**
 * A department as its developers use the API: added with the admin CLI, then its key on every request;
 * `start` creates an onboarding, `submit` sends templates for the services once the workflow takes them.
 */
export async function departmentClient(local: LocalSystemFixture, code: string, name: string) {
  const { api } = await addDepartment(local, code, name);
  return {
    api,
    // biome-ignore lint/suspicious/noExplicitAny: API answers are asserted field by field
    status: async (id: string) => (await (await api(`/v1/onboardings/${id}`)).json()) as Record<string, any>,
    async start(services: readonly string[]): Promise<string> {
      const created = await api('/v1/onboardings', {
        method: 'POST',
        body: JSON.stringify(createBody(services)),
      });
      expect(created.status).toBe(201);
      return ((await created.json()) as { onboardingId: string }).onboardingId;
    },
    async submit(onboardingId: string, services: readonly string[], deliveryMode = 'Online'): Promise<void> {
      const templates = services.map((serviceName) => ({
        serviceName,
        serviceDescription: description(),
        deliveryMode,
        category: 'G2C',
        missionModeProject: false,
      }));
      await submitTemplates(api, onboardingId, templates);
    },
  };
}

/**
 * PUTs the templates once the workflow takes them (it answers 409 until its step-3 wait has started) and
 * expects 202; returns that answer.
 */
export async function submitTemplates(
  api: (path: string, init?: RequestInit) => Promise<Response>,
  onboardingId: string,
  services: readonly object[],
): Promise<Response> {
  const submitted = await eventually('the workflow to take templates', async () => {
    const r = await api(`/v1/onboardings/${onboardingId}/templates`, {
      method: 'PUT',
      body: JSON.stringify({ services }),
    });
    return r.status === 409 ? undefined : r;
  });
  expect(submitted.status).toBe(202);
  return submitted;
}
