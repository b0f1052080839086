import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { tallyOnboardings } from '../../core/onboarding-tally';
import * as z from '../../core/zod';
import { metrics } from '../../shared/observability';
import { recoverStoppedExecutions } from '../recovery/resume';
import { listOpenOnboardings } from '../recovery/store';
import { workflowTask } from './task';

/**
 * The recovery sweep (every 15 minutes in AWS; at start-up and on an interval in local mode): resumes every
 * open onboarding whose execution stopped, and publishes the open onboardings by status (ATTENTION is the
 * needs-admin count) and by step for the dashboard. Answers which ones it resumed.
 */
export const handler = workflowTask(z.looseObject({}), async () => {
  const open = await listOpenOnboardings();
  const tally = tallyOnboardings(open);
  for (const [status, count] of Object.entries(tally.byStatus)) {
    const metric = metrics.singleMetric();
    metric.addDimension('status', status);
    metric.addMetric('OnboardingsOpen', MetricUnit.Count, count);
  }
  for (const [step, count] of Object.entries(tally.byStep)) {
    const metric = metrics.singleMetric();
    metric.addDimension('step', step);
    metric.addMetric('OnboardingsAtStep', MetricUnit.Count, count);
  }
  const resumed = await recoverStoppedExecutions(open);
  return { resumed: resumed.map((r) => ({ onboardingId: r.onboardingId, execution: r.executionName })) };
});
