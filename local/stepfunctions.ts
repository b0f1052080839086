import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import { LOCAL_ACCOUNT, localExecutionArn } from './aws';
import { CallbackTasks, taskError, withTaskToken } from './callback-tasks';
import { type HistoryEvent, recordHistory } from './execution-history';
import { FunctionError, type FunctionRegistry } from './lambda';
import {
  type Json,
  lambdaFunctionId,
  prepareDefinition,
  type TaskConfig,
  taskHeartbeatSeconds,
  taskTimeoutSeconds,
  withoutHiddenFields,
} from './state-machine-definition';

/**
 * A Step Functions service for local mode: runs the real ASL with aws-local-stepfunctions and adds what
 * the interpreter lacks: executions addressed by ARN and name (with StartExecution's name idempotency),
 * `.waitForTaskToken` callback tasks with fresh task tokens (./callback-tasks.ts), SendTask* calls,
 * heartbeats and history (./execution-history.ts). The definition is prepared for the interpreter by
 * ./state-machine-definition.ts. Task states call the local Lambda functions in-process.
 */

const ROLE_ARN = `arn:aws:iam::${LOCAL_ACCOUNT}:role/etaal-local-states`;
const NOT_RESUMABLE = 'The local runtime stopped; local executions do not survive a restart';

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

interface ExecutionRecord extends ExecutionDescription {
  readonly events: HistoryEvent[];
  readonly taskTokens: Set<string>;
  abort?: () => void;
}

interface TaskAttempt {
  readonly execution: ExecutionRecord;
  readonly stateName: string;
  readonly config: TaskConfig;
  readonly placeholder: string;
  readonly context: object;
}

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

function fromInvocationError(error: unknown): Error {
  if (error instanceof FunctionError) return taskError(error.errorType, JSON.stringify(error.payload));
  return taskError('Lambda.Unknown', error instanceof Error ? error.message : String(error));
}

/** Step Functions' quota on any state's input or output, and on execution input and task output. */
const MAX_DATA_BYTES = 262_144;

const tooLarge = (text: string) => Buffer.byteLength(text) > MAX_DATA_BYTES;

function withinDataLimit(result: Json): Json {
  if (tooLarge(JSON.stringify(result))) {
    throw taskError('States.DataLimitExceeded', `The task result is larger than ${MAX_DATA_BYTES} bytes`);
  }
  return result;
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
  private readonly callbacks = new CallbackTasks();
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
    this.requireOpenTask(taskToken);
    this.callbacks.succeed(taskToken, parsed);
  }

  sendTaskFailure(taskToken: string, error?: string, cause?: string): void {
    if ((error?.length ?? 0) > 256) throw new SfnApiError('ValidationException', 'error is longer than 256');
    if ((cause?.length ?? 0) > 32768)
      throw new SfnApiError('ValidationException', 'cause is longer than 32768');
    this.requireOpenTask(taskToken);
    this.callbacks.fail(taskToken, taskError(error ?? '', cause ?? ''));
  }

  sendTaskHeartbeat(taskToken: string): void {
    this.requireOpenTask(taskToken);
    this.callbacks.heartbeat(taskToken);
  }

  /** Aborts running executions (they are not resumed by a restart) and releases every timer. */
  close(): void {
    this.closing = true;
    for (const execution of this.executions.values()) {
      if (execution.status !== 'RUNNING') continue;
      this.finish(execution, { status: 'ABORTED', error: 'Local.RuntimeStopped', cause: NOT_RESUMABLE });
      execution.abort?.();
    }
    this.callbacks.failAll(() => taskError('States.Runtime', 'The local runtime stopped'));
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

  /** SendTask*'s answers for a token that is malformed, closed (TaskTimedOut) or never issued. */
  private requireOpenTask(taskToken: string): void {
    if (typeof taskToken !== 'string' || taskToken.length < 1 || taskToken.length > 2048) {
      throw new SfnApiError('ValidationException', 'taskToken must be 1 to 2048 characters long');
    }
    const state = this.callbacks.state(taskToken);
    if (state === 'closed') {
      throw new SfnApiError('TaskTimedOut', 'Task Timed Out: Provided task does not exist anymore');
    }
    if (state === 'unknown') {
      throw new SfnApiError('TaskDoesNotExist', 'Task Does Not Exist: Provided task does not exist');
    }
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
    recordHistory(execution.events, run.eventLogs, ROLE_ARN).catch((error: unknown) => {
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
      if (this.callbacks.state(token) === 'open') {
        this.callbacks.fail(token, taskError('States.Runtime', 'The execution is closed'));
      }
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
    const heartbeatSeconds = taskHeartbeatSeconds(config, input, task.context);
    return new Promise<Json>((resolve, reject) => {
      const token = this.callbacks.start(
        {
          resolve: (output) => resolve(output as Json),
          reject,
          ...(typeof heartbeatSeconds === 'number' ? { heartbeatMs: heartbeatSeconds * 1000 } : {}),
        },
        timeoutSeconds,
      );
      execution.taskTokens.add(token);
      this.persist();
      this.functions
        .invoke(functionId, withTaskToken(payload, placeholder, token))
        .catch((error: unknown) => this.callbacks.fail(token, fromInvocationError(error)));
    });
  }

  private dynamicFunctionId(stateName: string, nameOrArn: Json | undefined): string {
    const id = typeof nameOrArn === 'string' ? lambdaFunctionId(nameOrArn) : undefined;
    if (!id || !this.functions.has(id)) {
      throw taskError(
        'Lambda.ResourceNotFoundException',
        `State ${stateName}: no function ${String(nameOrArn)}`,
      );
    }
    return id;
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
      this.callbacks.rememberClosed(taskTokens);
      this.executions.set(execution.executionArn, execution);
    }
    this.persist();
  }
}
