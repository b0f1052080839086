import { describe, expect, it } from 'vitest';
import {
  CONFIGURED_ROLES,
  ROLES,
  SOP_STEPS,
  type SopStep,
  sopStep,
  stepStateName,
  TOTAL_WORKING_DAYS,
} from '../../lambdas/core/sop';

function rolesOf(step: SopStep): string[] {
  const completionRoles = 'roles' in step.completion ? step.completion.roles : [];
  return [...step.actors, ...completionRoles];
}

describe('the SoP as data', () => {
  it('has the 12 steps of the DeGS SoP, numbered 1 to 12 in order', () => {
    expect(SOP_STEPS.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('gives each step the timeline printed in the SoP, 25 working days in total', () => {
    expect(SOP_STEPS.map((s) => s.workingDays)).toEqual([1, 1, 5, 2, 1, 2, 2, 5, 1, 2, 1, 2]);
    expect(TOTAL_WORKING_DAYS).toBe(25);
  });

  it('walks from step 1 through every step to step 12, where the path ends', () => {
    const visited: number[] = [];
    let current: number | null = 1;
    while (current !== null && visited.length <= SOP_STEPS.length) {
      visited.push(current);
      current = sopStep(current).next;
    }
    expect(visited).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(SOP_STEPS.filter((s) => s.next === null).map((s) => s.number)).toEqual([12]);
  });

  it('lets only step 4 return templates for amendments, back to step 4 with 2 working days', () => {
    const loops = SOP_STEPS.filter((s) => s.amendmentLoop).map((s) => [s.number, s.amendmentLoop]);
    expect(loops).toEqual([[4, { returnsTo: 4, resubmissionWorkingDays: 2 }]]);
  });

  it('names only known roles as actors and approvers, and every configured role is a known role', () => {
    const known = Object.keys(ROLES);
    for (const step of SOP_STEPS) {
      for (const role of rolesOf(step)) expect(known, `step ${step.number}`).toContain(role);
    }
    for (const role of CONFIGURED_ROLES) expect(known).toContain(role);
  });

  it('has at least one approver for every step completed by approval', () => {
    for (const step of SOP_STEPS) {
      if (step.completion.kind === 'approval' || step.completion.kind === 'approvalOrSignal') {
        expect(step.completion.roles.length, `step ${step.number}`).toBeGreaterThan(0);
      }
    }
  });

  it('finds a step by number and refuses numbers outside 1..12', () => {
    expect(sopStep(4).title).toBe('Review by e-Taal Nodal Contact');
    expect(() => sopStep(0)).toThrow(RangeError);
    expect(() => sopStep(13)).toThrow(RangeError);
  });
});

describe('Step Functions state names', () => {
  const names = SOP_STEPS.map((s) => stepStateName(s.number));

  it('are "Step NN - title"', () => {
    expect(stepStateName(4)).toBe('Step 04 - Review by e-Taal Nodal Contact');
    expect(stepStateName(12)).toBe('Step 12 - Central Committee approval');
  });

  it('are unique', () => {
    expect(new Set(names).size).toBe(SOP_STEPS.length);
  });

  it('fit the 80-character limit of Amazon States Language', () => {
    for (const name of names) expect([...name].length, name).toBeLessThanOrEqual(80);
  });

  it('use only plain characters, nothing Step Functions, JSONPath or CloudWatch would need escaped', () => {
    // ASL itself only limits the length; this set also avoids control characters, quotes, brackets,
    // wildcards and the other characters AWS rejects in Step Functions resource names.
    for (const name of names) expect(name).toMatch(/^[A-Za-z0-9][A-Za-z0-9 '-]*[A-Za-z0-9]$/);
  });
});
