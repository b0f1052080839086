import type { TaskFailure } from '../../core/resume';
import { type Onboarding, type OnboardingStatus, OPEN_STATUSES } from '../../core/workflow';
import { scanAllItems } from '../../shared/all-items';
import { inList, writeIf } from '../../shared/conditional-write';
import { tableName } from '../../shared/tables';
import { updateMeta } from '../meta-item';
import { getOnboardingMeta, toOnboarding } from '../repository';

/**
 * The onboarding's recovery state on its META item: the failure that needs an admin (`attention`, status
 * ATTENTION) and which execution runs it (`executionArn`, `resumes`). Single-item conditional writes:
 * finished onboardings are never touched, and two resumes of one onboarding cannot both win.
 */
const table = () => tableName('onboardings');
const OPEN: readonly OnboardingStatus[] = OPEN_STATUSES;
const open = inList(OPEN, 's');

/** Records the failure and sets ATTENTION; undefined when the onboarding is finished or does not exist. */
export async function recordAttention(
  onboardingId: string,
  build: (onboarding: Onboarding) => TaskFailure,
): Promise<TaskFailure | undefined> {
  const onboarding = await getOnboardingMeta(onboardingId);
  if (!onboarding || !OPEN.includes(onboarding.status)) return undefined;
  const failure = build(onboarding);
  const applied = await writeIf(
    updateMeta(onboardingId, {
      UpdateExpression: 'SET #status = :attention, attention = :failure, updatedAt = :now',
      ConditionExpression: `#status IN ${open.expression}`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':attention': 'ATTENTION',
        ':failure': failure,
        ':now': failure.at,
        ...open.values,
      },
    }),
  );
  return applied ? failure : undefined;
}

/**
 * Points the onboarding at its next execution, if it still runs `expected` (the one being replaced):
 * clears `attention`, and an ATTENTION onboarding is IN_PROGRESS again. False when another resume won.
 */
export async function claimResume(
  onboarding: Onboarding,
  next: { executionArn: string; resumes: number },
): Promise<boolean> {
  const now = new Date().toISOString();
  const status = onboarding.status === 'ATTENTION' ? 'IN_PROGRESS' : onboarding.status;
  return writeIf(
    updateMeta(onboarding.onboardingId, {
      UpdateExpression:
        'SET executionArn = :next, resumes = :resumes, #status = :status, updatedAt = :now REMOVE attention',
      ConditionExpression: `#status IN ${open.expression} AND ${
        onboarding.executionArn ? 'executionArn = :expected' : 'attribute_not_exists(executionArn)'
      }`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':next': next.executionArn,
        ':resumes': next.resumes,
        ':status': status,
        ':now': now,
        ...open.values,
        ...(onboarding.executionArn ? { ':expected': onboarding.executionArn } : {}),
      },
    }),
  );
}

/** Every onboarding not yet LIVE, REJECTED or CANCELLED (a scan: the table holds hundreds, not millions, of them). */
export async function listOpenOnboardings(): Promise<Onboarding[]> {
  const items = await scanAllItems({
    TableName: table(),
    FilterExpression: `sk = :meta AND #status IN ${open.expression}`,
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':meta': 'META', ...open.values },
  });
  return items.map(toOnboarding);
}
