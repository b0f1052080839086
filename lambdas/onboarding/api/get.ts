import { loadWorkingCalendar } from '../../config/repository';
import { departmentApiKey } from '../../departments/api-key-auth';
import { httpHandler, json } from '../../shared/http';
import type { PendingLinks } from '../ports';
import { documentView } from '../template-documents';
import { waitsOf } from '../waiting';
import { ownOnboarding } from './access';
import { getOnboardingQuerySchema, onboardingPathSchema } from './schemas';
import { onboardingView } from './view';

/**
 * GET /v1/onboardings/{onboardingId}[?include=templates]: the 12 steps with status, deadlines (IST) and
 * decisions, and who the onboarding waits for now (persons, e-mail masked). Small by default: the
 * templates (up to 200) are read and shown only when asked for. The pending approval links come from the
 * approvals domain through its port (wired in lambdas/entries/get-onboarding.ts).
 */
export const getOnboardingHandler = (pending: PendingLinks) =>
  httpHandler(
    { auth: departmentApiKey, path: onboardingPathSchema, query: getOnboardingQuerySchema },
    async ({ caller: department, path, query }) => {
      const onboarding = await ownOnboarding(department, path.onboardingId, {
        withTemplates: query.include === 'templates',
      });
      const now = new Date();
      const [document, calendar, waits] = await Promise.all([
        documentView(onboarding),
        loadWorkingCalendar(),
        waitsOf(onboarding, now, pending),
      ]);
      return json(200, {
        ...onboardingView(onboarding, now, calendar, waits),
        ...(document ? { document } : {}),
      });
    },
  );
