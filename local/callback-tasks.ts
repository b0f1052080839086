import { randomBytes } from 'node:crypto';

/**
 * The `.waitForTaskToken` tasks local mode has open, by task token: what aws-local-stepfunctions lacks.
 * Each callback task attempt gets a fresh token that SendTaskSuccess/Failure/Heartbeat settle; a token
 * closes when its task is settled, times out, misses a heartbeat or its execution ends, and a closed token
 * is remembered so a late call answers TaskTimedOut as in AWS (an unknown one: TaskDoesNotExist).
 */

interface OpenTask {
  readonly resolve: (output: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly heartbeatMs?: number;
  heartbeatTimer?: NodeJS.Timeout;
  timeoutTimer?: NodeJS.Timeout;
}

/** The error a Task state fails with: Retry/Catch match `name` (the States error), `message` is the Cause. */
export function taskError(error: string, cause: string): Error {
  const taskFailure = new Error(cause);
  taskFailure.name = error;
  return taskFailure;
}

/** Task tokens look like AWS's: long, opaque, standard base64 (so `+`, `/`, `=` test URL encoding). */
function mintTaskToken(): string {
  return randomBytes(121).toString('base64');
}

/**
 * The task's payload with the execution's `$$.Task.Token` placeholder replaced by this attempt's token
 * (the interpreter has no task tokens: the context carries a placeholder wherever the definition uses one).
 */
export function withTaskToken(value: unknown, placeholder: string, token: string): unknown {
  if (typeof value === 'string') return value.replaceAll(placeholder, token);
  if (Array.isArray(value)) return value.map((item) => withTaskToken(item, placeholder, token));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, withTaskToken(item, placeholder, token)]),
    );
  }
  return value;
}

export class CallbackTasks {
  private readonly open = new Map<string, OpenTask>();
  private readonly closed = new Set<string>();

  /**
   * Opens a callback task and returns its token. Call it synchronously where the interpreter starts its own
   * timer of the same length: created first, this one fires first, so the token is closed (TaskTimedOut) by
   * the time the interpreter fails the state with States.Timeout.
   */
  start(task: Pick<OpenTask, 'resolve' | 'reject' | 'heartbeatMs'>, timeoutSeconds: number): string {
    const token = mintTaskToken();
    const opened: OpenTask = { ...task };
    this.open.set(token, opened);
    opened.timeoutTimer = setTimeout(() => this.close(token), timeoutSeconds * 1000);
    if (opened.heartbeatMs !== undefined) this.armHeartbeat(token, opened);
    return token;
  }

  /** 'open' while the task waits, 'closed' once it ended, 'unknown' for a token never issued here. */
  state(token: string): 'open' | 'closed' | 'unknown' {
    if (this.open.has(token)) return 'open';
    return this.closed.has(token) ? 'closed' : 'unknown';
  }

  /** SendTaskSuccess: the task's state succeeds with `output`. */
  succeed(token: string, output: unknown): void {
    const task = this.open.get(token);
    if (!task) return;
    this.close(token);
    task.resolve(output);
  }

  /** Fails the task's state with `error` (SendTaskFailure, a failed invocation, an ended execution). */
  fail(token: string, error: Error): void {
    const task = this.open.get(token);
    if (!task) return;
    this.close(token);
    task.reject(error);
  }

  /** Fails every open task (the runtime stops). */
  failAll(error: () => Error): void {
    for (const token of [...this.open.keys()]) this.fail(token, error());
  }

  /** SendTaskHeartbeat: the heartbeat clock starts again. */
  heartbeat(token: string): void {
    const task = this.open.get(token);
    if (task?.heartbeatMs !== undefined) this.armHeartbeat(token, task);
  }

  /** Tokens of executions from a previous run: closed, so they answer TaskTimedOut. */
  rememberClosed(tokens: Iterable<string>): void {
    for (const token of tokens) this.closed.add(token);
  }

  private close(token: string): void {
    const task = this.open.get(token);
    if (!task) return;
    clearTimeout(task.heartbeatTimer);
    clearTimeout(task.timeoutTimer);
    this.open.delete(token);
    this.closed.add(token);
  }

  private armHeartbeat(token: string, task: OpenTask): void {
    clearTimeout(task.heartbeatTimer);
    task.heartbeatTimer = setTimeout(
      () => this.fail(token, taskError('States.HeartbeatTimeout', 'No heartbeat within HeartbeatSeconds')),
      task.heartbeatMs,
    );
  }
}
