import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApprovalId } from '../../lambdas/approvals/approval';
import { issueApproval } from '../../lambdas/approvals/issue';
import { pendingLinksOf } from '../../lambdas/approvals/pending-links';
import { recordDecision } from '../../lambdas/approvals/repository';
import {
  claimDigest,
  DIGEST_LEASE_SECONDS,
  markDigestSent,
  releaseDigest,
} from '../../lambdas/onboarding/reminders/sent-marker';
import { startDynalite, type TestDynamo } from '../support/dynamo';

/**
 * The two reads and writes the status view and the reminders add on the emulator: which links of an
 * onboarding are pending (byOnboarding index), and the once-a-day claim of a digest (Limits table).
 */
let db: TestDynamo;
const previousBaseUrl = process.env.PUBLIC_BASE_URL;

beforeAll(async () => {
  db = await startDynalite({ tablePrefix: 'pending-links-test-' });
  db.applyEnv();
  process.env.PUBLIC_BASE_URL = 'https://etaal.example.test';
});
afterAll(async () => {
  process.env.PUBLIC_BASE_URL = previousBaseUrl;
  await db?.stop();
});

const ONBOARDING = '0b0b0b0b-0000-8000-8000-0000000000a1';
const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();
const issue = (
  step: 4 | 10,
  role: 'etaalNodalContact' | 'stateCommittee',
  token: string,
  onboardingId = ONBOARDING,
) =>
  issueApproval({
    onboardingId,
    departmentId: 'dept-1',
    step,
    role,
    taskToken: token,
    expiresAt: inAnHour(),
    choices: ['approve', 'reject'],
  });

describe('pending links of an onboarding', () => {
  it('finds the live, undecided links only, and never reads a task token', async () => {
    await issue(4, 'etaalNodalContact', 'superseded-token');
    await issue(4, 'etaalNodalContact', 'live-token');
    const decided = await issue(10, 'stateCommittee', 'decided-token');
    await issue(10, 'etaalNodalContact', 'other-token', '0b0b0b0b-0000-8000-8000-0000000000a2');
    const decidedHash = hashApprovalId(decided.url.split('/').at(-1) as string);
    await recordDecision(
      decidedHash,
      { decision: 'approve', role: 'stateCommittee', decidedAt: new Date().toISOString() },
      new Date(),
    );

    const links = await pendingLinksOf(ONBOARDING, new Date());

    expect(links).toEqual([
      {
        onboardingId: ONBOARDING,
        step: 4,
        role: 'etaalNodalContact',
        createdAt: expect.any(String),
        expiresAt: expect.any(String),
      },
    ]);
    expect(JSON.stringify(links)).not.toContain('token');
    expect(await pendingLinksOf(ONBOARDING, new Date(Date.now() + 2 * 3600_000))).toEqual([]);
  });
});

describe('one digest per person and day', () => {
  const now = new Date('2026-11-18T04:30:00Z');
  const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

  it('lets one run claim it; another run only after a claim that neither sent nor released ran out', async () => {
    expect(await claimDigest('ritu@delhi.gov.in', '2026-11-18', now)).toBe(true);
    expect(await claimDigest('RITU@delhi.gov.in', '2026-11-18', later(10))).toBe(false);
    expect(await claimDigest('ritu@delhi.gov.in', '2026-11-19', later(10))).toBe(true);
    expect(await claimDigest('ritu@delhi.gov.in', '2026-11-18', later(DIGEST_LEASE_SECONDS + 1))).toBe(true);
  });

  it('never again once sent; at once again after a failed send gave it back', async () => {
    expect(await claimDigest('amit@delhi.gov.in', '2026-11-18', now)).toBe(true);
    await markDigestSent('amit@delhi.gov.in', '2026-11-18', now);
    await releaseDigest('amit@delhi.gov.in', '2026-11-18');
    expect(await claimDigest('amit@delhi.gov.in', '2026-11-18', later(DIGEST_LEASE_SECONDS * 10))).toBe(
      false,
    );

    expect(await claimDigest('asha@delhi.gov.in', '2026-11-18', now)).toBe(true);
    await releaseDigest('asha@delhi.gov.in', '2026-11-18');
    expect(await claimDigest('asha@delhi.gov.in', '2026-11-18', later(1))).toBe(true);
  });
});
