import type { StepNumber } from '../core/sop';
import type { OnboardingStatus, StepState } from '../core/workflow';
import { scanAllItems } from '../shared/all-items';
import { tableName } from '../shared/tables';
import { type Pipeline, type PipelineOnboarding, pipelineByStep } from './pipeline';

/**
 * Reads the pipeline: a scan of the onboarding items (META) projected to status, current step and step
 * states. The state has one onboarding per department list (dozens to a few hundred), so a scan of a
 * few small pages is cheaper than keeping a status index up to date.
 */
export async function onboardingPipeline(now: Date): Promise<Pipeline> {
  const items = await scanAllItems({
    TableName: tableName('onboardings'),
    FilterExpression: 'sk = :meta',
    ProjectionExpression: '#status, currentStep, steps',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':meta': 'META' },
  });
  const onboardings = items.map((item): PipelineOnboarding => {
    const currentStep = item.currentStep as StepNumber;
    const steps = (item.steps ?? {}) as Record<string, StepState>;
    const currentStepState = steps[String(currentStep)];
    return {
      status: item.status as OnboardingStatus,
      currentStep,
      ...(currentStepState ? { currentStepState } : {}),
    };
  });
  return pipelineByStep(onboardings, now);
}
