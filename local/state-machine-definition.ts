import { readFileSync } from 'node:fs';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { localLambdaArn } from './aws';
import type { FunctionRegistry } from './lambda';
import { parseReferencePath, type ReferencePath, readPath, writePath } from './reference-path';

/**
 * The state-machine definition as local mode runs it: the ASL file with CDK's substitutions resolved, then
 * checked (Lambda tasks only, unique state names) and adapted to aws-local-stepfunctions where the
 * interpreter differs from AWS (task timeouts, TimeoutSecondsPath/HeartbeatSecondsPath).
 */

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const LAMBDA_CALLBACK = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]+)(?::[A-Za-z0-9$_-]+)?$/;
/** Node timers overflow (and fire at once) beyond 2^31-1 ms, about 24.8 days. */
const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);
const HIDDEN_TIMEOUT = '__etaalLocalTimeoutSeconds';
const HIDDEN_HEARTBEAT = '__etaalLocalHeartbeatSeconds';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** What local mode needs to know to run one Task state. */
export interface TaskConfig {
  readonly kind: 'invoke' | 'callback' | 'lambda';
  /** Known when the definition names the function; else read from the effective input's FunctionName. */
  readonly functionId?: string;
  readonly timeoutSeconds?: number;
  readonly timeoutPath?: ReferencePath;
  readonly heartbeatSeconds?: number;
  readonly heartbeatPath?: ReferencePath;
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

/** The function id a Task names, by ARN (`…:function:<id>[:alias]`) or by plain name. */
export const lambdaFunctionId = (nameOrArn: string): string => LAMBDA_ARN.exec(nameOrArn)?.[1] ?? nameOrArn;

type AnyState = Record<string, unknown> & { Type: string };

/**
 * Checks the Task states local mode can run and adapts the definition to the interpreter: a Task without
 * a timeout waits (almost) forever as in AWS instead of the interpreter's 60 s default.
 */
export function prepareDefinition(
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
    const id = lambdaFunctionId(nameOrArn);
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

/** A task's input without the hidden fields prepareDefinition added, as the function would get it in AWS. */
export function withoutHiddenFields(input: Json): Json {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  const { [HIDDEN_TIMEOUT]: _timeout, [HIDDEN_HEARTBEAT]: _heartbeat, ...rest } = input;
  return rest;
}

/**
 * The timeout the interpreter will apply (it reads TimeoutSecondsPath from the effective input), or
 * undefined when that value is invalid. Values beyond the timer range are clamped in place.
 */
export function taskTimeoutSeconds(config: TaskConfig, input: Json, context: object): number | undefined {
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

/** The heartbeat interval of a callback task, from the definition or (HeartbeatSecondsPath) its input. */
export function taskHeartbeatSeconds(config: TaskConfig, input: Json, context: object): unknown {
  return (
    config.heartbeatSeconds ??
    (config.heartbeatPath
      ? readPath(config.heartbeatPath.root === '$' ? input : context, config.heartbeatPath.segments)
      : undefined)
  );
}
