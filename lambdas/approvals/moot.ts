import type { Onboarding } from '../core/workflow';
import { type DossierDecision, dossierDecision } from '../onboarding/dossier';
import type { ApprovalRecord } from './approval';

/**
 * A link is moot when it is still open but nothing is left to decide with it: its step was completed
 * another way (step 8 by the first test counts, a co-member's decision), or the onboarding has ended
 * (live, rejected at another step, cancelled). A moot link shows "already complete" and no form, to GET
 * and POST alike; a POST records nothing.
 */
export type Moot =
  | { kind: 'stepComplete'; completedAt: string; by?: DossierDecision }
  | { kind: 'ended'; status: string; at?: string };

/** Onboarding statuses after which no link has anything left to decide. */
const ENDED: ReadonlySet<string> = new Set(['LIVE', 'REJECTED', 'CANCELLED']);

export function mootness(record: ApprovalRecord, onboarding: Onboarding | undefined): Moot | undefined {
  if (!onboarding) return undefined;
  if (ENDED.has(onboarding.status)) {
    const at = onboarding.liveAt ?? onboarding.rejectedAt;
    return { kind: 'ended', status: onboarding.status, ...(at ? { at } : {}) };
  }
  const state = onboarding.steps[String(record.step)];
  // Completed after this link was issued: a link issued later (an onboarding reopened at this step)
  // is the step's new wait, not moot.
  if (!state?.completedAt || state.completedAt < record.createdAt) return undefined;
  const completing = (state.decisions ?? []).filter((d) => d.decision === 'approve').at(-1);
  return {
    kind: 'stepComplete',
    completedAt: state.completedAt,
    ...(completing ? { by: dossierDecision(record.step, completing) } : {}),
  };
}
