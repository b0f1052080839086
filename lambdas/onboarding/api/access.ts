import type { Department } from '../../departments/department';
import { NotFoundError } from '../../shared/errors';
import { getOnboarding, getOnboardingMeta, type Onboarding } from '../repository';

/**
 * The caller's own onboarding, or 404. Another department's onboarding gets exactly the answer of one
 * that does not exist, so ids cannot be probed across departments. The templates (up to 200 items) are
 * read only when the caller shows them.
 */
export async function ownOnboarding(
  department: Department,
  onboardingId: string,
  options: { withTemplates: boolean },
): Promise<Onboarding> {
  const onboarding = options.withTemplates
    ? await getOnboarding(onboardingId)
    : await getOnboardingMeta(onboardingId);
  if (!onboarding || onboarding.departmentId !== department.departmentId) {
    throw new NotFoundError(`No onboarding ${onboardingId}.`);
  }
  return onboarding;
}
