import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  type ExecutionDescription,
  type ExecutionStatus,
  type LocalStepFunctions,
  SfnApiError,
} from './stepfunctions';

/**
 * The Step Functions API over HTTP, as the AWS SDK speaks it: AWS JSON 1.0 (`POST /`,
 * `X-Amz-Target: AWSStepFunctions.<Action>`), timestamps as epoch seconds, errors as `{ __type, message }`
 * so the SDK raises its named exception classes (TaskTimedOut, ExecutionAlreadyExists...).
 */
type Body = Record<string, unknown>;

const epochSeconds = (date: Date | undefined) => (date ? date.getTime() / 1000 : undefined);

function describe(e: ExecutionDescription) {
  return {
    ...e,
    startDate: epochSeconds(e.startDate),
    stopDate: epochSeconds(e.stopDate),
    inputDetails: { included: true },
    ...(e.output !== undefined ? { outputDetails: { included: true } } : {}),
  };
}

function page<T>(items: T[], body: Body): { items: T[]; nextToken?: string } {
  const start = typeof body.nextToken === 'string' ? Number(body.nextToken) : 0;
  const size = typeof body.maxResults === 'number' && body.maxResults > 0 ? body.maxResults : 1000;
  const end = start + size;
  return { items: items.slice(start, end), ...(end < items.length ? { nextToken: String(end) } : {}) };
}

const str = (body: Body, key: string): string | undefined =>
  typeof body[key] === 'string' ? (body[key] as string) : undefined;

function required(body: Body, key: string): string {
  const value = str(body, key);
  if (value === undefined)
    throw new SfnApiError('MissingRequiredParameter', `Missing required parameter ${key}`);
  return value;
}

/** What each action answers when no state machine is deployed (the ASL file does not exist). */
function withoutStateMachine(action: string): SfnApiError {
  if (action.startsWith('SendTask')) return new SfnApiError('TaskDoesNotExist', 'Task Does Not Exist');
  if (action === 'StartExecution' || action === 'ListExecutions') {
    return new SfnApiError('StateMachineDoesNotExist', 'State Machine Does Not Exist');
  }
  return new SfnApiError('ExecutionDoesNotExist', 'Execution Does Not Exist');
}

function dispatch(sfn: LocalStepFunctions | null, action: string, body: Body): unknown {
  if (!sfn) throw withoutStateMachine(action);
  switch (action) {
    case 'StartExecution': {
      const { executionArn, startDate } = sfn.startExecution({
        stateMachineArn: required(body, 'stateMachineArn'),
        name: str(body, 'name'),
        input: str(body, 'input'),
      });
      return { executionArn, startDate: epochSeconds(startDate) };
    }
    case 'DescribeExecution':
      return describe(sfn.describeExecution(required(body, 'executionArn')));
    case 'StopExecution':
      return {
        stopDate: epochSeconds(
          sfn.stopExecution(required(body, 'executionArn'), str(body, 'error'), str(body, 'cause')).stopDate,
        ),
      };
    case 'ListExecutions': {
      const arn = required(body, 'stateMachineArn');
      if (arn !== sfn.stateMachineArn) {
        throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
      }
      const all = sfn.listExecutions(str(body, 'statusFilter') as ExecutionStatus | undefined);
      const { items, nextToken } = page(all, body);
      return {
        executions: items.map(({ input: _input, output: _output, error: _error, cause: _cause, ...e }) => ({
          ...e,
          startDate: epochSeconds(e.startDate),
          stopDate: epochSeconds(e.stopDate),
        })),
        nextToken,
      };
    }
    case 'GetExecutionHistory': {
      const events = sfn.getExecutionHistory(required(body, 'executionArn'));
      if (body.reverseOrder === true) events.reverse();
      const { items, nextToken } = page(events, body);
      return { events: items.map((e) => ({ ...e, timestamp: epochSeconds(e.timestamp) })), nextToken };
    }
    case 'SendTaskSuccess':
      sfn.sendTaskSuccess(required(body, 'taskToken'), required(body, 'output'));
      return {};
    case 'SendTaskFailure':
      sfn.sendTaskFailure(required(body, 'taskToken'), str(body, 'error'), str(body, 'cause'));
      return {};
    case 'SendTaskHeartbeat':
      sfn.sendTaskHeartbeat(required(body, 'taskToken'));
      return {};
    default:
      throw new SfnApiError('UnknownOperationException', `Local Step Functions does not implement ${action}`);
  }
}

function reply(res: ServerResponse, status: number, payload: unknown, errorType?: string): void {
  const body = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(body);
}

async function handle(
  sfn: LocalStepFunctions | null,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const target = req.headers['x-amz-target'];
  const action =
    typeof target === 'string' && target.startsWith('AWSStepFunctions.') ? target.slice(17) : null;
  if (req.method !== 'POST' || !action) {
    reply(res, 400, { __type: 'UnknownOperationException', message: 'Expected POST with X-Amz-Target' });
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const text = Buffer.concat(chunks).toString('utf8');
    let body: Body;
    try {
      body = (text ? JSON.parse(text) : {}) as Body;
    } catch {
      throw new SfnApiError('SerializationException', 'Request body is not valid JSON');
    }
    reply(res, 200, dispatch(sfn, action, body));
  } catch (error) {
    if (error instanceof SfnApiError) {
      reply(res, 400, { __type: error.name, message: error.message }, error.name);
    } else {
      console.error('[local sfn]', error);
      reply(res, 500, { __type: 'InternalFailure', message: String(error) }, 'InternalFailure');
    }
  }
}

/** `engine` may be a function: the server can listen before the engine exists (its URL is needed first). */
export function createStepFunctionsServer(
  engine: LocalStepFunctions | (() => LocalStepFunctions | null),
): Server {
  return createServer((req, res) => {
    handle(typeof engine === 'function' ? engine() : engine, req, res).catch((error: unknown) => {
      // The client went away mid-request; nothing left to answer.
      console.error('[local sfn]', error);
      res.destroy();
    });
  });
}
