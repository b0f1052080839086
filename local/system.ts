import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RouteSpec } from '../lambdas/functions';
import { TABLES, type TableName } from '../lambdas/shared/tables';
import { buildBrowserAssets } from '../lib/browser-assets';
import { type ApiGatewayOptions, createApiServer } from './api-gateway';
import { LOCAL_REGION, localStateMachineArn, localTableNames } from './aws';
import { createTables, type LocalDynamoDb, startDynamoDb } from './dynamodb';
import { FunctionRegistry } from './lambda';
import { close, listen, urlOf } from './net';
import { type LocalSes, startSes } from './ses';
import { LocalStepFunctions, loadDefinition } from './stepfunctions';
import { createStepFunctionsServer } from './stepfunctions-server';

export const REPOSITORY_ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_DATA_DIR = join(REPOSITORY_ROOT, '.local');
const DEFAULT_DEFINITION = join(REPOSITORY_ROOT, 'statemachines', 'onboarding.asl.json');
const DEFAULT_API_PORT = 3000;
const PID_FILE = 'local.pid';

/** Connector credentials of local mode only (AWS reads them from Secrets Manager); printed on start. */
export const LOCAL_CONNECTOR_CREDENTIALS = { username: 'etaal-local', password: 'etaal-local-password' };

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
  /** Tests of the runtime itself: another ASL file, function registry or route table. */
  readonly definitionPath?: string;
  readonly functions?: FunctionRegistry;
  readonly routes?: readonly RouteSpec[];
}

export interface LocalSystem {
  readonly region: string;
  readonly apiUrl: string;
  readonly mailboxUrl: string;
  readonly endpoints: { readonly dynamodb: string; readonly sesv2: string; readonly sfn: string };
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
  stop(): Promise<void>;
}

/**
 * Ports of this process's first system. Handler modules stay loaded between systems, and their AWS
 * clients keep the endpoint they resolved first, so a later system in the same process (a test file
 * with two suites, a restart) listens on the same ports.
 */
let processPorts: { dynamodb: number; ses: number; sfn: number; api: number } | undefined;
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
    functions?: FunctionRegistry;
    sfnServer?: Server;
    ses?: LocalSes;
    dynamo?: LocalDynamoDb;
    previousEnv?: Record<string, string | undefined>;
    files: string[];
  } = { files: [] };
  // Outside in: no request reaches a handler once the emulators and the environment are gone.
  const stopAll = async () => {
    try {
      if (parts.api) await close(parts.api);
      parts.engine?.close();
      await parts.functions?.drain();
      if (parts.sfnServer) await close(parts.sfnServer);
      await parts.ses?.stop();
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

    const dynamo = await startDynamoDb(dataDir ? join(dataDir, 'dynamodb') : null, processPorts?.dynamodb);
    parts.dynamo = dynamo;
    const tables = localTableNames();
    await createTables(dynamo.endpoint, tables);

    const ses = await startSes(processPorts?.ses);
    parts.ses = ses;

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
    const endpoints = { dynamodb: dynamo.endpoint, sesv2: ses.endpoint, sfn: urlOf(sfnPort) };
    // Browser scripts of the pages, bundled as CDK bundles them next to each function (lib/browser-assets.ts).
    const browserAssetsDir = mkdtempSync(join(tmpdir(), 'etaal-browser-assets-'));
    parts.files.push(browserAssetsDir);
    const env = handlerEnvironment({
      tables,
      endpoints,
      stateMachineArn,
      apiUrl,
      timeScale,
      extra: { BROWSER_ASSETS_DIR: browserAssetsDir, ...options.env },
    });
    parts.previousEnv = applyEnvironment(env);

    const { FUNCTIONS, ROUTES } = await import('../lambdas/functions');
    buildBrowserAssets(
      FUNCTIONS.flatMap((spec) => (spec.browserBundle ? [spec.browserBundle] : [])),
      browserAssetsDir,
    );
    const functions = options.functions ?? (await FunctionRegistry.load(FUNCTIONS, REPOSITORY_ROOT));
    parts.functions = functions;
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
      });
      parts.engine = engine;
    } else {
      console.warn(
        `[local] ${definitionPath} does not exist: StartExecution answers StateMachineDoesNotExist`,
      );
    }

    apiOptions = { routes: options.routes ?? ROUTES, functions };

    processPorts = { dynamodb: dynamo.port, ses: ses.port, sfn: sfnPort, api: apiPort };

    const runtimeFile = dataDir ? join(dataDir, 'runtime.json') : null;
    if (runtimeFile) {
      const runtime = {
        region: LOCAL_REGION,
        endpoints,
        tables,
        stateMachineArn,
        apiUrl,
        mailboxUrl: ses.endpoint,
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
      stateMachineArn,
      runtimeFile,
      env,
      functions,
      stepFunctions: engine,
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
  endpoints: { dynamodb: string; sesv2: string; sfn: string };
  stateMachineArn: string;
  apiUrl: string;
  timeScale: number;
  extra: Readonly<Record<string, string>> | undefined;
}): Record<string, string> {
  const env: Record<string, string> = {
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SESSION_TOKEN: '',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_DYNAMODB: input.endpoints.dynamodb,
    AWS_ENDPOINT_URL_SESV2: input.endpoints.sesv2,
    AWS_ENDPOINT_URL_SFN: input.endpoints.sfn,
    // Any other service goes to a closed loopback port: local mode never reaches real AWS.
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    STATE_MACHINE_ARN: input.stateMachineArn,
    SES_FROM_ADDRESS: 'no-reply@etaal-delhi.local',
    SES_CONFIGURATION_SET: '',
    PUBLIC_BASE_URL: input.apiUrl,
    ETAAL_TIME_SCALE: String(input.timeScale),
    ETAAL_CONNECTOR_USERNAME: LOCAL_CONNECTOR_CREDENTIALS.username,
    ETAAL_CONNECTOR_PASSWORD: LOCAL_CONNECTOR_CREDENTIALS.password,
    POWERTOOLS_SERVICE_NAME: 'etaal-delhi',
    POWERTOOLS_METRICS_NAMESPACE: 'ETaalDelhi',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
  for (const [key, spec] of Object.entries(TABLES) as [TableName, { envVar: string }][]) {
    env[spec.envVar] = input.tables[key];
  }
  return { ...env, ...input.extra };
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
