import type { Role, StepNumber } from '../core/sop';
import type { Onboarding } from '../core/workflow';
import { buildDossier, type Dossier, showsTemplates, showsTestCounts } from './dossier';
import type { TestCountsReader } from './ports';
import { getOnboarding } from './repository';

/**
 * Reads what the dossier of one step needs beyond the onboarding item: the templates where the step
 * shows them in full, the test counts where it lists them. Read-only (an approval page's GET uses it).
 */
export async function loadDossier(
  onboarding: Onboarding,
  step: StepNumber,
  role: Role,
  counts: TestCountsReader,
): Promise<Dossier> {
  const withTemplates =
    showsTemplates(step) && !onboarding.templates
      ? ((await getOnboarding(onboarding.onboardingId)) ?? onboarding)
      : onboarding;
  const codes = withTemplates.services.flatMap((s) => (s.serviceCode ? [s.serviceCode] : []));
  const testCounts = showsTestCounts(step) ? await counts.testCounts(codes) : undefined;
  return buildDossier({ onboarding: withTemplates, step, role, ...(testCounts ? { testCounts } : {}) });
}
