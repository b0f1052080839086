import { pendingLinks } from '../approvals/pending-links';
import { remindersTask } from '../onboarding/reminders/handler';

/**
 * The hourly reminder run, wired with the approvals domain's pending links: onboarding may not import
 * approvals (approvals already depends on onboarding), so the two meet here.
 */
export const handler = remindersTask(pendingLinks);
