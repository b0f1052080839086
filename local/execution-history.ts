/**
 * An execution's history as GetExecutionHistory answers it in AWS, built from aws-local-stepfunctions'
 * event log: each interpreter event that has an AWS counterpart becomes a numbered history event with
 * AWS's type and details; the others are left out.
 */

export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: Date;
  type: string;
  [details: string]: unknown;
}

/** Appends the interpreter's events to `events` as they come, until the execution ends. */
export async function recordHistory(
  events: HistoryEvent[],
  logs: AsyncGenerator<{ type: string; timestamp: number }>,
  roleArn: string,
): Promise<void> {
  for await (const event of logs) {
    const details = historyDetails(event as Record<string, unknown> & { type: string }, roleArn);
    if (!details) continue;
    const id = events.length + 1;
    events.push({
      id,
      previousEventId: id - 1,
      timestamp: new Date(event.timestamp),
      ...details,
    });
  }
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.message;
  return JSON.stringify(value ?? null);
}

/** AWS history event type and details for an interpreter event; null for events AWS has no match for. */
function historyDetails(
  event: Record<string, unknown> & { type: string },
  roleArn: string,
): (Record<string, unknown> & { type: string }) | null {
  const state = event.state as { name: string; type: string; input: unknown; output?: unknown } | undefined;
  switch (event.type) {
    case 'ExecutionStarted':
      return {
        type: 'ExecutionStarted',
        executionStartedEventDetails: { input: JSON.stringify(event.input), roleArn },
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
