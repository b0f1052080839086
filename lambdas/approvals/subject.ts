import type { Onboarding } from '../core/workflow';
import { listTestCounts } from '../counts/queries';
import type { Dossier } from '../onboarding/dossier';
import { loadDossier } from '../onboarding/dossier-source';
import { getOnboarding } from '../onboarding/repository';
import type { SafeHtml } from '../shared/html';
import type { ApprovalRecord } from './approval';
import type { SignedCopy } from './dossier-page';
import { revisionSection } from './revision-section';
import { documentSection, signedCopyOf } from './signed-approval';

/** What the approver is deciding about, loaded for the page. */
export interface ApprovalSubject {
  /** Everything the approver needs to decide (onboarding/dossier.ts); absent if the onboarding is gone. */
  readonly dossier?: Dossier;
  /** The Service Details Template PDF: download, signed upload (step 3), who signed it (later steps). */
  readonly document?: SafeHtml;
  /** The HoD's signed copy, linked from the sign-off in the history. */
  readonly signedCopy?: SignedCopy;
  /** A resubmission: the return it answers and what changed (./revision-section.ts). */
  readonly revision?: SafeHtml;
}

/**
 * Loads what an approval page shows: the decision dossier of the link's step (department, services,
 * history, test counts per service, co-approvers) and the template document. Read-only: GET and HEAD
 * of a link must never write anything.
 */
export async function loadSubject(
  record: ApprovalRecord,
  link?: { approvalId: string; nonce?: string },
  read: Onboarding | undefined | Promise<Onboarding | undefined> = getOnboarding(record.onboardingId),
): Promise<ApprovalSubject> {
  const onboarding = await read;
  if (!onboarding) return {};
  const [dossier, document, signedCopy, revision] = await Promise.all([
    loadDossier(onboarding, record.step, record.role, { testCounts: listTestCounts }),
    link && documentSection(record, onboarding, link.approvalId, link.nonce),
    link && signedCopyOf(record, onboarding, link.approvalId),
    revisionSection(record, onboarding),
  ]);
  return {
    dossier,
    ...(document ? { document } : {}),
    ...(signedCopy ? { signedCopy } : {}),
    ...(revision ? { revision } : {}),
  };
}
