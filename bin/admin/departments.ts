import { type AdminCommand, AdminUsageError, refusalsAsUsage, stringOption } from './command';
import { actorOf } from './identity';

/** `departments list`, `departments keys rotate|revoke`, `departments deactivate`. */

const LIST_USAGE = `  departments list [--format table]
      Every department: code, name, active or deactivated, and its API keys by state (active, in grace
      after a rotation, expired, revoked).`;

const ROTATE_USAGE = `  departments keys rotate --code <CODE> [--grace <7d|12h|30m|45s>]
      Issues a new API key (shown only this once) and keeps the department's current keys working for the
      grace period (default 7d, or ETAAL_API_KEY_GRACE) so it can deploy the new one; after it they
      answer 401. Audited with your identity.`;

const REVOKE_USAGE = `  departments keys revoke --code <CODE> [--reason "<why>"]
      Stops every API key of the department at once (401), e.g. after a leak; issue a new one with
      "departments keys rotate". Audited with your identity.`;

const DEACTIVATE_USAGE = `  departments deactivate --code <CODE> --reason "<why>"
      Every API key of the department stops at once (401) and no new key can be issued. Its running
      onboardings and live services are left as they are: cancel or retire them as needed. Its counts
      stay in the reports. Audited with your identity.`;

export const DEPARTMENTS_USAGE = [LIST_USAGE, ROTATE_USAGE, REVOKE_USAGE, DEACTIVATE_USAGE].join('\n');

async function refusedAsUsage<T>(work: () => Promise<T>): Promise<T> {
  const { KeyActionRefused } = await import('../../lambdas/departments/keys');
  return refusalsAsUsage(work, [KeyActionRefused]);
}

const codeOf = (values: Parameters<AdminCommand['run']>[0]) => stringOption(values, 'code') ?? '';

export const departmentCommands: Record<string, AdminCommand> = {
  'departments list': {
    table: 'departments',
    options: ['format'],
    required: [],
    usage: LIST_USAGE,
    tableView: (result) =>
      (result as { departments: { keys: Record<string, number> }[] }).departments.map(({ keys, ...d }) => ({
        ...d,
        keys: Object.entries(keys)
          .filter(([, n]) => n > 0)
          .map(([state, n]) => `${n} ${state}`)
          .join(', '),
      })),
    async run() {
      const { listDepartments } = await import('../../lambdas/departments/keys');
      return { departments: await listDepartments() };
    },
  },
  'departments keys rotate': {
    table: 'departments',
    options: ['code', 'grace'],
    required: ['code'],
    usage: ROTATE_USAGE,
    async run(values, _positionals, context) {
      const { DEFAULT_KEY_GRACE, parseGrace } = await import('../../lambdas/departments/key-state');
      const grace = stringOption(values, 'grace') ?? (process.env.ETAAL_API_KEY_GRACE || DEFAULT_KEY_GRACE);
      const graceMs = parseGrace(grace);
      if (graceMs === undefined)
        throw new AdminUsageError('--grace must be a duration such as 7d, 12h, 30m or 45s');
      const by = actorOf(await context.identity());
      const { rotateKey } = await import('../../lambdas/departments/keys');
      const rotated = await refusedAsUsage(() => rotateKey(codeOf(values), { graceMs, by }));
      process.stderr.write(
        `New API key of ${rotated.code}: hand it over now, it cannot be shown again.${
          rotated.oldKeysWorkUntil ? ` The old key works until ${rotated.oldKeysWorkUntil}.` : ''
        }\n`,
      );
      return rotated;
    },
  },
  'departments keys revoke': {
    table: 'departments',
    options: ['code', 'reason'],
    required: ['code'],
    usage: REVOKE_USAGE,
    async run(values, _positionals, context) {
      const by = actorOf(await context.identity());
      const reason = stringOption(values, 'reason');
      const { revokeKeys } = await import('../../lambdas/departments/keys');
      return refusedAsUsage(() => revokeKeys(codeOf(values), { by, ...(reason ? { reason } : {}) }));
    },
  },
  'departments deactivate': {
    table: 'departments',
    options: ['code', 'reason'],
    required: ['code', 'reason'],
    usage: DEACTIVATE_USAGE,
    async run(values, _positionals, context) {
      const by = actorOf(await context.identity());
      const { deactivateDepartment } = await import('../../lambdas/departments/keys');
      return refusedAsUsage(() =>
        deactivateDepartment(codeOf(values), { by, reason: stringOption(values, 'reason') ?? '' }),
      );
    },
  },
};
