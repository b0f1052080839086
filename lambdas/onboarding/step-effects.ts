import { integrationContact } from '../integration/repository';
import { moveServiceCodes } from './code-phase';
import type { StepEffects } from './steps';
import { claimWaitToken } from './wait-tokens';

/** What the step modules' hooks may do, for the workflow tasks that run them (steps/types.ts StepEffects). */
export const STEP_EFFECTS: StepEffects = { claimWaitToken, moveServiceCodes, integrationContact };
