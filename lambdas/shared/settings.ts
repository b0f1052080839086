import { METRICS_NAMESPACE, SERVICE_NAME } from './operator-signals';

/**
 * Every environment variable a handler reads, declared once: its name, what it means, how its text is
 * parsed (the default included) and who sets it. Handlers read them with `readSetting`; lib/ sets them
 * with `settingEnvironment`, from the same declaration (tables and buckets are declared the same way in
 * ./tables and ./buckets). No other module of lambdas/ reads `process.env`: a test fails when one does.
 *
 * A setting is read when it is used, not cached at load: a Lambda's environment never changes, and tests
 * vary settings between cases without reloading the handlers.
 */
export interface SettingSpec<T> {
  readonly envVar: string;
  /** What it controls, and who sets it (CDK, local mode, or an operator for a one-off). */
  readonly description: string;
  /** Turns the variable's text (undefined when unset) into the value, defaults included. */
  readonly parse: (raw: string | undefined, envVar: string) => T;
}

const setting = <T>(spec: SettingSpec<T>): SettingSpec<T> => spec;

/** A value the deployment must provide: a function without it is misconfigured, and says which. */
const required = (raw: string | undefined, envVar: string): string => {
  if (!raw) throw new Error(`Missing environment variable ${envVar}`);
  return raw;
};
const optional = (raw: string | undefined): string | undefined => raw || undefined;
/** An integer of at least 1; anything else (unset, blank, 0, 2.5, text) is the default. */
const positiveInteger =
  (fallback: number) =>
  (raw: string | undefined): number => {
    const n = Number(raw);
    return Number.isInteger(n) && n > 0 ? n : fallback;
  };
/** An integer of at least 0; unset, blank or anything else is the default. */
const nonNegativeInteger =
  (fallback: number) =>
  (raw: string | undefined): number => {
    const n = Number(raw);
    return raw !== undefined && raw.trim() !== '' && Number.isInteger(n) && n >= 0 ? n : fallback;
  };

/** A number of at least 1, fractions allowed; anything else is 1. */
const atLeastOne = (raw: string | undefined): number => {
  const n = Number(raw);
  return raw !== undefined && raw.trim() !== '' && Number.isFinite(n) && n >= 1 ? n : 1;
};

/** How step 3 is approved (`etaal:hodSignature`); see lambdas/signatures/policy.ts. */
export const HOD_SIGNATURE_POLICIES = ['required', 'optional', 'off'] as const;
export type HodSignaturePolicy = (typeof HOD_SIGNATURE_POLICIES)[number];

export const SETTINGS = {
  publicBaseUrl: setting({
    envVar: 'PUBLIC_BASE_URL',
    description:
      "The API's base URL, without a trailing slash: links in emails and pages and problem type URIs start with it. CDK sets the stage's URL on every function; local mode its own.",
    parse: (raw, envVar) => required(raw, envVar).replace(/\/+$/, ''),
  }),
  stateMachineArn: setting({
    envVar: 'STATE_MACHINE_ARN',
    description: "The onboarding workflow's state machine: CDK sets it on every function that uses it.",
    parse: required,
  }),
  sesFromAddress: setting({
    envVar: 'SES_FROM_ADDRESS',
    description: 'The sender of every email (lib/email.ts, from etaal:senderAddress).',
    parse: required,
  }),
  sesConfigurationSet: setting({
    envVar: 'SES_CONFIGURATION_SET',
    description:
      'The SES configuration set that records bounces and complaints (lib/email.ts); none locally.',
    parse: optional,
  }),
  timeScale: setting({
    envVar: 'ETAAL_TIME_SCALE',
    description:
      'Local mode only: how many times faster than real time the workflow waits and days pass (default 1).',
    parse: atLeastOne,
  }),
  escalationLimit: setting({
    envVar: 'ESCALATION_LIMIT',
    description:
      'Escalations of one step before the onboarding is flagged STALLED (etaal:escalationLimit, default 3).',
    parse: positiveInteger(3),
  }),
  hodSignaturePolicy: setting<HodSignaturePolicy>({
    envVar: 'HOD_SIGNATURE_POLICY',
    description:
      'How the competent authority approves step 3: required (a verified signed PDF; the default), optional (local mode), off.',
    parse: (raw) =>
      (HOD_SIGNATURE_POLICIES as readonly string[]).includes(raw ?? '')
        ? (raw as HodSignaturePolicy)
        : 'required',
  }),
  connectorUrlCredentials: setting({
    envVar: 'CONNECTOR_URL_CREDENTIALS',
    description:
      "Whether the connector reads UserName and Password from a GET's query string (etaal:connectorUrlCredentials; off unless 'true').",
    parse: (raw) => raw === 'true',
  }),
  connectorCredentialsSecretArn: setting({
    envVar: 'CONNECTOR_CREDENTIALS_SECRET_ARN',
    description:
      "The Secrets Manager secret holding NIC's connector user name and password (lib/connector-secret.ts).",
    parse: optional,
  }),
  connectorUsername: setting({
    envVar: 'ETAAL_CONNECTOR_USERNAME',
    description: "Local mode only (no secret there): the connector's user name.",
    parse: optional,
  }),
  connectorPassword: setting({
    envVar: 'ETAAL_CONNECTOR_PASSWORD',
    description: "Local mode only (no secret there): the connector's password.",
    parse: optional,
  }),
  countsRequestsPerMinute: setting({
    envVar: 'COUNTS_REQUESTS_PER_MINUTE',
    description: 'Count API requests one department may send a minute (default 60).',
    parse: positiveInteger(60),
  }),
  maxOpenOnboardings: setting({
    envVar: 'MAX_OPEN_ONBOARDINGS',
    description: 'Open onboardings one department may have at once (default 3).',
    parse: positiveInteger(3),
  }),
  onboardingsPerHour: setting({
    envVar: 'ONBOARDINGS_PER_HOUR',
    description: 'New onboardings one department may start an hour (default 5).',
    parse: positiveInteger(5),
  }),
  remindersPerRecipientPerDay: setting({
    envVar: 'REMINDERS_PER_RECIPIENT_PER_DAY',
    description: 'Reminder and escalation emails one address may get a day (default 10).',
    parse: positiveInteger(10),
  }),
  emailSendAttempts: setting({
    envVar: 'EMAIL_SEND_ATTEMPTS',
    description: 'Attempts to send one email before it counts as failed (default 3, at least 1).',
    parse: (raw) => Math.max(1, nonNegativeInteger(3)(raw)),
  }),
  emailRetryBaseMs: setting({
    envVar: 'EMAIL_RETRY_BASE_MS',
    description: 'The first wait between email attempts, tripled after each (default 500 ms).',
    parse: nonNegativeInteger(500),
  }),
  browserAssetsDir: setting({
    envVar: 'BROWSER_ASSETS_DIR',
    description:
      "Where the dashboard's bundled browser scripts are; unset in AWS (they are next to the function's bundle), set by local mode.",
    parse: optional,
  }),
  serviceName: setting({
    envVar: 'POWERTOOLS_SERVICE_NAME',
    description: "The logs' and metrics' service name, per stage (lib/lambda-functions.ts).",
    parse: (raw) => raw || SERVICE_NAME,
  }),
  metricsNamespace: setting({
    envVar: 'POWERTOOLS_METRICS_NAMESPACE',
    description: 'The CloudWatch namespace of the custom metrics.',
    parse: (raw) => raw || METRICS_NAMESPACE,
  }),
} as const;

export type SettingName = keyof typeof SETTINGS;
export type SettingValue<N extends SettingName> = ReturnType<(typeof SETTINGS)[N]['parse']>;

/** The current value of a setting, parsed as its declaration says. */
export function readSetting<N extends SettingName>(name: N): SettingValue<N> {
  const spec = SETTINGS[name] as SettingSpec<SettingValue<N>>;
  return spec.parse(process.env[spec.envVar], spec.envVar);
}

/**
 * A variable declared elsewhere by name only (a table's or bucket's physical name, ./tables and
 * ./buckets): required, like every name CDK sets.
 */
export function requiredVariable(envVar: string): string {
  return required(process.env[envVar], envVar);
}

/** The API's base URL (PUBLIC_BASE_URL), without a trailing slash. */
export const publicBaseUrl = (): string => readSetting('publicBaseUrl');

/** For lib/ and local mode: the environment that gives settings these values (same names, same texts). */
export function settingEnvironment(
  values: Partial<{ [N in SettingName]: string | number | boolean }>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [SETTINGS[name as SettingName].envVar, String(value)]),
  );
}
