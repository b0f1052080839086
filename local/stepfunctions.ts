import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import { LOCAL_ACCOUNT, localExecutionArn, localLambdaArn } from './aws';
import { FunctionError, type FunctionRegistry } from './lambda';
import { parseReferencePath, type ReferencePath, readPath, writePath } from './reference-path';

/**
 * A Step Functions service for local mode: runs the real ASL with aws-local-stepfunctions and adds what
 * the interpreter lacks: executions addressed by ARN and name (with StartExecution's name idempotency),
 * `.waitForTaskToken` callback tasks with fresh task tokens, SendTask* calls, heartbeats and history.
 * Task states call the local Lambda functions in-process.
 */

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const LAMBDA_CALLBACK = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]+)(?::[A-Za-z0-9$_-]+)?$/;
/** Node timers overflow (and fire at once) beyond 2^31-1 ms, about 24.8 days. */
export const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);
const ROLE_ARN = `arn:aws:iam::${LOCAL_ACCOUNT}:role/etaal-local-states`;
const NOT_RESUMABLE = 'The local runtime stopped; local executions do not survive a restart';
const HIDDEN_TIMEOUT = '__etaalLocalTimeoutSeconds';
const HIDDEN_HEARTBEAT = '__etaalLocalHeartbeatSeconds';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** An error of the Step Functions API; `name` is the AWS error code (`TaskTimedOut`, `InvalidArn`...). */
export class SfnApiError extends Error {
  constructor(code: string, message: string) {
    super(message);
    this.name = code;
  }
}

export interface ExecutionDescription {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
}

export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: Date;
  type: string;
  [details: string]: unknown;
}

interface ExecutionRecord extends ExecutionDescription {
  readonly events: HistoryEvent[];
  readonly taskTokens: Set<string>;
  abort?: () => void;
}

interface TaskConfig {
  readonly kind: 'invoke' | 'callback' | 'lambda';
  /** Known when the definition names the function; else read from the effective input's FunctionName. */
  readonly functionId?: string;
  readonly timeoutSeconds?: number;
  readonly timeoutPath?: ReferencePath;
  readonly heartbeatSeconds?: number;
  readonly heartbeatPath?: ReferencePath;
}

interface PendingTask {
  readonly execution: ExecutionRecord;
  readonly resolve: (output: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly heartbeatMs?: number;
  heartbeatTimer?: NodeJS.Timeout;
  timeoutTimer?: NodeJS.Timeout;
}

interface TaskAttempt {
  readonly execution: ExecutionRecord;
  readonly stateName: string;
  readonly config: TaskConfig;
  readonly placeholder: string;
  readonly context: object;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface LocalStepFunctionsOptions {
  /** The ASL definition with every substitution already resolved (see `loadDefinition`). */
  readonly definition: StateMachineDefinition;
  readonly stateMachineArn: string;
  readonly functions: FunctionRegistry;
  /** File that keeps executions across restarts (null: memory only). */
  readonly persistFile?: string | null;
  /** Tests: every Retry pauses this many ms instead of its IntervalSeconds/BackoffRate schedule. */
  readonly retryIntervalMs?: number;
  /**
   * Whether the definition is checked against the ASL schemas first (default true). Each check compiles
   * asl-validator's schemas anew: about 2 s of CPU.
   */
  readonly validate?: boolean;
}

/**
 * Reads an ASL file and resolves `${<Id>FunctionArn}` to local Lambda ARNs, as CDK's definition
 * substitutions do in AWS. An unresolved `${...}` is an error.
 */
export function loadDefinition(path: string, functionIds: readonly string[]): StateMachineDefinition {
  const values: Record<string, string> = {};
  for (const id of functionIds) values[`${id}FunctionArn`] = localLambdaArn(id);
  const text = readFileSync(path, 'utf8').replace(/\$\{([A-Za-z0-9_]+)\}/g, (placeholder, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`${path}: no value for the substitution ${placeholder}`);
    return value;
  });
  return JSON.parse(text) as StateMachineDefinition;
}

type AnyState = Record<string, unknown> & { Type: string };

/**
 * Checks the Task states local mode can run and adapts the definition to the interpreter: a Task without
 * a timeout waits (almost) forever as in AWS instead of the interpreter's 60 s default.
 */
function prepareDefinition(
  definition: StateMachineDefinition,
  functions: FunctionRegistry,
): { definition: StateMachineDefinition; tasks: Map<string, TaskConfig>; retrying: string[] } {
  const copy = structuredClone(definition) as StateMachineDefinition;
  const tasks = new Map<string, TaskConfig>();
  const retrying: string[] = [];
  const seen = new Set<string>();
  if (copy.TimeoutSeconds !== undefined)
    copy.TimeoutSeconds = Math.min(copy.TimeoutSeconds, MAX_TIMER_SECONDS);

  const functionIdOf = (stateName: string, nameOrArn: unknown): string | undefined => {
    if (typeof nameOrArn !== 'string') return undefined;
    const id = LAMBDA_ARN.exec(nameOrArn)?.[1] ?? nameOrArn;
    if (!functions.has(id))
      throw new Error(`State ${stateName} invokes ${nameOrArn}, which is not a local function`);
    return id;
  };

  const walk = (states: Record<string, AnyState>) => {
    for (const [name, state] of Object.entries(states)) {
      if (seen.has(name)) throw new Error(`State name ${name} is used twice; local mode needs unique names`);
      seen.add(name);
      if (Array.isArray(state.Retry)) retrying.push(name);
      if (state.Type === 'Parallel') {
        for (const branch of state.Branches as { States: Record<string, AnyState> }[]) walk(branch.States);
      }
      if (state.Type === 'Map') {
        const processor = (state.ItemProcessor ?? state.Iterator) as { States: Record<string, AnyState> };
        walk(processor.States);
      }
      if (state.Type !== 'Task') continue;
      const resource = String(state.Resource);
      const parameters = state.Parameters as Record<string, unknown> | undefined;
      let config: TaskConfig;
      if (resource === LAMBDA_INVOKE || resource === LAMBDA_CALLBACK) {
        const callback = resource === LAMBDA_CALLBACK;
        if (callback && !JSON.stringify(parameters ?? {}).includes('$$.Task.Token')) {
          throw new Error(`State ${name} waits for a task token but its Parameters never pass $$.Task.Token`);
        }
        config = {
          kind: callback ? 'callback' : 'invoke',
          functionId: functionIdOf(name, parameters?.FunctionName),
        };
      } else if (LAMBDA_ARN.test(resource)) {
        config = { kind: 'lambda', functionId: functionIdOf(name, resource) };
      } else {
        throw new Error(`State ${name}: local mode runs Lambda tasks only, not ${resource}`);
      }
      if (state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) {
        state.TimeoutSeconds = MAX_TIMER_SECONDS;
      }
      if (typeof state.TimeoutSeconds === 'number') {
        state.TimeoutSeconds = Math.min(state.TimeoutSeconds, MAX_TIMER_SECONDS);
      }
      // AWS resolves TimeoutSecondsPath/HeartbeatSecondsPath against the state's input, the interpreter
      // (TimeoutSecondsPath only) against the Parameters output: a hidden Parameters field carries the
      // value across, so the same path means the same thing in both.
      const hidden: Record<string, string> = {};
      if (typeof state.TimeoutSecondsPath === 'string' && parameters) {
        hidden[`${HIDDEN_TIMEOUT}.$`] = state.TimeoutSecondsPath;
        state.TimeoutSecondsPath = `$.${HIDDEN_TIMEOUT}`;
      }
      if (typeof state.HeartbeatSecondsPath === 'string' && parameters) {
        hidden[`${HIDDEN_HEARTBEAT}.$`] = state.HeartbeatSecondsPath;
        state.HeartbeatSecondsPath = `$.${HIDDEN_HEARTBEAT}`;
      }
      if (parameters) state.Parameters = { ...parameters, ...hidden };
      tasks.set(name, {
        ...config,
        ...(typeof state.TimeoutSeconds === 'number' ? { timeoutSeconds: state.TimeoutSeconds } : {}),
        ...(typeof state.TimeoutSecondsPath === 'string'
          ? { timeoutPath: parseReferencePath(state.TimeoutSecondsPath) }
          : {}),
        ...(typeof state.HeartbeatSeconds === 'number' ? { heartbeatSeconds: state.HeartbeatSeconds } : {}),
        ...(typeof state.HeartbeatSecondsPath === 'string'
          ? { heartbeatPath: parseReferencePath(state.HeartbeatSecondsPath) }
          : {}),
      });
    }
  };
  walk(copy.States as unknown as Record<string, AnyState>);
  return { definition: copy, tasks, retrying };
}

/** The error a Task state fails with: Retry/Catch match `name` (the States error), `message` is the Cause. */
function taskError(error: string, cause: string): Error {
  const taskFailure = new Error(cause);
  taskFailure.name = error;
  return taskFailure;
}

function fromInvocationError(error: unknown): Error {
  if (error instanceof FunctionError) return taskError(error.errorType, JSON.stringify(error.payload));
  return taskError('Lambda.Unknown', error instanceof Error ? error.message : String(error));
}

/** Step Functions' quota on any state's input or output, and on execution input and task output. */
export const MAX_DATA_BYTES = 262_144;

const tooLarge = (text: string) => Buffer.byteLength(text) > MAX_DATA_BYTES;

function withinDataLimit(result: Json): Json {
  if (tooLarge(JSON.stringify(result))) {
    throw taskError('States.DataLimitExceeded', `The task result is larger than ${MAX_DATA_BYTES} bytes`);
  }
  return result;
}

function withoutHiddenFields(input: Json): Json {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  const { [HIDDEN_TIMEOUT]: _timeout, [HIDDEN_HEARTBEAT]: _heartbeat, ...rest } = input;
  return rest;
}

/** Task tokens look like AWS's: long, opaque, standard base64 (so `+`, `/`, `=` test URL encoding). */
function mintTaskToken(): string {
  return randomBytes(121).toString('base64');
}

function replaceInStrings(value: unknown, search: string, replacement: string): unknown {
  if (typeof value === 'string') return value.replaceAll(search, replacement);
  if (Array.isArray(value)) return value.map((item) => replaceInStrings(item, search, replacement));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, replaceInStrings(item, search, replacement)]),
    );
  }
  return value;
}

/** StartExecution's name rules: 1-80 characters, no whitespace, brackets, wildcards, specials or controls. */
function isValidExecutionName(name: string): boolean {
  const isControl = (c: string) => {
    const code = c.codePointAt(0) ?? 0;
    return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
  };
  return /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/]{1,80}$/.test(name) && ![...name].some(isControl);
}

export class LocalStepFunctions {
  readonly stateMachineArn: string;
  private readonly machine: StateMachine;
  private readonly tasks: Map<string, TaskConfig>;
  private readonly retryIntervalOverrides: Record<string, number> | undefined;
  private readonly functions: FunctionRegistry;
  private readonly persistFile: string | null;
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly pendingTasks = new Map<string, PendingTask>();
  private readonly closedTokens = new Set<string>();
  private closing = false;

  constructor(options: LocalStepFunctionsOptions) {
    this.stateMachineArn = options.stateMachineArn;
    this.functions = options.functions;
    this.persistFile = options.persistFile ?? null;
    const prepared = prepareDefinition(options.definition, options.functions);
    this.tasks = prepared.tasks;
    const { retryIntervalMs } = options;
    this.retryIntervalOverrides =
      retryIntervalMs === undefined
        ? undefined
        : Object.fromEntries(prepared.retrying.map((name) => [name, retryIntervalMs]));
    this.machine = new StateMachine(
      prepared.definition,
      options.validate === false ? { validationOptions: { noValidate: true } } : {},
    );
    this.restore();
  }

  startExecution(request: { stateMachineArn?: string; name?: string; input?: string }): {
    executionArn: string;
    startDate: Date;
  } {
    if (this.closing) throw new SfnApiError('ServiceUnavailable', 'The local runtime is stopping');
    this.checkStateMachineArn(request.stateMachineArn);
    const name = request.name ?? randomUUID();
    if (!isValidExecutionName(name)) throw new SfnApiError('InvalidName', `Invalid Name: '${name}'`);
    const input = request.input ?? '{}';
    if (tooLarge(input))
      throw new SfnApiError('ValidationException', `input is larger than ${MAX_DATA_BYTES} bytes`);
    let parsedInput: Json;
    try {
      parsedInput = JSON.parse(input) as Json;
    } catch {
      throw new SfnApiError('InvalidExecutionInput', 'Invalid State Machine Execution Input: not valid JSON');
    }
    const executionArn = localExecutionArn(this.stateMachineArn, name);
    const existing = this.executions.get(executionArn);
    if (existing) {
      // AWS: idempotent only while the execution runs and only for the same input.
      if (existing.status === 'RUNNING' && existing.input === input) {
        return { executionArn, startDate: existing.startDate };
      }
      throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const execution: ExecutionRecord = {
      executionArn,
      stateMachineArn: this.stateMachineArn,
      name,
      status: 'RUNNING',
      startDate: new Date(),
      input,
      events: [],
      taskTokens: new Set(),
    };
    this.executions.set(executionArn, execution);
    this.run(execution, parsedInput);
    this.persist();
    return { executionArn, startDate: execution.startDate };
  }

  describeExecution(executionArn: string): ExecutionDescription {
    const {
      events: _events,
      taskTokens: _tokens,
      abort: _abort,
      ...description
    } = this.execution(executionArn);
    return description;
  }

  listExecutions(statusFilter?: ExecutionStatus): ExecutionDescription[] {
    return [...this.executions.values()]
      .filter((e) => !statusFilter || e.status === statusFilter)
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime())
      .map((e) => this.describeExecution(e.executionArn));
  }

  getExecutionHistory(executionArn: string): HistoryEvent[] {
    return [...this.execution(executionArn).events];
  }

  stopExecution(executionArn: string, error?: string, cause?: string): { stopDate: Date } {
    const execution = this.execution(executionArn);
    if (execution.status === 'RUNNING') {
      this.finish(execution, { status: 'ABORTED', error, cause });
      execution.abort?.();
    }
    return { stopDate: execution.stopDate ?? new Date() };
  }

  sendTaskSuccess(taskToken: string, output: string): void {
    if (tooLarge(output))
      throw new SfnApiError('ValidationException', `output is larger than ${MAX_DATA_BYTES} bytes`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(output);
    } catch {
      throw new SfnApiError('InvalidOutput', 'Invalid Output: not valid JSON');
    }
    const task = this.openTask(taskToken);
    this.closeTask(taskToken);
    task.resolve(parsed);
  }

  sendTaskFailure(taskToken: string, error?: string, cause?: string): void {
    if ((error?.length ?? 0) > 256) throw new SfnApiError('ValidationException', 'error is longer than 256');
    if ((cause?.length ?? 0) > 32768)
      throw new SfnApiError('ValidationException', 'cause is longer than 32768');
    const task = this.openTask(taskToken);
    this.closeTask(taskToken);
    task.reject(taskError(error ?? '', cause ?? ''));
  }

  sendTaskHeartbeat(taskToken: string): void {
    const task = this.openTask(taskToken);
    if (task.heartbeatMs !== undefined) this.armHeartbeat(taskToken, task);
  }

  /** Aborts running executions (they are not resumed by a restart) and releases every timer. */
  close(): void {
    this.closing = true;
    for (const execution of this.executions.values()) {
      if (execution.status !== 'RUNNING') continue;
      this.finish(execution, { status: 'ABORTED', error: 'Local.RuntimeStopped', cause: NOT_RESUMABLE });
      execution.abort?.();
    }
    for (const [token, task] of this.pendingTasks) {
      this.closeTask(token);
      task.reject(taskError('States.Runtime', 'The local runtime stopped'));
    }
  }

  private checkStateMachineArn(arn: string | undefined): void {
    if (arn !== undefined && arn !== this.stateMachineArn) {
      throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    }
  }

  private execution(executionArn: string): ExecutionRecord {
    if (!executionArn?.startsWith('arn:aws:states:')) {
      throw new SfnApiError('InvalidArn', `Invalid Arn: '${executionArn}'`);
    }
    const execution = this.executions.get(executionArn);
    if (!execution)
      throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return execution;
  }

  private openTask(taskToken: string): PendingTask {
    if (typeof taskToken !== 'string' || taskToken.length < 1 || taskToken.length > 2048) {
      throw new SfnApiError('ValidationException', 'taskToken must be 1 to 2048 characters long');
    }
    const task = this.pendingTasks.get(taskToken);
    if (task) return task;
    if (this.closedTokens.has(taskToken)) {
      throw new SfnApiError('TaskTimedOut', 'Task Timed Out: Provided task does not exist anymore');
    }
    throw new SfnApiError('TaskDoesNotExist', 'Task Does Not Exist: Provided task does not exist');
  }

  private closeTask(taskToken: string): void {
    const task = this.pendingTasks.get(taskToken);
    if (!task) return;
    clearTimeout(task.heartbeatTimer);
    clearTimeout(task.timeoutTimer);
    this.pendingTasks.delete(taskToken);
    this.closedTokens.add(taskToken);
  }

  private armHeartbeat(taskToken: string, task: PendingTask): void {
    clearTimeout(task.heartbeatTimer);
    task.heartbeatTimer = setTimeout(() => {
      this.closeTask(taskToken);
      task.reject(taskError('States.HeartbeatTimeout', 'No heartbeat within HeartbeatSeconds'));
    }, task.heartbeatMs);
  }

  private run(execution: ExecutionRecord, input: Json): void {
    const placeholder = `etaal-local-task-token:${randomUUID()}`;
    const context = {
      Execution: {
        Id: execution.executionArn,
        Name: execution.name,
        RoleArn: ROLE_ARN,
        Input: input,
        StartTime: execution.startDate.toISOString(),
      },
      StateMachine: { Id: this.stateMachineArn, Name: this.stateMachineArn.split(':').at(-1) },
      // The interpreter has no task tokens: the placeholder marks where $$.Task.Token was used, and each
      // callback task attempt swaps in a fresh token.
      Task: { Token: placeholder },
    };
    const handlers: Record<string, (input: Json) => Promise<Json>> = {};
    for (const [stateName, config] of this.tasks) {
      handlers[stateName] = (taskInput) =>
        this.runTask({ execution, stateName, config, placeholder, context }, taskInput);
    }
    const run = this.machine.run(input, {
      overrides: {
        taskResourceLocalHandlers: handlers,
        ...(this.retryIntervalOverrides ? { retryIntervalOverrides: this.retryIntervalOverrides } : {}),
      },
      context,
    });
    execution.abort = run.abort;
    this.recordHistory(execution, run.eventLogs).catch((error: unknown) => {
      console.error(`[local sfn] history of ${execution.executionArn} is incomplete:`, error);
    });
    run.result.then(
      (output) => this.finish(execution, { status: 'SUCCEEDED', output: JSON.stringify(output) }),
      (error: unknown) => {
        if (error instanceof ExecutionAbortedError) this.finish(execution, { status: 'ABORTED' });
        else if (error instanceof ExecutionTimeoutError) {
          this.finish(execution, { status: 'TIMED_OUT', error: 'States.Timeout' });
        } else {
          const cause = error instanceof ExecutionError && error.cause instanceof Error ? error.cause : error;
          this.finish(execution, {
            status: 'FAILED',
            error: cause instanceof Error ? cause.name : 'States.Runtime',
            cause: cause instanceof Error ? cause.message : String(cause),
          });
        }
      },
    );
  }

  private finish(
    execution: ExecutionRecord,
    outcome: { status: ExecutionStatus; output?: string; error?: string; cause?: string },
  ): void {
    if (execution.status !== 'RUNNING') return;
    execution.status = outcome.status;
    execution.stopDate = new Date();
    if (outcome.output !== undefined) execution.output = outcome.output;
    if (outcome.error !== undefined) execution.error = outcome.error;
    if (outcome.cause !== undefined) execution.cause = outcome.cause;
    // Tokens of a closed execution answer TaskTimedOut; settling them also frees the interpreter's timers
    // of branches it abandoned (a failed Parallel sibling, an aborted run).
    for (const token of execution.taskTokens) {
      const task = this.pendingTasks.get(token);
      if (!task) continue;
      this.closeTask(token);
      task.reject(taskError('States.Runtime', 'The execution is closed'));
    }
    this.persist();
  }

  /**
   * Runs one attempt of a Task state. Synchronous up to returning the promise on purpose: the interpreter
   * evaluates TimeoutSecondsPath on the same input object right after this returns.
   */
  private runTask(task: TaskAttempt, input: Json): Promise<Json> {
    const { execution, stateName, config, placeholder } = task;
    if (execution.status !== 'RUNNING') {
      return Promise.reject(taskError('States.Runtime', 'The execution is closed'));
    }
    const parameters = (input ?? {}) as Record<string, Json>;
    const functionId = config.functionId ?? this.dynamicFunctionId(stateName, parameters.FunctionName);
    if (config.kind === 'lambda') {
      return this.functions.invoke(functionId, withoutHiddenFields(input)).then(
        (result) => withinDataLimit(result as Json),
        (error: unknown) => Promise.reject(fromInvocationError(error)),
      );
    }
    const payload = parameters.Payload ?? {};
    if (config.kind === 'invoke') {
      return this.functions.invoke(functionId, payload).then(
        (result) =>
          withinDataLimit({
            ExecutedVersion: '$LATEST',
            Payload: result as Json,
            SdkHttpMetadata: { HttpStatusCode: 200 },
            SdkResponseMetadata: { RequestId: randomUUID() },
            StatusCode: 200,
          }),
        (error: unknown) => Promise.reject(fromInvocationError(error)),
      );
    }
    const timeoutSeconds = taskTimeoutSeconds(config, input, task.context);
    if (timeoutSeconds === undefined) {
      // The interpreter rejects the invalid timeout itself; like AWS, the function is not invoked.
      return new Promise(() => undefined);
    }
    const token = mintTaskToken();
    const heartbeatSeconds =
      config.heartbeatSeconds ??
      (config.heartbeatPath
        ? readPath(config.heartbeatPath.root === '$' ? input : task.context, config.heartbeatPath.segments)
        : undefined);
    return new Promise<Json>((resolve, reject) => {
      const task: PendingTask = {
        execution,
        resolve: (output) => resolve(output as Json),
        reject,
        ...(typeof heartbeatSeconds === 'number' ? { heartbeatMs: heartbeatSeconds * 1000 } : {}),
      };
      this.pendingTasks.set(token, task);
      execution.taskTokens.add(token);
      // Created before the interpreter's own timer of the same length, so it fires first: the token is
      // closed (TaskTimedOut) by the time the interpreter fails the state with States.Timeout.
      task.timeoutTimer = setTimeout(() => this.closeTask(token), timeoutSeconds * 1000);
      if (task.heartbeatMs !== undefined) this.armHeartbeat(token, task);
      this.persist();
      this.functions
        .invoke(functionId, replaceInStrings(payload, placeholder, token))
        .catch((error: unknown) => {
          if (!this.pendingTasks.has(token)) return;
          this.closeTask(token);
          reject(fromInvocationError(error));
        });
    });
  }

  private dynamicFunctionId(stateName: string, nameOrArn: Json | undefined): string {
    const id = typeof nameOrArn === 'string' ? (LAMBDA_ARN.exec(nameOrArn)?.[1] ?? nameOrArn) : undefined;
    if (!id || !this.functions.has(id)) {
      throw taskError(
        'Lambda.ResourceNotFoundException',
        `State ${stateName}: no function ${String(nameOrArn)}`,
      );
    }
    return id;
  }

  private async recordHistory(
    execution: ExecutionRecord,
    logs: AsyncGenerator<{ type: string; timestamp: number }>,
  ): Promise<void> {
    for await (const event of logs) {
      const details = historyDetails(event as Record<string, unknown> & { type: string });
      if (!details) continue;
      const id = execution.events.length + 1;
      execution.events.push({
        id,
        previousEventId: id - 1,
        timestamp: new Date(event.timestamp),
        ...details,
      });
    }
  }

  private persist(): void {
    if (!this.persistFile) return;
    const executions = [...this.executions.values()].map(
      ({ events: _events, abort: _abort, taskTokens, ...e }) => ({
        ...e,
        taskTokens: [...taskTokens],
      }),
    );
    const temporary = `${this.persistFile}.tmp`;
    try {
      writeFileSync(temporary, JSON.stringify({ executions }, null, 2));
      renameSync(temporary, this.persistFile);
    } catch (error) {
      // Executions keep running in memory; only their survival across a restart is lost.
      console.error(`[local sfn] could not save ${this.persistFile}:`, error);
    }
  }

  /** Executions of a previous run: kept for Describe/List; the running ones cannot resume and are aborted. */
  private restore(): void {
    if (!this.persistFile || !existsSync(this.persistFile)) return;
    const saved = JSON.parse(readFileSync(this.persistFile, 'utf8')) as {
      executions: (Omit<ExecutionDescription, 'startDate' | 'stopDate'> & {
        startDate: string;
        stopDate?: string;
        taskTokens: string[];
      })[];
    };
    for (const { taskTokens, startDate, stopDate, ...fields } of saved.executions) {
      const execution: ExecutionRecord = {
        ...fields,
        startDate: new Date(startDate),
        ...(stopDate ? { stopDate: new Date(stopDate) } : {}),
        events: [],
        taskTokens: new Set(taskTokens),
      };
      if (execution.status === 'RUNNING') {
        execution.status = 'ABORTED';
        execution.stopDate = new Date();
        execution.error = 'Local.RuntimeRestarted';
        execution.cause = NOT_RESUMABLE;
      }
      for (const token of taskTokens) this.closedTokens.add(token);
      this.executions.set(execution.executionArn, execution);
    }
    this.persist();
  }
}

/**
 * The timeout the interpreter will apply (it reads TimeoutSecondsPath from the effective input), or
 * undefined when that value is invalid. Values beyond the timer range are clamped in place.
 */
function taskTimeoutSeconds(config: TaskConfig, input: Json, context: object): number | undefined {
  if (config.timeoutSeconds !== undefined) return config.timeoutSeconds;
  if (!config.timeoutPath) return MAX_TIMER_SECONDS;
  const { root, segments } = config.timeoutPath;
  const value = readPath(root === '$' ? input : context, segments);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) return undefined;
  if (value > MAX_TIMER_SECONDS && root === '$' && writePath(input, segments, MAX_TIMER_SECONDS)) {
    return MAX_TIMER_SECONDS;
  }
  return value;
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.message;
  return JSON.stringify(value ?? null);
}

/** AWS history event type and details for an interpreter event; null for events AWS has no match for. */
function historyDetails(
  event: Record<string, unknown> & { type: string },
): (Record<string, unknown> & { type: string }) | null {
  const state = event.state as { name: string; type: string; input: unknown; output?: unknown } | undefined;
  switch (event.type) {
    case 'ExecutionStarted':
      return {
        type: 'ExecutionStarted',
        executionStartedEventDetails: { input: JSON.stringify(event.input), roleArn: ROLE_ARN },
      };
    case 'ExecutionSucceeded':
      return {
        type: 'ExecutionSucceeded',
        executionSucceededEventDetails: { output: JSON.stringify(event.output) },
      };
    case 'ExecutionFailed':
      return {
        type: 'ExecutionFailed',
        executionFailedEventDetails: { error: String(event.Error), cause: text(event.Cause) },
      };
    case 'ExecutionAborted':
      return { type: 'ExecutionAborted', executionAbortedEventDetails: {} };
    case 'ExecutionTimeout':
      return { type: 'ExecutionTimedOut', executionTimedOutEventDetails: { error: 'States.Timeout' } };
    case 'StateEntered':
      return state
        ? {
            type: `${state.type}StateEntered`,
            stateEnteredEventDetails: { name: state.name, input: JSON.stringify(state.input) },
          }
        : null;
    case 'StateExited':
      return state
        ? {
            type: `${state.type}StateExited`,
            stateExitedEventDetails: { name: state.name, output: JSON.stringify(state.output) },
          }
        : null;
    case 'StateFailed':
      return state?.type === 'Task'
        ? {
            type: 'TaskFailed',
            taskFailedEventDetails: {
              resourceType: 'lambda',
              resource: state.name,
              error: String(event.Error),
              cause: text(event.Cause),
            },
          }
        : null;
    default:
      return null;
  }
}
