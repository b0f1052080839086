import { type OnboardingStatus, OPEN_STATUSES } from '../../lambdas/core/workflow';
import {
  type AdminCommand,
  type AdminContext,
  AdminUsageError,
  type AdminValues,
  integerOption,
  refusalsAsUsage,
  stringOption,
} from './command';
import { actorOf } from './identity';
import { matches, type OnboardingRow, onboardingRow, rowForTable, timeline } from './onboarding-views';

/**
 * `onboardings list|show|cancel|reopen`: an admin sees every onboarding and who it waits on, reads one
 * onboarding's whole story, and repairs it (lambdas/onboarding/admin/cases.ts does the work).
 */

const STATUSES: readonly OnboardingStatus[] = [...OPEN_STATUSES, 'LIVE', 'REJECTED', 'CANCELLED'];

function onboardingIdOf(positionals: readonly string[], usage: string): string {
  const [onboardingId, ...extra] = positionals;
  if (!onboardingId || extra.length > 0) throw new AdminUsageError(`Usage: ${usage.trim().split('\n')[0]}`);
  return onboardingId;
}

function reasonOf(values: AdminValues): string {
  return stringOption(values, 'reason') ?? '';
}

async function refusedAsUsage<T>(work: () => Promise<T>): Promise<T> {
  const { AdminActionRefused } = await import('../../lambdas/onboarding/admin/cases');
  const { ResumeRefused, ResumeConflict } = await import('../../lambdas/onboarding/recovery/resume');
  return refusalsAsUsage(work, [AdminActionRefused, ResumeRefused, ResumeConflict]);
}

const LIST_USAGE = `  onboardings list [--status <S>] [--step <N>] [--department <CODE>] [--overdue] [--format table]
      Every onboarding (oldest first): status, step, who it waits on (role, and the persons when the link
      names them) and since when, the due date in IST, overdue, and how many deadlines it breached.
      --status one of ${STATUSES.join(', ')}.`;

const SHOW_USAGE = `  onboardings show <onboardingId> [--format table]
      One onboarding's timeline: steps, decisions (who, when, comment), emails sent, approval links
      (live, used, superseded, expired or ended; never a link's id) and errors needing an admin.`;

const CANCEL_USAGE = `  onboardings cancel <onboardingId> --reason "<why>"
      Stops a running onboarding for good (status CANCELLED): Service Codes not yet live are withdrawn
      first, the workflow's execution is stopped, pending links answer 410 ("this onboarding has ended"),
      and the department and the approvers it waited on are emailed. Audited with your identity.`;

const REOPEN_USAGE = `  onboardings reopen <onboardingId> --step <N> --reason "<why>"
      Reopens a REJECTED or CANCELLED onboarding at step N (2-12; at or before the step it was rejected
      at): that step and the later ones start afresh, Service Codes return to the step's phase, and a new
      execution emails whoever acts at the step. At step 4 or before, the returns start again (the
      reviewer's amendmentRounds and the HoD's hodReturns, 5 each) and so do the 10 replacements before
      a HoD decision; after step 4 they stay as they were. Audited with your identity (with the counts
      it reset).`;

export const ONBOARDING_CASES_USAGE = [LIST_USAGE, SHOW_USAGE, CANCEL_USAGE, REOPEN_USAGE].join('\n');

export const onboardingCaseCommands: Record<string, AdminCommand> = {
  'onboardings list': {
    table: 'onboardings',
    otherTables: ['approvals'],
    options: ['status', 'step', 'department', 'overdue', 'format'],
    required: [],
    usage: LIST_USAGE,
    tableView: (result) => (result as { onboardings: OnboardingRow[] }).onboardings.map(rowForTable),
    async run(values) {
      const status = stringOption(values, 'status');
      if (status !== undefined && !STATUSES.includes(status as OnboardingStatus)) {
        throw new AdminUsageError(`--status must be one of ${STATUSES.join(', ')}`);
      }
      const filter = {
        ...(status ? { status: status as OnboardingStatus } : {}),
        ...(values.step !== undefined ? { step: integerOption(values, 'step', 1, 12) } : {}),
        ...(stringOption(values, 'department') ? { department: stringOption(values, 'department') } : {}),
        ...(values.overdue === true ? { overdue: true } : {}),
      };
      const { listAllOnboardings } = await import('../../lambdas/onboarding/admin/store');
      const { liveLinks } = await import('../../lambdas/approvals/admin-links');
      const now = new Date();
      const [onboardings, links] = await Promise.all([listAllOnboardings(), liveLinks(now)]);
      const rows = onboardings.map((o) => onboardingRow(o, links, now)).filter((row) => matches(row, filter));
      return { onboardings: rows };
    },
  },
  'onboardings show': {
    table: 'onboardings',
    otherTables: ['approvals'],
    options: ['format'],
    required: [],
    positionals: true,
    usage: SHOW_USAGE,
    async run(_values, positionals) {
      const onboardingId = onboardingIdOf(positionals, SHOW_USAGE);
      const { getOnboardingMeta } = await import('../../lambdas/onboarding/repository');
      const { listAudit } = await import('../../lambdas/onboarding/admin/store');
      const { linksOf } = await import('../../lambdas/approvals/admin-links');
      const onboarding = await getOnboardingMeta(onboardingId);
      if (!onboarding) throw new AdminUsageError(`No onboarding ${onboardingId}`);
      const now = new Date();
      const [audit, links] = await Promise.all([listAudit(onboardingId), linksOf(onboardingId, now)]);
      return timeline(onboarding, audit, links, now);
    },
  },
  'onboardings cancel': {
    table: 'onboardings',
    otherTables: ['approvals', 'serviceCodes', 'config'],
    options: ['reason'],
    required: ['reason'],
    positionals: true,
    stateMachine: true,
    email: true,
    usage: CANCEL_USAGE,
    async run(values, positionals, context: AdminContext) {
      const onboardingId = onboardingIdOf(positionals, CANCEL_USAGE);
      const by = actorOf(await context.identity());
      const { cancelOnboarding } = await import('../../lambdas/onboarding/admin/cases');
      const { endLinksOf } = await import('../../lambdas/approvals/admin-links');
      const result = await refusedAsUsage(() =>
        cancelOnboarding(onboardingId, { reason: reasonOf(values), by }, endLinksOf),
      );
      process.stderr.write(
        `Onboarding ${onboardingId} cancelled; ${result.linksEnded} pending link(s) ended.\n`,
      );
      return { ...result, by };
    },
  },
  'onboardings reopen': {
    table: 'onboardings',
    otherTables: ['serviceCodes', 'config'],
    options: ['step', 'reason'],
    required: ['step', 'reason'],
    positionals: true,
    stateMachine: true,
    email: true,
    usage: REOPEN_USAGE,
    async run(values, positionals, context: AdminContext) {
      const onboardingId = onboardingIdOf(positionals, REOPEN_USAGE);
      const step = integerOption(values, 'step', 2, 12) ?? 0;
      const by = actorOf(await context.identity());
      const { reopenOnboarding } = await import('../../lambdas/onboarding/admin/cases');
      const result = await refusedAsUsage(() =>
        reopenOnboarding(onboardingId, { step, reason: reasonOf(values), by }),
      );
      process.stderr.write(
        `Onboarding ${onboardingId} reopened at step ${step} in execution ${result.executionName}.\n`,
      );
      return { ...result, by };
    },
  },
};
