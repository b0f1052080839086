import type { ServiceCodeStatus } from '../../lambdas/core/workflow';
import { type AdminCommand, AdminUsageError, refusalsAsUsage, stringOption } from './command';
import { actorOf } from './identity';

/** `services list|retire`: every Government Service Code, and taking one out of e-Taal for good. */

const STATUSES: readonly ServiceCodeStatus[] = ['issued', 'testing', 'live', 'rejected', 'retired'];

const LIST_USAGE = `  services list [--department <CODE>] [--status <S>] [--format table]
      Every Government Service Code with its department, service, status (${STATUSES.join(', ')}) and,
      once retired, when and why.`;

const RETIRE_USAGE = `  services retire --code <serviceCode> --reason "<why>"
      Retires a service: PUT /v1/counts refuses its counts at once (409 service-retired), the connector
      no longer answers for it from the next day (IST), and its earlier counts stay. Audited with your
      identity; it cannot be undone.`;

export const SERVICES_USAGE = [LIST_USAGE, RETIRE_USAGE].join('\n');

export const serviceCommands: Record<string, AdminCommand> = {
  'services list': {
    table: 'serviceCodes',
    options: ['department', 'status', 'format'],
    required: [],
    usage: LIST_USAGE,
    tableView: (result) => (result as { services: unknown[] }).services,
    async run(values) {
      const status = stringOption(values, 'status');
      if (status !== undefined && !STATUSES.includes(status as ServiceCodeStatus)) {
        throw new AdminUsageError(`--status must be one of ${STATUSES.join(', ')}`);
      }
      const department = stringOption(values, 'department');
      const { listServices } = await import('../../lambdas/counts/retirement');
      return {
        services: await listServices({
          ...(department ? { department } : {}),
          ...(status ? { status: status as ServiceCodeStatus } : {}),
        }),
      };
    },
  },
  'services retire': {
    table: 'serviceCodes',
    options: ['code', 'reason'],
    required: ['code', 'reason'],
    usage: RETIRE_USAGE,
    async run(values, _positionals, context) {
      const by = actorOf(await context.identity());
      const { retireService, RetirementRefused } = await import('../../lambdas/counts/retirement');
      const service = await refusalsAsUsage(
        () =>
          retireService(stringOption(values, 'code') ?? '', {
            reason: stringOption(values, 'reason') ?? '',
            by,
          }),
        [RetirementRefused],
      );
      process.stderr.write(
        `${service.serviceCode} retired: no more counts; absent from the connector from ${service.leavesConnectorOn}.\n`,
      );
      return { service, by };
    },
  },
};
