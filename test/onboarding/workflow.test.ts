import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../../lambdas/core/calendar';
import { SEED_HOLIDAY_CALENDARS } from '../../lambdas/core/holidays-seed';
import { type Role, SOP_STEPS, sopStep } from '../../lambdas/core/sop';
import {
  type DecisionRecord,
  isStalled,
  isStepComplete,
  latestReturn,
  MAX_AMENDMENT_ROUNDS,
  MAX_HOD_RETURNS,
  returnAnswered,
  secondsUntil,
} from '../../lambdas/core/workflow';
import { describeSteps, predictedGoLive } from '../../lambdas/onboarding/api/status-view';
import { STEPS } from '../../lambdas/onboarding/steps';
import { choicesFor, returnCounterOf, WAITS, waitTable } from '../../lambdas/onboarding/workflow/waits';
import { SETTINGS } from '../../lambdas/shared/settings';
import { onboardingFixture } from './fixtures';

const calendar = createWorkingCalendar(SEED_HOLIDAY_CALENDARS, { onMissingYear: () => {} });
const approve = (role: Role | 'system'): DecisionRecord => ({
  role,
  decision: 'approve',
  decidedAt: '2026-11-20T05:00:00.000Z',
});

describe('the waits of the workflow', () => {
  it('are only at steps where people act, with the SoP working days (step 4 resubmission: its loop days)', () => {
    for (const wait of Object.values(WAITS)) {
      const step = SOP_STEPS.find((s) => s.number === wait.step);
      expect(step?.completion.kind).not.toBe('automatic');
      const days =
        wait.phase === 'resubmission' || wait.phase === 'amendmentSignOff'
          ? step?.amendmentLoop?.resubmissionWorkingDays
          : step?.workingDays;
      expect(wait.workingDays).toBe(days);
    }
  });

  it('takes each wait from its step module, which numbers it, and refuses a table with a wait missing or twice', () => {
    for (const module of STEPS) {
      // A wait that says nothing of its deadline keeps the step's.
      const stepDeadline = { workingDays: sopStep(module.number).workingDays, clock: 'step' };
      for (const wait of module.waits ?? [])
        expect(WAITS[wait.phase]).toEqual({ step: module.number, ...stepDeadline, ...wait });
    }
    const withoutReview = STEPS.map((m) => ({ ...m, waits: m.waits?.filter((w) => w.phase !== 'review') }));
    expect(() => waitTable(withoutReview)).toThrow(/declare each wait of WAIT_PHASES once/);
    const twice = STEPS.map((m) => ({ ...m, waits: m.waits && [...m.waits, ...m.waits] }));
    expect(() => waitTable(twice)).toThrow(/declare each wait of WAIT_PHASES once/);
  });

  it('offers "return" to the reviewer and the HoD only, each until their own bound', () => {
    const none = { amendmentRounds: 0 };
    expect(choicesFor('review', none)).toEqual(['approve', 'return', 'reject']);
    expect(choicesFor('review', { amendmentRounds: MAX_AMENDMENT_ROUNDS })).toEqual(['approve', 'reject']);
    // The HoD's returns are counted apart: the reviewer's rounds do not take the HoD's away, nor back.
    expect(choicesFor('hodApproval', { amendmentRounds: MAX_AMENDMENT_ROUNDS })).toEqual([
      'approve',
      'return',
    ]);
    expect(choicesFor('hodApproval', { amendmentRounds: 0, hodReturns: MAX_HOD_RETURNS })).toEqual([
      'approve',
    ]);
    expect(choicesFor('amendmentSignOff', { amendmentRounds: 0, hodReturns: MAX_HOD_RETURNS - 1 })).toEqual([
      'approve',
      'return',
    ]);
    expect(choicesFor('review', { amendmentRounds: 0, hodReturns: MAX_HOD_RETURNS })).toContain('return');
    const returning = ['review', 'hodApproval', 'amendmentSignOff'];
    const others = Object.values(WAITS).filter((w) => !returning.includes(w.phase));
    for (const wait of others) expect(choicesFor(wait.phase, none)).not.toContain('return');
  });

  it('counts a return where its wait says, and only the HoD waits can be replaced by a new submission', () => {
    expect(returnCounterOf('review')).toBe('amendmentRounds');
    expect(returnCounterOf('hodApproval')).toBe('hodReturns');
    expect(returnCounterOf('amendmentSignOff')).toBe('hodReturns');
    expect(returnCounterOf('registration')).toBeUndefined();
    expect(returnCounterOf(undefined)).toBeUndefined();
    const replaceable = Object.values(WAITS).filter((w) => w.replaceable);
    expect(replaceable.map((w) => [w.phase, w.role])).toEqual([
      ['hodApproval', 'competentAuthority'],
      ['amendmentSignOff', 'competentAuthority'],
    ]);
  });

  it('finds the latest return of a step, whoever returned', () => {
    const at = (role: DecisionRecord['role'], decision: DecisionRecord['decision'], comment: string) => ({
      role,
      decision,
      comment,
      decidedAt: '2026-11-20T10:00:00.000Z',
    });
    expect(latestReturn(undefined)).toBeUndefined();
    expect(latestReturn({ decisions: [at('competentAuthority', 'approve', 'ok')] })).toBeUndefined();
    const state = {
      decisions: [
        at('etaalNodalContact', 'return', 'first'),
        at('competentAuthority', 'return', 'second'),
        at('competentAuthority', 'approve', 'fine'),
      ],
    };
    expect(latestReturn(state)?.comment).toBe('second');
  });

  it("compares a resubmission with the approver's own latest return, else the step's latest", () => {
    const returned = (role: DecisionRecord['role'], version: number): DecisionRecord => ({
      role,
      decision: 'return',
      decidedAt: '2026-11-20T10:00:00.000Z',
      templates: { version, submissionId: `s-${version}` },
    });
    const state = { decisions: [returned('etaalNodalContact', 3), returned('competentAuthority', 4)] };
    // The reviewer's round 2 answers their own return, even after the HoD returned the amendment.
    expect(returnAnswered(state, 'etaalNodalContact')?.templates?.version).toBe(3);
    expect(returnAnswered(state, 'competentAuthority')?.templates?.version).toBe(4);
    // The HoD signing off what the reviewer asked for sees the reviewer's return.
    expect(
      returnAnswered({ decisions: [returned('etaalNodalContact', 3)] }, 'competentAuthority')?.role,
    ).toBe('etaalNodalContact');
    expect(returnAnswered({ decisions: [] }, 'etaalNodalContact')).toBeUndefined();
  });
});

describe('isStepComplete', () => {
  it('needs both the e-Taal Nodal Contact and the State Committee at step 10', () => {
    expect(isStepComplete(10, [approve('etaalNodalContact')])).toBe(false);
    expect(isStepComplete(10, [approve('etaalNodalContact'), approve('stateCommittee')])).toBe(true);
  });

  it('completes step 8 with the test-counts signal or the DeGS link, and never on a return', () => {
    expect(isStepComplete(8, [approve('system')])).toBe(true);
    expect(isStepComplete(4, [{ ...approve('etaalNodalContact'), decision: 'return' }])).toBe(false);
  });
});

describe('escalation settings', () => {
  it('flags STALLED from the limit-th escalation and reads its settings defensively', () => {
    expect(isStalled(2, 3)).toBe(false);
    expect(isStalled(3, 3)).toBe(true);
    const escalationLimit = SETTINGS.escalationLimit;
    expect(escalationLimit.parse(undefined, escalationLimit.envVar)).toBe(3);
    expect(escalationLimit.parse('0', escalationLimit.envVar)).toBe(3);
    expect(escalationLimit.parse('5', escalationLimit.envVar)).toBe(5);
    expect(SETTINGS.timeScale.parse('abc', 'ETAAL_TIME_SCALE')).toBe(1);
    expect(SETTINGS.timeScale.parse('86400', 'ETAAL_TIME_SCALE')).toBe(86_400);
  });

  it('waits at least one second, even past the deadline', () => {
    const now = new Date('2026-11-20T00:00:00Z');
    expect(secondsUntil('2026-11-19T00:00:00Z', now, 1)).toBe(1);
    expect(secondsUntil('2026-11-20T00:01:00Z', now, 1)).toBe(60);
  });
});

describe('the status view', () => {
  const now = new Date('2026-11-23T06:00:00Z');

  it('shows done, active, overdue and pending steps with their IST due dates and who is awaited', () => {
    const onboarding = onboardingFixture({
      currentStep: 4,
      steps: {
        ...onboardingFixture().steps,
        '2': { startedAt: '2026-11-20T04:30:00Z', completedAt: '2026-11-20T04:30:00Z' },
        '3': {
          startedAt: '2026-11-20T04:30:00Z',
          dueAt: '2026-11-20T18:29:59.000Z',
          completedAt: '2026-11-22T04:30:00Z',
        },
        '4': {
          startedAt: '2026-11-22T04:30:00Z',
          dueAt: '2026-11-25T18:29:59.000Z',
          phase: 'resubmission',
          decisions: [
            {
              role: 'etaalNodalContact',
              decision: 'return',
              comment: 'Fix <b>names</b>',
              decidedAt: '2026-11-22T05:00:00Z',
            },
          ],
        },
      },
    });
    const steps = describeSteps(onboarding, now);
    expect(steps.map((s) => s.status)).toEqual([
      'done',
      'done',
      'done',
      'active',
      'pending',
      'pending',
      'pending',
      'pending',
      'pending',
      'pending',
      'pending',
      'pending',
    ]);
    expect(steps[3]?.dueAtIst).toBe('Wed 25 Nov 2026, 23:59 IST');
    expect(steps[3]?.waitingFor).toEqual([{ role: 'department', label: 'Department (nodal officer)' }]);
    expect(steps[3]?.decisions[0]).toMatchObject({
      decision: 'return',
      comment: 'Fix <b>names</b>',
      label: 'e-Taal Nodal Contact',
    });
    const overdue = describeSteps(onboarding, new Date('2026-11-26T00:00:00Z'));
    expect(overdue[3]?.status).toBe('overdue');
  });

  it('at step 10 waits for whichever approver has not approved yet', () => {
    const onboarding = onboardingFixture({
      currentStep: 10,
      steps: {
        ...onboardingFixture().steps,
        '10': {
          startedAt: '2026-11-23T04:30:00Z',
          dueAt: '2026-11-25T18:29:59.000Z',
          decisions: [approve('stateCommittee')],
        },
      },
    });
    expect(describeSteps(onboarding, now)[9]?.waitingFor.map((w) => w.role)).toEqual(['etaalNodalContact']);
  });

  it('predicts go-live from the rest of the current step and the full time of the later steps', () => {
    // At step 12 due Wed 25 Nov: nothing after it, so go-live is that due date.
    const atLastStep = onboardingFixture({
      currentStep: 12,
      steps: {
        ...onboardingFixture().steps,
        '12': { startedAt: '2026-11-23T04:30:00Z', dueAt: '2026-11-25T18:29:59.000Z' },
      },
    });
    expect(predictedGoLive(atLastStep, now, calendar)).toBe('2026-11-25');
    // A fresh onboarding needs the remaining 24 working days of the SoP.
    const fresh = onboardingFixture();
    expect(predictedGoLive(fresh, now, calendar)).toBe(
      calendar.addWorkingDays(
        '2026-11-23',
        SOP_STEPS.filter((s) => s.number >= 2).reduce((n, s) => n + s.workingDays, 0),
      ),
    );
    expect(predictedGoLive(onboardingFixture({ status: 'REJECTED' }), now, calendar)).toBeUndefined();
  });
});
