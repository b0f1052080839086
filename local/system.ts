import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RouteSpec } from '../lambdas/functions';
import { BUCKETS, type BucketName } from '../lambdas/shared/buckets';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../lambdas/shared/operator-signals';
import { readSetting, settingEnvironment } from '../lambdas/shared/settings';
import { TABLES, type TableName } from '../lambdas/shared/tables';
import { buildBrowserAssets } from '../lib/browser-assets';
import { type ApiGatewayOptions, createApiServer } from './api-gateway';
import { LOCAL_CREDENTIALS, LOCAL_REGION, LOCAL_SENDER, localStateMachineArn, localTableNames } from './aws';
import { createTables, type LocalDynamoDb, startDynamoDb } from './dynamodb';
import { type LocalStreams, type StreamTap, startStreamProxy, streamTapsFor } from './dynamodb-streams';
import { FunctionRegistry } from './lambda';
import { close, listen, urlOf } from './net';
import { DEFAULT_RECOVERY_INTERVAL_MS, type LocalRecovery, startLocalRecovery } from './recovery';
import { DEFAULT_REMINDERS_INTERVAL_MS, type LocalReminders, startLocalReminders } from './reminders';
import { type LocalS3, startS3 } from './s3';
import { DEFAULT_MAILBOX_PORT, type LocalSes, startSes } from './ses';
import { loadDefinition } from './state-machine-definition';
import { LocalStepFunctions } from './stepfunctions';
import { createStepFunctionsServer } from './stepfunctions-server';

export const REPOSITORY_ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_DATA_DIR = join(REPOSITORY_ROOT, '.local');
const DEFAULT_DEFINITION = join(REPOSITORY_ROOT, 'statemachines', 'onboarding.asl.json');
const DEFAULT_API_PORT = 3000;
const PID_FILE = 'local.pid';

/**
 * Connector credentials of local mode only (AWS reads them from Secrets Manager); printed on start.
 * ETAAL_CONNECTOR_USERNAME / ETAAL_CONNECTOR_PASSWORD in the environment of `npm start` replace them.
 */
export const LOCAL_CONNECTOR_CREDENTIALS = {
  username: process.env.ETAAL_CONNECTOR_USERNAME || 'etaal-local',
  password: process.env.ETAAL_CONNECTOR_PASSWORD || 'etaal-local-password',
};

export interface LocalSystemOptions {
  /** API port; 0 picks a free one. Default: the PORT env var, else 3000. */
  readonly port?: number;
  /** Where dynalite, executions and runtime.json live (default `.local/`); null keeps everything in memory. */
  readonly dataDir?: string | null;
  /** ETAAL_TIME_SCALE for handlers: 17280 makes a 24 h day pass in 5 s. Default: the env var, else 1. */
  readonly timeScale?: number;
  /** Extra or overriding environment variables for handlers. */
  readonly env?: Readonly<Record<string, string>>;
  /** Tests: every state machine Retry pauses this many ms instead of its IntervalSeconds schedule. */
  readonly retryIntervalMs?: number;
  /**
   * Tests: false skips checking the definition against the ASL schemas at start (about 2 s of CPU), for
   * the repository's own ASL, which test/onboarding/asl.test.ts checks once per run (paths and ARNs too).
   */
  readonly validateDefinition?: boolean;
  /** Tests of the runtime itself: another ASL file, function registry or route table. */
  readonly definitionPath?: string;
  readonly functions?: FunctionRegistry;
  readonly routes?: readonly RouteSpec[];
  /**
   * Mailbox (SES emulator) port. Default: MAILBOX_PORT, else 8005, stable across restarts; a system asked
   * for a free API port (`port: 0`, as tests do) gets a free mailbox port too.
   */
  readonly mailboxPort?: number;
  /** How often the recovery sweep resumes onboardings whose execution stopped (default 60 s). */
  readonly recoveryIntervalMs?: number;
  /** How often the reminders run (default hourly, as in AWS). */
  readonly remindersIntervalMs?: number;
}

export interface LocalSystem {
  readonly region: string;
  readonly apiUrl: string;
  readonly mailboxUrl: string;
  readonly endpoints: {
    readonly dynamodb: string;
    readonly sesv2: string;
    readonly sfn: string;
    readonly s3: string;
  };
  /** BUCKETS key -> bucket name in the S3 emulator. */
  readonly buckets: Readonly<Record<BucketName, string>>;
  /** TABLES key -> physical table name. */
  readonly tables: Readonly<Record<TableName, string>>;
  readonly stateMachineArn: string;
  /** `<dataDir>/runtime.json`, read by the admin CLI; null when in memory. */
  readonly runtimeFile: string | null;
  /** The environment handlers run with. */
  readonly env: Readonly<Record<string, string>>;
  /** The in-process Lambda functions (with the import error of any that failed to load). */
  readonly functions: FunctionRegistry;
  /** The Step Functions engine, for tests that inspect executions directly; null without an ASL file. */
  readonly stepFunctions: LocalStepFunctions | null;
  /** Resolves once every DynamoDB stream record so far reached its consumer (the aggregates are current). */
  streamsDrained(): Promise<void>;
  /** The recovery sweep (local/recovery.ts); null without a state machine. */
  readonly recovery: LocalRecovery | null;
  /** The hourly reminders (local/reminders.ts); null without a state machine. */
  readonly reminders: LocalReminders | null;
  stop(): Promise<void>;
}

/**
 * Ports of this process's first system. Handler modules stay loaded between systems, and their AWS
 * clients keep the endpoint they resolved first, so a later system in the same process (a test file
 * with two suites, a restart) listens on the same ports.
 */
/** The sender of local mode's mail (the mailbox shows it). */

let processPorts: { dynamodb: number; ses: number; sfn: number; s3: number; api: number } | undefined;
let running = false;

/**
 * Starts the whole system on this machine: dynalite, aws-ses-v2-local, a local Step Functions endpoint
 * running the real ASL, and the HTTP API, all on 127.0.0.1; the handlers are the deployed code, reaching
 * the emulators through the AWS SDK's endpoint environment variables. One system per process at a time.
 */
export async function startLocalSystem(options: LocalSystemOptions = {}): Promise<LocalSystem> {
  if (running) throw new Error('A local system is already running in this process');
  running = true;
  const parts: {
    api?: Server;
    engine?: LocalStepFunctions;
    recovery?: LocalRecovery;
    reminders?: LocalReminders;
    functions?: FunctionRegistry;
    sfnServer?: Server;
    ses?: LocalSes;
    s3?: LocalS3;
    dynamo?: LocalDynamoDb;
    streams?: LocalStreams;
    previousEnv?: Record<string, string | undefined>;
    files: string[];
  } = { files: [] };
  // Outside in: no request reaches a handler once the emulators and the environment are gone.
  const stopAll = async () => {
    try {
      if (parts.api) await close(parts.api);
      parts.recovery?.stop();
      parts.reminders?.stop();
      await parts.recovery?.ready;
      parts.engine?.close();
      await parts.functions?.drain();
      if (parts.sfnServer) await close(parts.sfnServer);
      await parts.ses?.stop();
      await parts.s3?.stop();
      await parts.streams?.stop();
      await parts.dynamo?.stop();
      if (parts.previousEnv) restoreEnvironment(parts.previousEnv);
      for (const file of parts.files) rmSync(file, { force: true, recursive: true });
    } finally {
      running = false;
    }
  };
  try {
    const dataDir =
      options.dataDir === undefined ? DEFAULT_DATA_DIR : options.dataDir && resolve(options.dataDir);
    if (dataDir) {
      mkdirSync(dataDir, { recursive: true });
      claimDataDir(dataDir);
      parts.files.push(join(dataDir, PID_FILE));
    }
    const timeScale = options.timeScale ?? Number(process.env.ETAAL_TIME_SCALE ?? 1);
    if (!(Number.isFinite(timeScale) && timeScale > 0)) {
      throw new RangeError('timeScale must be a positive number');
    }

    const dynamo = await startDynamoDb(dataDir ? join(dataDir, 'dynamodb') : null);
    parts.dynamo = dynamo;
    const tables = localTableNames();
    await createTables(dynamo.endpoint, tables);
    // Handlers reach dynalite through the stream proxy, which feeds the stream consumers (local/README.md).
    let taps: StreamTap[] = [];
    const streams = await startStreamProxy(dynamo.endpoint, () => taps, processPorts?.dynamodb);
    parts.streams = streams;

    const ses = await startSes(
      processPorts?.ses ?? mailboxPort(options),
      dataDir ? join(dataDir, 'mailbox.json') : undefined,
    );
    parts.ses = ses;

    const buckets = localBucketNames();
    const s3 = await startS3(dataDir ? join(dataDir, 's3') : null, Object.values(buckets), processPorts?.s3);
    parts.s3 = s3;

    // The Step Functions server listens before the engine exists: its URL goes into the handlers'
    // environment, and handlers must be imported after the environment is set.
    let engine: LocalStepFunctions | null = null;
    parts.sfnServer = createStepFunctionsServer(() => engine);
    const sfnPort = await listen(parts.sfnServer, processPorts?.sfn ?? 0);

    // Likewise the API: PUBLIC_BASE_URL needs its port; it answers 503 until the handlers are loaded.
    let apiOptions: ApiGatewayOptions | null = null;
    parts.api = createApiServer(() => apiOptions);
    const requestedPort = options.port ?? Number(process.env.PORT ?? DEFAULT_API_PORT);
    const apiPort = await listen(
      parts.api,
      requestedPort === 0 && processPorts ? processPorts.api : requestedPort,
    );
    const apiUrl = urlOf(apiPort);

    const stateMachineArn = localStateMachineArn();
    const endpoints = {
      dynamodb: streams.endpoint,
      sesv2: ses.endpoint,
      sfn: urlOf(sfnPort),
      s3: s3.endpoint,
    };
    // Browser scripts of the pages, bundled as CDK bundles them next to each function (lib/browser-assets.ts).
    const browserAssetsDir = mkdtempSync(join(tmpdir(), 'etaal-browser-assets-'));
    parts.files.push(browserAssetsDir);
    const env = handlerEnvironment({
      tables,
      buckets,
      endpoints,
      stateMachineArn,
      apiUrl,
      timeScale,
      extra: { ...settingEnvironment({ browserAssetsDir }), ...options.env },
    });
    parts.previousEnv = applyEnvironment(env);

    if (dataDir) await trustLocalTestCa(dataDir);

    const { FUNCTIONS, ROUTES } = await import('../lambdas/functions');
    buildBrowserAssets(
      FUNCTIONS.flatMap((spec) => (spec.browserBundle ? [spec.browserBundle] : [])),
      browserAssetsDir,
    );
    const functions = options.functions ?? (await FunctionRegistry.load(FUNCTIONS, REPOSITORY_ROOT));
    parts.functions = functions;
    taps = streamTapsFor(FUNCTIONS, tables, (id, event) => functions.invoke(id, event));
    for (const { id, error } of functions.loadErrors) {
      console.warn(`[local] function ${id} could not be loaded; its invocations fail:`, error);
    }
    const definitionPath = options.definitionPath ?? DEFAULT_DEFINITION;
    if (existsSync(definitionPath)) {
      engine = new LocalStepFunctions({
        definition: loadDefinition(definitionPath, functions.ids),
        stateMachineArn,
        functions,
        persistFile: dataDir ? join(dataDir, 'executions.json') : null,
        ...(options.retryIntervalMs !== undefined ? { retryIntervalMs: options.retryIntervalMs } : {}),
        ...(options.validateDefinition === false ? { validate: false } : {}),
      });
      parts.engine = engine;
    } else {
      console.warn(
        `[local] ${definitionPath} does not exist: StartExecution answers StateMachineDoesNotExist`,
      );
    }

    apiOptions = { routes: options.routes ?? ROUTES, functions, publicBaseUrl: apiUrl };
    if (engine) {
      const recovery = startLocalRecovery(
        functions,
        options.recoveryIntervalMs ?? DEFAULT_RECOVERY_INTERVAL_MS,
      );
      if (recovery) parts.recovery = recovery;
      await recovery?.ready;
      const reminders = startLocalReminders(
        functions,
        options.remindersIntervalMs ?? DEFAULT_REMINDERS_INTERVAL_MS,
      );
      if (reminders) parts.reminders = reminders;
    }

    processPorts = { dynamodb: streams.port, ses: ses.port, sfn: sfnPort, s3: s3.port, api: apiPort };

    const runtimeFile = dataDir ? join(dataDir, 'runtime.json') : null;
    if (runtimeFile) {
      const runtime = {
        region: LOCAL_REGION,
        endpoints,
        tables,
        buckets,
        stateMachineArn,
        apiUrl,
        mailboxUrl: ses.endpoint,
        sesFromAddress: LOCAL_SENDER,
      };
      writeFileSync(runtimeFile, `${JSON.stringify(runtime, null, 2)}\n`);
      parts.files.push(runtimeFile);
    }

    let stopping: Promise<void> | undefined;
    return {
      region: LOCAL_REGION,
      apiUrl,
      mailboxUrl: ses.endpoint,
      endpoints,
      tables,
      buckets,
      stateMachineArn,
      runtimeFile,
      env,
      functions,
      stepFunctions: engine,
      streamsDrained: () => streams.drained(),
      recovery: parts.recovery ?? null,
      reminders: parts.reminders ?? null,
      stop: () => {
        stopping ??= stopAll();
        return stopping;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function mailboxPort(options: LocalSystemOptions): number {
  if (options.mailboxPort !== undefined) return options.mailboxPort;
  if (process.env.MAILBOX_PORT) return Number(process.env.MAILBOX_PORT);
  return options.port === 0 ? 0 : DEFAULT_MAILBOX_PORT;
}

/**
 * One system per data dir: LevelDB allows one process, and dynalite would only fail on the first request.
 * The pid file of a process that no longer runs (a crash) is taken over.
 */
function claimDataDir(dataDir: string): void {
  const pidFile = join(dataDir, PID_FILE);
  const owner = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : Number.NaN;
  if (Number.isInteger(owner) && owner !== process.pid && processRuns(owner)) {
    throw new Error(
      `${dataDir} is in use by process ${owner} (another npm start?); stop it or use another data dir`,
    );
  }
  writeFileSync(pidFile, String(process.pid));
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

function handlerEnvironment(input: {
  tables: Record<TableName, string>;
  buckets: Record<BucketName, string>;
  endpoints: { dynamodb: string; sesv2: string; sfn: string; s3: string };
  stateMachineArn: string;
  apiUrl: string;
  timeScale: number;
  extra: Readonly<Record<string, string>> | undefined;
}): Record<string, string> {
  const env: Record<string, string> = {
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: '',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_DYNAMODB: input.endpoints.dynamodb,
    AWS_ENDPOINT_URL_SESV2: input.endpoints.sesv2,
    AWS_ENDPOINT_URL_SFN: input.endpoints.sfn,
    AWS_ENDPOINT_URL_S3: input.endpoints.s3,
    // Any other service goes to a closed loopback port: local mode never reaches real AWS.
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    POWERTOOLS_METRICS_DISABLED: 'true',
    // The handlers' own settings, by their declarations (lambdas/shared/settings.ts).
    ...settingEnvironment({
      // Local mode accepts a click approval at step 3 too (recorded as unsigned); see docs/signatures.md.
      hodSignaturePolicy: 'optional',
      stateMachineArn: input.stateMachineArn,
      sesFromAddress: 'no-reply@etaal-delhi.local',
      sesConfigurationSet: '',
      publicBaseUrl: input.apiUrl,
      timeScale: input.timeScale,
      connectorUsername: LOCAL_CONNECTOR_CREDENTIALS.username,
      connectorPassword: LOCAL_CONNECTOR_CREDENTIALS.password,
      // Off unless `npm start` was given CONNECTOR_URL_CREDENTIALS=true.
      connectorUrlCredentials: readSetting('connectorUrlCredentials'),
      serviceName: SERVICE_NAME,
      metricsNamespace: METRICS_NAMESPACE,
    }),
  };
  for (const [key, spec] of Object.entries(TABLES) as [TableName, { envVar: string }][]) {
    env[spec.envVar] = input.tables[key];
  }
  for (const [key, spec] of Object.entries(BUCKETS) as [BucketName, { envVar: string }][]) {
    env[spec.envVar] = input.buckets[key];
  }
  return { ...env, ...input.extra };
}

/**
 * The local test CA (`.local/test-ca/`, made on first start) goes into the local trust store, so
 * `npm run admin -- sign-pdf` signatures verify; a deployment's trust store never has it.
 */
async function trustLocalTestCa(dataDir: string): Promise<void> {
  const { ensureLocalCa } = await import('./signing');
  const { addTrust } = await import('../lambdas/signatures/trust-store');
  await addTrust((await ensureLocalCa(dataDir)).rootPem);
}

function localBucketNames(): Record<BucketName, string> {
  const names = {} as Record<BucketName, string>;
  for (const key of Object.keys(BUCKETS) as BucketName[]) names[key] = `etaal-local-${key}`;
  return names;
}

function applyEnvironment(env: Record<string, string>): Record<string, string | undefined> {
  const previous: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(env)) {
    previous[key] = process.env[key];
    process.env[key] = value;
  }
  return previous;
}

function restoreEnvironment(previous: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(previous)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}
