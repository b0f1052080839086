import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readMailbox } from '../support/local-system';
import { approvalLink, createBody, description, PEOPLE } from './onboarding-support';

// biome-ignore lint/suspicious/noExplicitAny: API answers are asserted field by field
export type Json = Record<string, any>;

/**
 * A department and its approvers as a robot, over HTTP only (API, mailbox, approval pages): each `act`
 * does the one thing the onboarding waits for now (submit templates, or approve from the newest link
 * of the step in the mailbox), and approves everything. Used by the resilience tests, where links are
 * superseded and systems restart under it: a link that answers 410 or has no form is simply skipped.
 */
export interface Target {
  readonly apiUrl: string;
  readonly mailboxUrl: string;
  readonly apiKey: string;
}

const PERSON: Record<string, string> = {
  competentAuthority: PEOPLE.hod,
  etaalNodalContact: PEOPLE.etaalNodalContact,
  degsTechnical: PEOPLE.degsTechnical,
  stateCommittee: PEOPLE.stateCommittee,
  centralCommittee: PEOPLE.centralCommittee,
};

const headers = (t: Target) => ({ 'x-api-key': t.apiKey, 'content-type': 'application/json' });

/** A new onboarding whose nodal officer is `nodalOfficer` (so a test can make only its mail fail). */
export async function createOnboarding(
  t: Target,
  services: readonly string[],
  nodalOfficer: string = PEOPLE.nodalOfficer,
): Promise<string> {
  const body = createBody(services);
  const r = await fetch(`${t.apiUrl}/v1/onboardings`, {
    method: 'POST',
    headers: headers(t),
    body: JSON.stringify({ ...body, nodalOfficer: { ...body.nodalOfficer, email: nodalOfficer } }),
  });
  if (r.status !== 201) throw new Error(`POST /v1/onboardings: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { onboardingId: string }).onboardingId;
}

export async function status(t: Target, id: string): Promise<Json> {
  const r = await fetch(`${t.apiUrl}/v1/onboardings/${id}`, { headers: headers(t) });
  if (r.status !== 200) throw new Error(`GET onboarding: ${r.status}`);
  return (await r.json()) as Json;
}

async function approveNewest(t: Target, id: string, to: string, step: number): Promise<boolean> {
  const mails = (await readMailbox(t.mailboxUrl)).filter(
    (e) => e.to.includes(to) && e.subject.includes(`Step ${step} of 12`) && (e.text ?? '').includes(id),
  );
  const newest = mails.at(-1);
  if (!newest) return false;
  const url = approvalLink(newest);
  const page = await fetch(url);
  if (page.status !== 200) return false;
  const nonce = /name="nonce" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!nonce) return false;
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'e2e-browser' },
    body: new URLSearchParams({ nonce, decision: 'approve' }),
  });
  return r.status === 200;
}

async function submitTemplates(t: Target, id: string, services: readonly { serviceName: string }[]) {
  const body = {
    services: services.map((s, i) => ({
      serviceName: s.serviceName,
      serviceDescription: description(110 + i),
      deliveryMode: 'Online',
      category: 'G2C',
      missionModeProject: false,
    })),
  };
  const r = await fetch(`${t.apiUrl}/v1/onboardings/${id}/templates`, {
    method: 'PUT',
    headers: headers(t),
    body: JSON.stringify(body),
  });
  return r.status === 202;
}

/** Does the one thing the onboarding waits for, if anything; answers what it did. */
export async function act(t: Target, id: string): Promise<string | undefined> {
  const s = await status(t, id);
  if (s.status !== 'IN_PROGRESS' && s.status !== 'STALLED') return undefined;
  const step = s.steps[s.currentStep - 1];
  if (step.status !== 'active' && step.status !== 'overdue') return undefined;
  for (const { role } of step.waitingFor as { role: string }[]) {
    if (role === 'department' && (await submitTemplates(t, id, s.services)))
      return `templates@${s.currentStep}`;
    const person = PERSON[role];
    if (person && (await approveNewest(t, id, person, s.currentStep))) return `${role}@${s.currentStep}`;
  }
  return undefined;
}

/** Acts until `done(status)` holds (checked before each act); returns that status. */
export async function driveUntil(
  t: Target,
  id: string,
  done: (s: Json) => boolean,
  timeoutMs = 90_000,
): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await status(t, id);
    if (done(s)) return s;
    if (Date.now() > deadline)
      throw new Error(`Onboarding ${id} stuck: ${JSON.stringify(s.status)} at step ${s.currentStep}`);
    if (!(await act(t, id))) await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const isLive = (s: Json) => s.status === 'LIVE';

/** What a LIVE onboarding must show after any failure: one code per service, every approval kept. */
export function expectedOutcome(s: Json) {
  const codes = (s.serviceCodes ?? []).map((c: { serviceCode: string }) => c.serviceCode);
  return {
    status: s.status,
    codesPerService: codes.length / s.services.length,
    uniqueCodes: new Set(codes).size === codes.length,
    approvalsAtStep10: s.steps[9].decisions.filter((d: { decision: string }) => d.decision === 'approve')
      .length,
    stepsDone: s.steps.every((step: { status: string }) => step.status === 'done'),
  };
}

export const HEALTHY_OUTCOME = {
  status: 'LIVE',
  codesPerService: 1,
  uniqueCodes: true,
  approvalsAtStep10: 2,
  stepsDone: true,
};

/**
 * An SES that fails on purpose: an HTTP proxy in front of the local SES emulator that answers SendEmail
 * with SES's MessageRejected error when the test says so (for the next N sends, or for good, optionally
 * only for one recipient), and passes everything else through.
 */
export interface FaultySes {
  readonly endpoint: string;
  target: string;
  /** Rejects the next `n` sends (to `recipient` only, when given). */
  failNext(n: number, recipient?: string): void;
  /** Rejects every send (to `recipient` only, when given) until `heal`. */
  failAlways(recipient?: string): void;
  heal(recipient?: string): void;
  readonly rejected: number;
  stop(): Promise<void>;
}

export async function startFaultySes(): Promise<FaultySes> {
  const rules = new Map<string, number>(); // recipient ('' = any) -> sends left to reject (Infinity: for good)
  let rejected = 0;
  const state = { target: '' };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.method === 'POST' && req.url?.startsWith('/v2/email/outbound-emails')) {
        const to: string[] =
          (JSON.parse(body.toString('utf8')) as { Destination?: { ToAddresses?: string[] } }).Destination
            ?.ToAddresses ?? [];
        const key = [...rules.keys()].find((r) => (r === '' || to.includes(r)) && (rules.get(r) ?? 0) > 0);
        if (key !== undefined) {
          rules.set(key, (rules.get(key) ?? 1) - 1);
          rejected += 1;
          res.writeHead(400, { 'content-type': 'application/json', 'x-amzn-errortype': 'MessageRejected' });
          res.end(JSON.stringify({ message: 'Email address is not verified (injected by the test).' }));
          return;
        }
      }
      const target = new URL(state.target);
      const forward = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get target() {
      return state.target;
    },
    set target(value: string) {
      state.target = value;
    },
    failNext: (n, recipient = '') => rules.set(recipient, n),
    failAlways: (recipient = '') => rules.set(recipient, Number.POSITIVE_INFINITY),
    heal: (recipient = '') => rules.delete(recipient),
    get rejected() {
      return rejected;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
