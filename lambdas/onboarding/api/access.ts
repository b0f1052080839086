import type { Department } from '../../departments/department';
import { NotFoundError } from '../../shared/errors';
import { getOnboarding, type Onboarding } from '../repository';

/**
 * The caller's own onboarding, or 404. Another department's onboarding gets exactly the answer of one
 * that does not exist, so ids cannot be probed across departments.
 */
export async function ownOnboarding(department: Department, onboardingId: string): Promise<Onboarding> {
  const onboarding = await getOnboarding(onboardingId);
  if (!onboarding || onboarding.departmentId !== department.departmentId) {
    throw new NotFoundError(`No onboarding ${onboardingId}.`);
  }
  return onboarding;
}
