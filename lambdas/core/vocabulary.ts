import { ROLES, type Role, SOP_STEPS } from './sop';
import { DECISIONS } from './workflow';
import * as z from './zod';

/**
 * The zod schemas of the workflow's vocabulary, each declared once: a step number, a role, a decision.
 * Task inputs, approval links and the API reference parse or describe them with these, so a new step or
 * role changes what every one of them accepts at once.
 */

export const stepNumberSchema = z.int().check(z.minimum(1), z.maximum(SOP_STEPS.length));

export const roleSchema = z.enum(Object.keys(ROLES) as [Role, ...Role[]]);

export const decisionSchema = z.enum(DECISIONS);
