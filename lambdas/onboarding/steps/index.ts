import type { StepNumber } from '../../core/sop';
import { step01 } from './step-01-services-listed';
import { step02 } from './step-02-template-request';
import { step03 } from './step-03-hod-sign-off';
import { step04 } from './step-04-review';
import { step05 } from './step-05-approved-templates';
import { step06 } from './step-06-registration';
import { step07 } from './step-07-hand-over';
import { step08 } from './step-08-integration';
import { step09 } from './step-09-test-confirmation';
import { step10 } from './step-10-state-approval';
import { step11 } from './step-11-central-team';
import { step12 } from './step-12-go-live';
import type { StepModule } from './types';

export type { NotifyContext, PageSection, StepEffects, StepModule } from './types';

/**
 * Every SoP step's specifics, in SoP order, its waits included (core/sop.ts stays the table of titles,
 * actors and working days). To change what one step does, open its module. The state-machine generator
 * and the wait table (../workflow/) read this list at build time: keep the modules' top level pure.
 */
export const STEPS: readonly StepModule[] = [
  step01,
  step02,
  step03,
  step04,
  step05,
  step06,
  step07,
  step08,
  step09,
  step10,
  step11,
  step12,
];

export function stepModule(step: number): StepModule {
  const found = STEPS[step - 1];
  if (!found || found.number !== step) throw new RangeError(`No SoP step ${step}`);
  return found;
}

/** The steps that complete by one email (the SoP's automatic steps). */
export const NOTIFY_STEPS = STEPS.filter((s) => s.notify).map((s) => s.number as StepNumber);
