import { loadWorkingCalendar } from '../../config/repository';
import { departmentApiKey } from '../../departments/api-key-auth';
import { httpHandler, json } from '../../shared/http';
import { ownOnboarding } from './access';
import { onboardingPathSchema } from './schemas';
import { onboardingView } from './view';

/** GET /v1/onboardings/{onboardingId}: the 12 steps with status, deadlines (IST) and decisions. */
export const handler = httpHandler(
  { auth: departmentApiKey, path: onboardingPathSchema },
  async ({ caller: department, path }) => {
    const onboarding = await ownOnboarding(department, path.onboardingId, { withTemplates: true });
    return json(200, onboardingView(onboarding, new Date(), await loadWorkingCalendar()));
  },
);
