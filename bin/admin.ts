/**
 * Admin CLI: `npm run --silent admin -- <command>` (without --silent npm prints its own banner on stdout).
 *
 * Targets the local runtime written by `npm start` (.local/runtime.json) unless `--stack <StackName>`
 * names a deployed stack, whose table names are read from its CloudFormation outputs. Results are JSON on
 * stdout; messages go to stderr. Exit codes: 0 done, 2 input rejected (nothing changed), 1 failed.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { TABLES, type TableName } from '../lambdas/shared/tables';
import { type AdminCommand, type AdminContext, AdminUsageError } from './admin/command';
import { DEPARTMENTS_USAGE, departmentCommands } from './admin/departments';
import { parseFormat, renderResult } from './admin/format';
import { type AdminIdentity, actorOf, adminIdentity } from './admin/identity';
import { ONBOARDING_CASES_USAGE, onboardingCaseCommands } from './admin/onboarding-cases';
import { ONBOARDING_USAGE, OnboardingUsageError, recoverCommand, resumeCommand } from './admin/onboardings';
import { PEOPLE_USAGE, PeopleUsageError } from './admin/people';
import { SERVICES_USAGE, serviceCommands } from './admin/services';
import { signPdfCommand, trustAdd, trustList, trustRemove } from './admin/signatures';

const USAGE = `Usage: npm run --silent admin -- <command> [options]

Commands:
  department add --code <CODE> --name "<NAME>"
      Registers a department; prints {"departmentId","apiKey"}. The key is shown only this once.
  departments set-authority --code <CODE> --email <address> --name "<NAME>"
      Pins the department's competent authority (HoD): onboardings must name this address. Audited.
  holidays set --year <YYYY> --file <calendar.json>
      Stores the gazetted holidays of a year (format: docs/examples/holidays-delhi-2026.json).
  holidays show --year <YYYY>
${PEOPLE_USAGE}
  report totals --from <YYYY-MM-DD> --to <YYYY-MM-DD> [--department <CODE>] [--group-by <dims>]
      Count totals (from the aggregates); dims: any of date,month,department,service,category,phase (default department,service,category,phase).
  report silent --date <YYYY-MM-DD>
      Live services that sent no count for the date.
  report reconcile --date <YYYY-MM-DD>
      Recomputes the day from the raw counts and lists any drift of the aggregates (exit code 1 on drift).
  report backfill --from <YYYY-MM-DD> --to <YYYY-MM-DD>
      Builds the day rollups of the dates from their day aggregates (once, for days aggregated before them).
  trust add --file <certs-or-crl.pem>
      Trusts the CA certificates (roots, intermediates) and CRLs of a PEM file for signature verification.
  trust list
  trust remove --id <CERT#...|CRL#...>
  sign-pdf --in <issued.pdf> --out <signed.pdf> [--signer "<NAME>"] [--email <address>]
      Local mode only: signs with a test certificate of the local test CA (docs/signatures.md).
${ONBOARDING_USAGE}
${ONBOARDING_CASES_USAGE}
${SERVICES_USAGE}
${DEPARTMENTS_USAGE}
  preflight
      What a deployment still lacks (with --stack: SES production access and identity, alarm subscribers
      confirmed; always: holidays for this year and next, contacts for every role). Exit 1 when a check fails.

Target (default: the local runtime of \`npm start\`):
  --runtime-file <path>   local runtime file (default .local/runtime.json, or env ETAAL_RUNTIME_FILE)
  --stack <StackName>     a deployed stack (credentials and region from the usual AWS settings)
  --region <region>       region of --stack

Output: JSON on stdout; \`--format table\` prints the lists of a result as text tables instead.
\`<command> --help\` shows one command's options.

Every change is audited with who made it: with --stack the AWS caller identity (STS GetCallerIdentity),
locally the OS user (set ETAAL_ADMIN_EMAIL to add your e-mail).

Exit codes: 0 done, 2 bad arguments or invalid values (nothing changed), 1 failed.`;

const REPOSITORY_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const OPTIONS = {
  code: { type: 'string' },
  name: { type: 'string' },
  year: { type: 'string' },
  file: { type: 'string' },
  role: { type: 'string' },
  email: { type: 'string', multiple: true },
  phone: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  date: { type: 'string' },
  department: { type: 'string' },
  'group-by': { type: 'string' },
  in: { type: 'string' },
  out: { type: 'string' },
  signer: { type: 'string' },
  id: { type: 'string' },
  step: { type: 'string' },
  status: { type: 'string' },
  overdue: { type: 'boolean' },
  reason: { type: 'string' },
  format: { type: 'string' },
  grace: { type: 'string' },
  designation: { type: 'string' },
  rule: { type: 'string' },
  until: { type: 'string' },
  'from-date': { type: 'string' },
  onboarding: { type: 'string' },
  cancel: { type: 'boolean' },
  'runtime-file': { type: 'string' },
  stack: { type: 'string' },
  region: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type OptionName = keyof typeof OPTIONS;
type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>
>['values'];

interface Command {
  readonly table: TableName;
  /** `<command> --help`; commands without one show the general usage. */
  readonly usage?: string;
  readonly columns?: AdminCommand['columns'];
  readonly tableView?: AdminCommand['tableView'];
  /** Sends email: the SES endpoint (local) and sender are set. */
  readonly email?: true;
  /** Further tables the command reads, when it needs more than one. */
  readonly otherTables?: readonly TableName[];
  readonly options: readonly OptionName[];
  readonly required: readonly OptionName[];
  /** Also drives the onboarding state machine (STATE_MACHINE_ARN and its endpoint are set). */
  readonly stateMachine?: true;
  /** Takes positional arguments after the command's words (e.g. an onboarding id). */
  readonly positionals?: true;
  run(values: Values, positionals: readonly string[], context: AdminContext): Promise<unknown>;
}

const GLOBAL_OPTIONS: readonly OptionName[] = ['runtime-file', 'stack', 'region', 'help', 'format'];

/** Input the user can fix; exits 2. */
class UsageError extends Error {}

const COMMANDS: Record<string, Command> = {
  'department add': {
    table: 'departments',
    options: ['code', 'name'],
    required: ['code', 'name'],
    async run(values) {
      const { createDepartment } = await import('../lambdas/departments/repository');
      const { department, apiKey } = await createDepartment({
        code: values.code ?? '',
        name: values.name ?? '',
      });
      process.stderr.write(
        `Department ${department.code} created. Hand over the API key now: it cannot be shown again.\n`,
      );
      return { departmentId: department.departmentId, apiKey };
    },
  },
  'departments set-authority': {
    table: 'departments',
    options: ['code', 'email', 'name'],
    required: ['code', 'email', 'name'],
    async run(values) {
      if ((values.email ?? []).length !== 1)
        throw new UsageError('"departments set-authority" takes one --email');
      const { userInfo } = await import('node:os');
      const { pinCompetentAuthority } = await import('../lambdas/departments/authority');
      return pinCompetentAuthority(
        { code: values.code ?? '', email: values.email?.[0] ?? '', name: values.name ?? '' },
        `admin CLI (${userInfo().username})`,
      );
    },
  },
  'holidays set': {
    table: 'config',
    options: ['year', 'file'],
    required: ['year', 'file'],
    async run(values) {
      const year = parseYear(values.year);
      const file = values.file ?? '';
      let content: unknown;
      try {
        content = JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        throw new UsageError(
          `--file ${file}: ${error instanceof SyntaxError ? 'not valid JSON' : 'cannot be read'}`,
        );
      }
      if (typeof content !== 'object' || content === null || Array.isArray(content)) {
        throw new UsageError(`--file ${file}: must hold a JSON object with year, source and holidays`);
      }
      const fileYear = (content as { year?: unknown }).year;
      if (fileYear !== undefined && fileYear !== year) {
        throw new UsageError(`year: the file is for ${String(fileYear)}, not ${year}`);
      }
      const { putHolidayCalendar } = await import('../lambdas/config/repository');
      return putHolidayCalendar({ ...content, year });
    },
  },
  'holidays show': {
    table: 'config',
    options: ['year'],
    required: ['year'],
    async run(values) {
      const year = parseYear(values.year);
      const { getHolidayCalendar } = await import('../lambdas/config/repository');
      const found = await getHolidayCalendar(year);
      return found
        ? { year, origin: found.origin, calendar: found.calendar }
        : { year, origin: 'weekends-only', calendar: null };
    },
  },
  'report totals': {
    table: 'aggregates',
    otherTables: ['serviceCodes', 'departments'],
    options: ['from', 'to', 'department', 'group-by'],
    required: ['from', 'to'],
    async run(values) {
      const { reportTotalsCommand } = await import('../lambdas/reports/cli');
      return reportTotalsCommand({
        from: values.from,
        to: values.to,
        department: values.department,
        groupBy: values['group-by'],
      });
    },
  },
  'onboardings resume': {
    table: 'onboardings',
    options: ['step'],
    required: [],
    stateMachine: true,
    positionals: true,
    run: (values, positionals) =>
      resumeCommand({ positionals, ...(values.step === undefined ? {} : { step: values.step }) }),
  },
  'onboardings recover': {
    table: 'onboardings',
    options: [],
    required: [],
    stateMachine: true,
    run: () => recoverCommand(),
  },
  preflight: {
    table: 'config',
    options: [],
    required: [],
    async run(values) {
      const { preflight, reportPreflight } = await import('./admin/preflight');
      const report = reportPreflight(await preflight(values.stack));
      if (!report.ok) process.exitCode = 1;
      return report;
    },
  },
  'report silent': {
    table: 'aggregates',
    otherTables: ['serviceCodes', 'departments'],
    options: ['date'],
    required: ['date'],
    async run(values) {
      const { reportSilentCommand } = await import('../lambdas/reports/cli');
      return reportSilentCommand({ date: values.date });
    },
  },
  'report backfill': {
    table: 'aggregates',
    options: ['from', 'to'],
    required: ['from', 'to'],
    async run(values) {
      const { reportBackfillCommand } = await import('../lambdas/reports/cli');
      return reportBackfillCommand({ from: values.from, to: values.to });
    },
  },
  'report reconcile': {
    table: 'counts',
    otherTables: ['aggregates'],
    options: ['date'],
    required: ['date'],
    async run(values) {
      const { reportReconcileCommand, driftCount } = await import('../lambdas/reports/cli');
      const report = await reportReconcileCommand({ date: values.date });
      // Drift is what an admin must act on: a non-zero exit lets a scheduled run alert.
      if (driftCount(report) > 0) process.exitCode = 1;
      return report;
    },
  },
};

const signatureCommands: Record<string, Command> = {
  'trust add': {
    table: 'config',
    options: ['file'],
    required: ['file'],
    run: (values) => trustAdd(values.file ?? ''),
  },
  'trust list': { table: 'config', options: [], required: [], run: () => trustList() },
  'trust remove': {
    table: 'config',
    options: ['id'],
    required: ['id'],
    run: (values) => trustRemove(values.id ?? ''),
  },
  'sign-pdf': {
    table: 'config',
    options: ['in', 'out', 'signer', 'email'],
    required: ['in', 'out'],
    run: (values) => {
      if (values.stack !== undefined) throw new UsageError('sign-pdf works in local mode only');
      return signPdfCommand({
        in: values.in ?? '',
        out: values.out ?? '',
        signer: values.signer ?? 'Local Test Competent Authority',
        email: values.email?.[0],
        runtimeFile: runtimeFilePath(values),
      });
    },
  },
};
Object.assign(COMMANDS, signatureCommands);
// Command families in their own modules (bin/admin/*): their options are declared in OPTIONS above.
for (const family of [onboardingCaseCommands, serviceCommands, departmentCommands])
  Object.assign(COMMANDS, family as Record<string, Command>);

/** The people commands (bin/admin/people.ts): what each reads, takes, and how its table looks. */
const peopleInput = (values: Values) => ({
  ...(values.role === undefined ? {} : { role: values.role }),
  ...(values.email === undefined ? {} : { email: values.email }),
  ...(values.name === undefined ? {} : { name: values.name }),
  ...(values.designation === undefined ? {} : { designation: values.designation }),
  ...(values.phone === undefined ? {} : { phone: values.phone }),
  ...(values.rule === undefined ? {} : { rule: values.rule }),
  ...(values.from === undefined ? {} : { from: values.from }),
  ...(values.to === undefined ? {} : { to: values.to }),
  ...(values.until === undefined ? {} : { until: values.until }),
  ...(values['from-date'] === undefined ? {} : { fromDate: values['from-date'] }),
  ...(values.onboarding === undefined ? {} : { onboarding: values.onboarding }),
  ...(values.step === undefined ? {} : { step: values.step }),
  ...(values.cancel ? { cancel: true } : {}),
});

const people = () => import('./admin/people');

const peopleCommands: Record<string, Command> = {
  'contacts set': {
    table: 'config',
    options: ['role', 'email', 'name', 'phone', 'rule'],
    required: ['role', 'email'],
    usage: 'contacts set',
    columns: { members: ['name', 'email', 'designation'] },
    run: async (values, _positionals, context) =>
      (await people()).contactsSet(peopleInput(values), actorOf(await context.identity())),
  },
  'contacts list': {
    table: 'config',
    options: [],
    required: [],
    usage: 'contacts list',
    columns: { contacts: ['role', 'name', 'rule', 'emails', 'phone'] },
    async run() {
      const { listContacts } = await import('../lambdas/config/repository');
      const { CONTACT_ROLES } = await import('../lambdas/config/contacts');
      const contacts = await listContacts();
      const configured = new Set(contacts.map((c) => c.role));
      return { contacts, missingRoles: CONTACT_ROLES.filter((role) => !configured.has(role)) };
    },
  },
  'contacts members list': {
    table: 'config',
    options: ['role'],
    required: [],
    usage: 'contacts members list',
    columns: { members: ['role', 'rule', 'name', 'email', 'designation'] },
    run: async (values) => (await people()).membersList(peopleInput(values)),
  },
  'contacts members add': {
    table: 'config',
    options: ['role', 'email', 'name', 'designation', 'rule'],
    required: ['role', 'email'],
    usage: 'contacts members add',
    columns: { members: ['name', 'email', 'designation'] },
    run: async (values, _positionals, context) =>
      (await people()).membersAdd(peopleInput(values), actorOf(await context.identity())),
  },
  'contacts members remove': {
    table: 'config',
    options: ['role', 'email', 'rule'],
    required: ['role', 'email'],
    usage: 'contacts members remove',
    columns: { members: ['name', 'email', 'designation'] },
    run: async (values, _positionals, context) =>
      (await people()).membersRemove(peopleInput(values), actorOf(await context.identity())),
  },
  'contacts rule': {
    table: 'config',
    options: ['role', 'rule'],
    required: ['role', 'rule'],
    usage: 'contacts rule',
    columns: { members: ['name', 'email', 'designation'] },
    run: async (values, _positionals, context) =>
      (await people()).contactsRule(peopleInput(values), actorOf(await context.identity())),
  },
  'contacts delegate': {
    table: 'config',
    otherTables: ['approvals', 'onboardings'],
    options: ['from', 'to', 'until', 'from-date', 'name', 'cancel'],
    required: ['from'],
    email: true,
    usage: 'contacts delegate',
    run: async (values, _positionals, context) =>
      (await people()).delegate(peopleInput(values), actorOf(await context.identity())),
  },
  'contacts delegations': {
    table: 'config',
    options: [],
    required: [],
    usage: 'contacts delegations',
    columns: { delegations: ['from', 'to', 'fromDate', 'until', 'active', 'setBy'] },
    run: async () => (await people()).delegationsList(),
  },
  'links resend': {
    table: 'approvals',
    otherTables: ['onboardings', 'config'],
    options: ['onboarding', 'step', 'role', 'to'],
    required: ['onboarding', 'step'],
    email: true,
    usage: 'links resend',
    columns: { resent: ['role', 'name', 'to', 'onBehalfOf'] },
    run: async (values, _positionals, context) =>
      (await people()).linksResend(peopleInput(values), actorOf(await context.identity())),
  },
  'links reassign': {
    table: 'approvals',
    otherTables: ['onboardings', 'config'],
    options: ['onboarding', 'step', 'role', 'to', 'from', 'name'],
    required: ['onboarding', 'step', 'to'],
    email: true,
    usage: 'links reassign',
    run: async (values, _positionals, context) =>
      (await people()).linksReassign(peopleInput(values), actorOf(await context.identity())),
  },
  'onboardings set-person': {
    table: 'onboardings',
    otherTables: ['approvals', 'departments'],
    options: ['role', 'name', 'designation', 'email', 'phone'],
    required: ['role', 'name', 'designation', 'email'],
    positionals: true,
    email: true,
    usage: 'onboardings set-person',
    run: async (values, positionals, context) =>
      (await people()).setPerson(peopleInput(values), positionals, actorOf(await context.identity())),
  },
};
Object.assign(COMMANDS, peopleCommands);

function runtimeFilePath(values: Values): string {
  return (
    values['runtime-file'] ||
    process.env.ETAAL_RUNTIME_FILE ||
    join(REPOSITORY_ROOT, '.local', 'runtime.json')
  );
}

function parseYear(value: string | undefined): number {
  if (!value || !/^\d{4}$/.test(value)) throw new UsageError('--year must be a four-digit year, e.g. 2026');
  return Number(value);
}

function parseCommandLine(
  args: string[],
): { command: Command; values: Values; positionals: string[] } | { help: string } {
  const parsed = (() => {
    try {
      return parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
  })();
  const words = parsed.positionals.slice(0, 2).join(' ');
  const name = COMMANDS[words]?.positionals ? words : parsed.positionals.join(' ');
  const command = COMMANDS[name];
  if (parsed.values.help) {
    return { help: command?.usage ? commandUsage(command.usage) : USAGE };
  }
  if (!command) throw new UsageError(name ? `Unknown command: ${name}` : 'No command given');
  const positionals = command.positionals ? parsed.positionals.slice(2) : [];
  const allowed = new Set<OptionName>([...command.options, ...GLOBAL_OPTIONS]);
  for (const token of parsed.tokens) {
    if (token.kind === 'option' && !allowed.has(token.name as OptionName)) {
      throw new UsageError(`Option --${token.name} does not apply to "${name}"`);
    }
  }
  for (const option of command.required) {
    if (parsed.values[option] === undefined) throw new UsageError(`"${name}" needs --${option}`);
  }
  if (parsed.values.stack !== undefined && parsed.values['runtime-file'] !== undefined) {
    throw new UsageError('Use either --stack or --runtime-file, not both');
  }
  return { command, values: parsed.values, positionals };
}

/**
 * A command's `--help`: its usage block (commands in bin/admin/* declare theirs whole), or the lines of
 * USAGE under the synopsis that starts with the command's words.
 */
function commandUsage(usage: string): string {
  const own: string[] = [];
  if (/^\s/.test(usage)) own.push(usage);
  else {
    let inside = false;
    for (const line of USAGE.split('\n')) {
      if (/^ {2}\S/.test(line)) inside = line.startsWith(`  ${usage} `) || line === `  ${usage}`;
      else if (!/^ {6}/.test(line)) inside = false;
      if (inside) own.push(line);
    }
  }
  return `Usage: npm run --silent admin -- ${own.join('\n').trim()}\n\nJSON on stdout; --format table for people. Exit codes: 0 done, 2 bad input (nothing changed), 1 failed.`;
}

const localRuntimeSchema = async () => {
  const z = await import('zod');
  return z.object({
    region: z.string().min(1),
    endpoints: z.object({ dynamodb: z.url(), sfn: z.url().optional(), sesv2: z.url().optional() }),
    tables: z.record(z.string(), z.string().min(1)),
    stateMachineArn: z.string().optional(),
    apiUrl: z.url().optional(),
    sesFromAddress: z.string().optional(),
  });
};

/** Points the AWS SDK and tableName() at the emulators of `npm start`, via the same env vars as handlers. */
async function targetLocalRuntime(values: Values, table: TableName): Promise<void> {
  const file = runtimeFilePath(values);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`No local runtime at ${file}: start it with \`npm start\`, or pass --stack <StackName>.`);
  }
  const parsed = (await localRuntimeSchema()).safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${file} is not a runtime file written by \`npm start\`.`);
  const runtime = parsed.data;
  const physical = runtime.tables[table];
  if (!physical) throw new Error(`${file} names no ${table} table.`);
  Object.assign(process.env, {
    AWS_REGION: runtime.region,
    AWS_ENDPOINT_URL_DYNAMODB: runtime.endpoints.dynamodb,
    // The emulators accept any credentials; these keep the SDK from looking for real ones.
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    [TABLES[table].envVar]: physical,
    ...(runtime.endpoints.sfn ? { AWS_ENDPOINT_URL_SFN: runtime.endpoints.sfn } : {}),
    ...(runtime.stateMachineArn ? { STATE_MACHINE_ARN: runtime.stateMachineArn } : {}),
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
}

/**
 * Commands that email (cancel, reopen, links resend|reassign, contacts delegate, set-person) send as the
 * functions do: the same sender, through SES, with links under the API's public base URL.
 */
async function targetEmail(values: Values): Promise<void> {
  if (values.stack !== undefined) {
    const outputs = await stackOutputValues(values.stack);
    const { sesFromAddress: from, apiBaseUrl: baseUrl } = outputs;
    if (!from || !baseUrl)
      throw new Error(
        `Stack ${values.stack} has no outputs sesFromAddress and apiBaseUrl: redeploy it from this version.`,
      );
    Object.assign(process.env, {
      SES_FROM_ADDRESS: from,
      PUBLIC_BASE_URL: baseUrl,
      ...(outputs.sesConfigurationSet ? { SES_CONFIGURATION_SET: outputs.sesConfigurationSet } : {}),
    });
    return;
  }
  const file = runtimeFilePath(values);
  const runtime = (await localRuntimeSchema()).parse(JSON.parse(readFileSync(file, 'utf8')));
  if (!runtime.endpoints.sesv2 || !runtime.apiUrl || !runtime.sesFromAddress)
    throw new Error(`${file} names no mailbox: restart \`npm start\` to write a current runtime file.`);
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SESV2: runtime.endpoints.sesv2,
    SES_FROM_ADDRESS: runtime.sesFromAddress,
    PUBLIC_BASE_URL: runtime.apiUrl,
  });
}

async function stackOutputValues(stackName: string): Promise<Record<string, string>> {
  const { CloudFormationClient, DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  const client = new CloudFormationClient({});
  try {
    const { Stacks = [] } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    return Object.fromEntries(
      (Stacks[0]?.Outputs ?? []).flatMap((o) =>
        o.OutputKey && o.OutputValue ? [[o.OutputKey, o.OutputValue]] : [],
      ),
    );
  } finally {
    client.destroy();
  }
}

/** Reads `<tablesKey>TableName` from the stack's outputs, e.g. `departmentsTableName`. */
async function targetStack(stackName: string, values: Values, table: TableName): Promise<void> {
  if (values.region) process.env.AWS_REGION = values.region;
  const outputs = await stackOutputValues(stackName);
  const outputName = `${table}TableName`;
  const physical = outputs[outputName];
  if (!physical) throw new Error(`Stack ${stackName} has no output ${outputName}.`);
  process.env[TABLES[table].envVar] = physical;
  const stateMachineArn = outputs.onboardingStateMachineArn;
  if (stateMachineArn) process.env.STATE_MACHINE_ARN = stateMachineArn;
}

async function main(args: string[]): Promise<number> {
  let commandLine: ReturnType<typeof parseCommandLine>;
  try {
    commandLine = parseCommandLine(args);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if ('help' in commandLine) {
    process.stdout.write(`${commandLine.help}\n`);
    return 0;
  }
  const { command, values, positionals } = commandLine;
  const format = parseFormat(values.format);
  if (!format) {
    process.stderr.write('--format must be json or table\n');
    return 2;
  }
  // stdout carries only the result: Lambda-side logging stays on stderr-level warnings, no metrics.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_SERVICE_NAME ??= 'etaal-admin';

  const { HttpError, ValidationError } = await import('../lambdas/shared/errors');
  try {
    for (const table of [command.table, ...(command.otherTables ?? [])]) {
      if (values.stack !== undefined) await targetStack(values.stack, values, table);
      else await targetLocalRuntime(values, table);
    }
    if (command.stateMachine && !process.env.STATE_MACHINE_ARN) {
      throw new Error(
        'The target names no onboarding state machine (restart `npm start`, or check --stack).',
      );
    }
    if (command.email) await targetEmail(values);
    let identity: Promise<AdminIdentity> | undefined;
    const context: AdminContext = {
      identity: () => {
        identity ??= adminIdentity(values.stack);
        return identity;
      },
      ...(values.stack !== undefined ? { stack: values.stack } : {}),
    };
    const result = await command.run(values, positionals, context);
    process.stdout.write(
      format === 'table'
        ? `${renderResult(command.tableView ? command.tableView(result) : result, command.columns)}\n`
        : `${JSON.stringify(result, null, 2)}\n`,
    );
    return process.exitCode === 1 ? 1 : 0;
  } catch (error) {
    if (
      error instanceof UsageError ||
      error instanceof OnboardingUsageError ||
      error instanceof AdminUsageError ||
      error instanceof PeopleUsageError
    ) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    if (error instanceof ValidationError) {
      for (const { field, message } of error.errors)
        process.stderr.write(`${field || '(input)'}: ${message}\n`);
      return 2;
    }
    process.stderr.write(`${error instanceof HttpError ? error.detail : (error as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
