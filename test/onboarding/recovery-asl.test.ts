import { describe, expect, it } from 'vitest';
import { type ResumePoint, resumePoint } from '../../lambdas/core/resume';
import { SOP_STEPS, stepStateName } from '../../lambdas/core/sop';
import { START_OR_RESUME } from '../../lambdas/core/workflow-recovery';
import { resumeInput } from '../../lambdas/onboarding/recovery/resume';
import {
  buildOnboardingDefinition,
  FUNCTION_IDS,
  REJECTED_ERROR,
} from '../../lambdas/onboarding/workflow/definition';
import { WAITS } from '../../lambdas/onboarding/workflow/waits';

type State = Record<string, unknown> & { Type: string };
interface Scope {
  StartAt: string;
  States: Record<string, State>;
}

const definition = buildOnboardingDefinition() as unknown as Scope;

function scopes(scope: Scope, into: Scope[] = []): Scope[] {
  into.push(scope);
  for (const state of Object.values(scope.States)) {
    for (const branch of (state.Branches as Scope[] | undefined) ?? []) scopes(branch, into);
  }
  return into;
}

const NEEDS_ADMIN = `\${${FUNCTION_IDS.needsAdmin}FunctionArn}`;

describe('the state machine can always be resumed (issue 8)', () => {
  it('ends every Task and Parallel, after its retries, in a needs-an-admin wait of its own scope, never a Fail', () => {
    let checked = 0;
    for (const scope of scopes(definition)) {
      for (const [name, state] of Object.entries(scope.States)) {
        if (state.Type !== 'Task' && state.Type !== 'Parallel') continue;
        const catches = (state.Catch ?? []) as { ErrorEquals: string[]; Next: string }[];
        const last = catches.at(-1);
        if ((state.Parameters as { FunctionName?: string } | undefined)?.FunctionName === NEEDS_ADMIN) {
          // The needs-admin wait itself: no catch (its failure fails the execution, which the sweep resumes);
          // an admin's go-ahead runs the failed state again.
          expect(catches).toEqual([]);
          expect(scope.States[state.Next as string]).toBeDefined();
          continue;
        }
        checked += 1;
        expect(last?.ErrorEquals, name).toEqual(['States.ALL']);
        const target = scope.States[last?.Next as string];
        expect(target?.Type, name).toBe('Task');
        expect((target?.Parameters as { FunctionName?: string } | undefined)?.FunctionName).toBe(NEEDS_ADMIN);
        expect(target?.Next).toBe(name);
        for (const c of catches) {
          const next = scope.States[c.Next];
          // Only a rejection may lead to a Fail state (and only from a choice, never from a Catch).
          expect(next?.Type, `${name} catch ${c.ErrorEquals.join()}`).not.toBe('Fail');
        }
        // Timeouts keep meaning escalation: the wait's States.Timeout catch stays first.
        if (String(state.Resource).endsWith('.waitForTaskToken')) {
          expect(catches[0]?.ErrorEquals).toEqual(['States.Timeout']);
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('only rejections fail a branch', () => {
    for (const scope of scopes(definition)) {
      for (const state of Object.values(scope.States)) {
        if (state.Type === 'Fail') expect(state.Error).toBe(REJECTED_ERROR);
      }
    }
  });

  it('starts new executions at step 1 and resumed ones at any step 2-12, or at the rejection', () => {
    expect(definition.StartAt).toBe(START_OR_RESUME);
    const choice = definition.States[START_OR_RESUME] as unknown as { Choices: Record<string, unknown>[] };
    expect(choice.Choices[0]).toMatchObject({ Next: stepStateName(1) });
    const targets = choice.Choices.slice(2).map((c) => [c.NumericEquals, c.Next]);
    expect(targets).toEqual(SOP_STEPS.slice(1).map((s) => [s.number, stepStateName(s.number)]));
  });

  it('lets every branch with people in it enter its recorded wait or skip an approved one', () => {
    for (const step of [3, 4, 6, 8, 9, 10, 12]) {
      const parallel = definition.States[stepStateName(step)] as unknown as { Branches: Scope[] };
      for (const branch of parallel.Branches) {
        const start = branch.States[branch.StartAt] as { Type: string; Choices: { Variable: string }[] };
        expect(start.Type).toBe('Choice');
        // IsPresent tests only: an input without `resume` can never fail the choice.
        for (const c of start.Choices) expect(c).toMatchObject({ IsPresent: true });
      }
    }
  });
});

describe('resumePoint', () => {
  const base = {
    onboardingId: 'o-1',
    departmentId: 'd',
    departmentCode: 'REV',
    departmentName: 'Revenue',
    status: 'ATTENTION' as const,
    nodalOfficer: { name: 'n', designation: 'd', email: 'n@x.example', phone: '1' },
    competentAuthority: { name: 'h', designation: 'd', email: 'h@x.example' },
    services: [{ serviceName: 'A' }],
    templatesVersion: 1,
    amendmentRounds: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
  const waits = Object.values(WAITS);
  const at = (currentStep: number, steps: Record<string, object>): ResumePoint =>
    resumePoint({ ...base, currentStep: currentStep as 4, steps } as never, waits);

  it('resumes the wait a step is in (step 4 waiting for amended templates)', () => {
    const point = at(4, { '4': { startedAt: 'x', phase: 'resubmission' } });
    expect(point).toEqual({ step: 4, phase: 'resubmission' });
    expect(resumeInput('o-1', point).resume).toMatchObject({ enter: { resubmission: true } });
  });

  it('moves past completed steps, and re-runs step 6 until every service has its code', () => {
    expect(at(5, { '5': { completedAt: 'x' } }).step).toBe(6);
    const approved = {
      completedAt: 'x',
      decisions: [{ role: 'degsTechnical', decision: 'approve', decidedAt: 'x', phase: 'registration' }],
    };
    expect(at(6, { '6': approved })).toEqual({ step: 6, done: { registration: true } });
  });

  it('skips the step-10 approval already given and goes straight to a decided rejection', () => {
    const one = {
      startedAt: 'x',
      decisions: [{ role: 'stateCommittee', decision: 'approve', decidedAt: 'x', phase: 'stateApproval' }],
    };
    expect(at(10, { '10': one })).toEqual({ step: 10, done: { stateApproval: true } });
    const rejected = {
      completedAt: 'x',
      decisions: [{ role: 'etaalNodalContact', decision: 'reject', decidedAt: 'x', phase: 'review' }],
    };
    expect(at(4, { '4': rejected })).toEqual({ step: 4, rejected: true });
  });

  it('refuses finished onboardings and steps outside 2-12', () => {
    expect(() =>
      resumePoint({ ...base, status: 'LIVE', currentStep: 12, steps: {} } as never, waits),
    ).toThrow(/LIVE/);
    expect(() => resumePoint({ ...base, currentStep: 3, steps: {} } as never, waits, 13)).toThrow(/--step/);
  });
});

describe('what a needs-admin failure records and shows', () => {
  it('keeps the message of a Lambda cause, without stack, links, addresses or tokens', async () => {
    const { sanitizeCause, attentionSentence } = await import('../../lambdas/core/resume');
    const cause = JSON.stringify({
      errorType: 'EmailNotSent',
      errorMessage: `Could not mail nodal.officer@rev.example the link https://x.example/approvals/abc token ${'A'.repeat(60)}`,
      trace: ['at secret (/var/task/index.mjs:1:1)'],
    });
    const clean = sanitizeCause(cause);
    expect(clean).toBe('Could not mail [email] the link [link] token [redacted]');
    expect(sanitizeCause('x'.repeat(1000)).length).toBeLessThanOrEqual(300);
    expect(attentionSentence({ step: 2, error: 'EmailNotSent' })).toMatch(
      /^Step 2 \(.+\) is paused because an email could not be sent\./,
    );
    expect(attentionSentence({ step: 6, error: 'TypeError' })).toContain('a system task failed');
  });

  it('names executions from department, IST date and id, within 80 characters', async () => {
    const { executionName } = await import('../../lambdas/core/resume');
    const onboarding = {
      departmentCode: 'REV',
      createdAt: '2026-03-01T20:00:00.000Z',
      onboardingId: '1b2c3d4e-5f60-8123-9456-abcdefabcdef',
    };
    expect(executionName(onboarding)).toBe('REV-20260302-1b2c3d4e');
    expect(executionName(onboarding, 2)).toBe('REV-20260302-1b2c3d4e-r2');
    expect(executionName({ ...onboarding, departmentCode: 'X'.repeat(100) }, 12).length).toBeLessThanOrEqual(
      80,
    );
  });
});
