import type { OnboardingAuditEvent } from '../core/audit-events';
import { putAuditEntry } from '../shared/audit-log';
import { onboardingPk } from './repository';

/**
 * The onboarding's audit trail: one item per transition or decision under the onboarding's partition
 * (`AUDIT#<iso timestamp>#<random>`), so it sorts by time and outlives Step Functions' 90-day history.
 * Entries carry roles and ids; `by` names the person where one acted by hand (an admin's cancel, reopen
 * or fix, with the identity the admin CLI found). Each entry is one of the typed events of
 * ../core/audit-events.ts.
 */
export async function appendAudit(onboardingId: string, entry: OnboardingAuditEvent): Promise<void> {
  await putAuditEntry('onboardings', onboardingPk(onboardingId), entry, { attributes: { onboardingId } });
}
