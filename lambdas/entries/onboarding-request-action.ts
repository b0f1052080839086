import { issueApprovals } from '../approvals/issue';
import { listTestCounts } from '../counts/queries';
import { requestActionTask } from '../onboarding/tasks/request-action';
import { preloadSes } from '../shared/ses';

// Every invocation sends mail: SES is loaded in the cold start, not by the first invocation.
await preloadSes();

/**
 * The workflow's callback task (every wait), wired with the approvals domain's links and the counts
 * domain's test counts (for the step 9 dossier): onboarding may not import either (both depend on it),
 * so they meet here.
 */
export const handler = requestActionTask({ issue: issueApprovals }, { testCounts: listTestCounts });
