import { issueApprovals } from '../approvals/issue';
import { awaitTask } from '../onboarding/tasks/await';

/**
 * The workflow's callback task (every wait), wired with the approvals domain's links: onboarding may not
 * import approvals (approvals already depends on onboarding), so the two meet here.
 */
export const handler = awaitTask({ issue: issueApprovals });
