import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { SOP_STEPS, stepStateName } from '../../lambdas/core/sop';
import { ONBOARDING_FUNCTIONS } from '../../lambdas/onboarding/functions';
import {
  buildOnboardingDefinition,
  FUNCTION_IDS,
  REJECTED_STATE,
  renderOnboardingDefinition,
} from '../../lambdas/onboarding/workflow/definition';
import { WAITS } from '../../lambdas/onboarding/workflow/waits';

// asl-validator ships CommonJS without type declarations.
const aslValidator = createRequire(import.meta.url)('asl-validator') as (
  definition: unknown,
  options: { checkPaths: boolean; checkArn: boolean },
) => { isValid: boolean; errorsText: () => string };

const FILE = new URL('../../statemachines/onboarding.asl.json', import.meta.url);

type State = Record<string, unknown> & { Type: string };

function allStates(states: Record<string, State>, into = new Map<string, State>()): Map<string, State> {
  for (const [name, state] of Object.entries(states)) {
    into.set(name, state);
    for (const branch of (state.Branches as { States: Record<string, State> }[] | undefined) ?? []) {
      allStates(branch.States, into);
    }
  }
  return into;
}

const definition = buildOnboardingDefinition() as { States: Record<string, State> };
const states = allStates(definition.States);

describe('statemachines/onboarding.asl.json', () => {
  it('is the definition generated from the SoP data (regenerate: see docs/workflow.md)', () => {
    expect(JSON.parse(readFileSync(FILE, 'utf8'))).toEqual(buildOnboardingDefinition());
  });

  it('is valid ASL (JSONPath) according to asl-validator', () => {
    const file = JSON.parse(readFileSync(FILE, 'utf8'));
    const { isValid, errorsText } = aslValidator(file, { checkPaths: true, checkArn: true });
    expect(errorsText()).toBe('');
    expect(isValid).toBe(true);
  });

  it('has one top-level state per SoP step, named by the SoP, in SoP order', () => {
    const topLevel = Object.keys(definition.States);
    expect(topLevel.slice(0, 12)).toEqual(SOP_STEPS.map((s) => stepStateName(s.number)));
    for (const step of SOP_STEPS.slice(0, -1)) {
      expect(definition.States[stepStateName(step.number)]?.Next).toBe(stepStateName(step.number + 1));
    }
  });

  it('keeps every state name unique and within the 80 characters Step Functions allows', () => {
    let count = 0;
    const walk = (s: Record<string, State>) => {
      for (const [name, state] of Object.entries(s)) {
        count += 1;
        expect(name.length).toBeLessThanOrEqual(80);
        for (const b of (state.Branches as { States: Record<string, State> }[] | undefined) ?? [])
          walk(b.States);
      }
    };
    walk(definition.States);
    expect(states.size).toBe(count);
  });

  it('gives every wait a dynamic timeout at a path valid before and after Parameters, and escalates on timeout', () => {
    const waits = [...states.values()].filter(
      (s) =>
        String(s.Resource).endsWith('.waitForTaskToken') &&
        (s.Parameters as { FunctionName?: string }).FunctionName ===
          `\${${FUNCTION_IDS.requestAction}FunctionArn}`,
    );
    expect(waits).toHaveLength(Object.keys(WAITS).length);
    for (const wait of waits) {
      expect(wait.TimeoutSecondsPath).toBe('$.Payload.timeoutSeconds');
      const payload = (wait.Parameters as { Payload: Record<string, string> }).Payload;
      expect(payload['timeoutSeconds.$']).toBe('$.Payload.timeoutSeconds');
      expect(payload['taskToken.$']).toBe('$$.Task.Token');
      const [timeoutCatch] = wait.Catch as { ErrorEquals: string[]; Next: string }[];
      expect(timeoutCatch?.ErrorEquals).toEqual(['States.Timeout']);
      const escalation = states.get(timeoutCatch?.Next as string);
      expect(escalation?.Resource).toBe(`\${${FUNCTION_IDS.escalate}FunctionArn}`);
      // The escalation loops back to the same wait: a timeout never ends the execution.
      expect(states.get(escalation?.Next as string)).toBe(wait);
    }
  });

  it('sends every rejection to the one rejection state, and refers only to registered functions', () => {
    const parallels = [...states.values()].filter((s) => s.Type === 'Parallel');
    for (const p of parallels) {
      expect(p.Catch).toEqual([
        expect.objectContaining({ ErrorEquals: ['Onboarding.Rejected'], Next: REJECTED_STATE }),
        expect.objectContaining({
          ErrorEquals: ['States.ALL'],
          Next: expect.stringMatching(/needs an admin$/),
        }),
      ]);
    }
    const ids = new Set(ONBOARDING_FUNCTIONS.map((f) => f.id));
    const placeholders = [...renderOnboardingDefinition().matchAll(/\$\{([A-Za-z]+)FunctionArn\}/g)].map(
      (m) => m[1],
    );
    expect(placeholders.length).toBeGreaterThan(0);
    for (const id of placeholders) expect(ids.has(id as string)).toBe(true);
  });
});
