import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FunctionRegistry } from '../../local/lambda';
import { type LocalSystem, startLocalSystem } from '../../local/system';
import { eventually } from '../support/local-system';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'callbacks.asl.json');

interface Notification {
  step: string;
  taskToken: string;
  executionId?: string;
}

class NotReady extends Error {
  override name = 'NotReady';
}

const notifications: Notification[] = [];
const functions = FunctionRegistry.fromHandlers({
  Prepare: async (event) => {
    const input = event as { name: string; failPrepare?: boolean };
    if (input.failPrepare) throw new NotReady(`${input.name} is not ready`);
    return { greeting: `hello ${input.name}` };
  },
  // A callback task's function only hands the token on (in the system: an email with a link).
  Notify: async (event) => {
    notifications.push(event as Notification);
    return { ignored: true };
  },
});

let system: LocalSystem;
let sfn: SFNClient;

beforeAll(async () => {
  system = await startLocalSystem({
    port: 0,
    dataDir: null,
    definitionPath: FIXTURE,
    functions,
    routes: [],
    retryIntervalMs: 0,
  });
  sfn = new SFNClient({
    endpoint: system.endpoints.sfn,
    region: system.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  sfn?.destroy();
  await system?.stop();
});

beforeEach(() => {
  notifications.length = 0;
});

/** Starts the fixture; its Choice needs `mode` (as in AWS, a Choice on a missing field fails). */
async function start(input: Record<string, unknown>, name?: string): Promise<string> {
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn: system.stateMachineArn,
      input: JSON.stringify({ mode: 'single', ...input }),
      name,
    }),
  );
  return executionArn as string;
}

function tokenFor(step: string): Promise<string> {
  return eventually(`a task token for ${step}`, () => notifications.find((n) => n.step === step)?.taskToken);
}

function finished(executionArn: string) {
  return eventually(`${executionArn} to finish`, async () => {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return execution.status === 'RUNNING' ? undefined : execution;
  });
}

const outputOf = (execution: { output?: string }) => JSON.parse(execution.output ?? 'null');

describe('callback tasks', () => {
  it('waits for SendTaskSuccess and resumes with its output', async () => {
    const executionArn = await start({ name: 'Revenue', mode: 'single' });
    const token = await tokenFor('single');

    const running = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(running.status).toBe('RUNNING');
    await sfn.send(
      new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ approved: true }) }),
    );

    const execution = await finished(executionArn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(outputOf(execution)).toEqual({
      name: 'Revenue',
      mode: 'single',
      prepared: { greeting: 'hello Revenue' },
      decision: { approved: true },
      outcome: 'done',
    });
  });

  it('gives the function the execution context and a token in place of $$.Task.Token', async () => {
    const executionArn = await start({ name: 'Transport' });
    await tokenFor('single');

    const [notification] = notifications;
    expect(notification?.executionId).toBe(executionArn);
    expect(notification?.taskToken.length).toBeGreaterThan(100);
    expect(notification?.taskToken).not.toContain('etaal-local-task-token');
    await sfn.send(new StopExecutionCommand({ executionArn }));
  });

  it('mints a different token for every task, in parallel branches and across executions', async () => {
    const first = await start({ name: 'Health', mode: 'parallel' });
    const second = await start({ name: 'Health', mode: 'parallel' });
    await eventually('four callback tasks', () => (notifications.length === 4 ? true : undefined));

    expect(new Set(notifications.map((n) => n.taskToken)).size).toBe(4);
    await sfn.send(new StopExecutionCommand({ executionArn: first }));
    await sfn.send(new StopExecutionCommand({ executionArn: second }));
  });

  it('joins parallel callback branches in branch order, whatever order they complete in', async () => {
    const executionArn = await start({ name: 'Power', mode: 'parallel' });
    const right = await tokenFor('right');
    const left = await tokenFor('left');

    await sfn.send(new SendTaskSuccessCommand({ taskToken: right, output: '"right approved"' }));
    await sfn.send(new SendTaskSuccessCommand({ taskToken: left, output: '"left approved"' }));

    const execution = await finished(executionArn);
    expect(outputOf(execution).decisions).toEqual(['left approved', 'right approved']);
  });

  it('mints a fresh token for a retried attempt and closes the failed one', async () => {
    const executionArn = await start({ name: 'Retry', mode: 'retry' });
    const first = await tokenFor('retry');
    await sfn.send(new SendTaskFailureCommand({ taskToken: first, error: 'Rejected' }));

    // The Retry waits 30 s in the definition; the test system overrides it to 0 ms.
    const second = await eventually(
      'the retried attempt',
      () => notifications.filter((n) => n.step === 'retry')[1],
    );
    expect(second.taskToken).not.toBe(first);
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: first, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
    await sfn.send(new SendTaskSuccessCommand({ taskToken: second.taskToken, output: '"second time"' }));
    expect(outputOf(await finished(executionArn)).decision).toBe('second time');
  });

  it('gives every Map iteration its own token and collects the outputs in item order', async () => {
    const executionArn = await start({ name: 'Services', mode: 'map', items: ['licence', 'permit'] });
    const permit = await tokenFor('permit');
    const licence = await tokenFor('licence');

    await sfn.send(new SendTaskSuccessCommand({ taskToken: permit, output: '"permit ok"' }));
    await sfn.send(new SendTaskSuccessCommand({ taskToken: licence, output: '"licence ok"' }));

    const execution = await finished(executionArn);
    expect(outputOf(execution).itemDecisions).toEqual(['licence ok', 'permit ok']);
  });

  it('fails a Parallel when one branch fails, and closes the other branch token', async () => {
    const executionArn = await start({ name: 'Power', mode: 'parallel' });
    const left = await tokenFor('left');
    const right = await tokenFor('right');

    await sfn.send(new SendTaskFailureCommand({ taskToken: left, error: 'Rejected', cause: 'No' }));

    const execution = await finished(executionArn);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'Rejected' });
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: right, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('routes SendTaskFailure to the Catch for its error name, with the cause', async () => {
    const executionArn = await start({ name: 'Water' });
    const token = await tokenFor('single');

    await sfn.send(
      new SendTaskFailureCommand({ taskToken: token, error: 'Rejected', cause: 'Incomplete form' }),
    );

    const execution = await finished(executionArn);
    expect(execution.status).toBe('SUCCEEDED');
    expect(outputOf(execution)).toMatchObject({
      outcome: 'rejected',
      failure: { Error: 'Rejected', Cause: 'Incomplete form' },
    });
  });

  it('fails the execution when a task failure is not caught', async () => {
    const executionArn = await start({ name: 'Water' });
    const token = await tokenFor('single');

    await sfn.send(
      new SendTaskFailureCommand({ taskToken: token, error: 'Withdrawn', cause: 'By the department' }),
    );

    const execution = await finished(executionArn);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'Withdrawn', cause: 'By the department' });
  });

  it('times a task out after TimeoutSecondsPath (read from the state input) into a States.Timeout Catch', async () => {
    const executionArn = await start({ name: 'Education', mode: 'deadline', deadlineSeconds: 1 });
    const token = await tokenFor('deadline');

    const execution = await finished(executionArn);

    expect(outputOf(execution)).toMatchObject({ outcome: 'timedOut', failure: { Error: 'States.Timeout' } });
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('keeps a task with HeartbeatSeconds alive while heartbeats arrive', async () => {
    const executionArn = await start({ name: 'Finance', mode: 'heartbeat', heartbeatSeconds: 2 });
    const token = await tokenFor('heartbeat');

    // 2.5 s in all, longer than HeartbeatSeconds, with a beat every 0.25 s.
    for (let beat = 0; beat < 10; beat++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      await sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    }
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '"alive"' }));

    const execution = await finished(executionArn);
    expect(outputOf(execution)).toMatchObject({ decision: 'alive', outcome: 'done' });
  });

  it('fails a task whose heartbeats stop with States.HeartbeatTimeout', async () => {
    const executionArn = await start({ name: 'Finance', mode: 'heartbeat', heartbeatSeconds: 1 });
    const token = await tokenFor('heartbeat');

    const execution = await finished(executionArn);

    expect(outputOf(execution)).toMatchObject({
      outcome: 'timedOut',
      failure: { Error: 'States.HeartbeatTimeout' },
    });
    await expect(sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }))).rejects.toBeInstanceOf(
      TaskTimedOut,
    );
  });
});

describe('task tokens', () => {
  it('answers TaskTimedOut for a token whose task already completed', async () => {
    const executionArn = await start({ name: 'Labour' });
    const token = await tokenFor('single');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    await finished(executionArn);

    const reuse = sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));

    await expect(reuse).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('answers TaskDoesNotExist for a token it never issued', async () => {
    const unknown = sfn.send(new SendTaskFailureCommand({ taskToken: 'AAAAnot-a-token', error: 'Rejected' }));

    await expect(unknown).rejects.toBeInstanceOf(TaskDoesNotExist);
  });

  it('closes the tokens of a stopped execution', async () => {
    const executionArn = await start({ name: 'Tourism' });
    const token = await tokenFor('single');

    await sfn.send(new StopExecutionCommand({ executionArn, error: 'Cancelled' }));

    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(execution).toMatchObject({ status: 'ABORTED', error: 'Cancelled' });
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('rejects output over 256 KB and leaves the task waiting', async () => {
    const executionArn = await start({ name: 'Large' });
    const token = await tokenFor('single');

    const tooLarge = JSON.stringify({ notes: 'x'.repeat(262_144) });
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: tooLarge })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '"small"' }));
    expect(outputOf(await finished(executionArn)).decision).toBe('small');
  });

  it('rejects output that is not JSON and leaves the task waiting', async () => {
    const executionArn = await start({ name: 'Forest' });
    const token = await tokenFor('single');

    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: 'yes' })),
    ).rejects.toMatchObject({
      name: 'InvalidOutput',
    });
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '"yes"' }));
    expect(outputOf(await finished(executionArn)).decision).toBe('yes');
  });
});

describe('lambda tasks', () => {
  it('passes the lambda:invoke result under Payload', async () => {
    const executionArn = await start({ name: 'Revenue' });
    await tokenFor('single');

    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const prepareExit = history.events?.find(
      (e) => e.type === 'TaskStateExited' && e.stateExitedEventDetails?.name === 'Prepare',
    );
    expect(JSON.parse(prepareExit?.stateExitedEventDetails?.output ?? '{}').prepared).toEqual({
      greeting: 'hello Revenue',
    });
    await sfn.send(new StopExecutionCommand({ executionArn }));
  });

  it('returns a plain Lambda ARN resource result as is', async () => {
    const executionArn = await start({ name: 'Urban', mode: 'plain' });

    const execution = await finished(executionArn);

    expect(outputOf(execution).plain).toEqual({ greeting: 'hello Urban' });
  });

  it('fails with the error name the function threw and Lambda-shaped cause', async () => {
    const executionArn = await start({ name: 'Home', failPrepare: true });

    const execution = await finished(executionArn);

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('NotReady');
    expect(JSON.parse(execution.cause ?? '{}')).toMatchObject({
      errorType: 'NotReady',
      errorMessage: 'Home is not ready',
    });
  });
});

describe('executions', () => {
  it('starts once per name: same name and input returns the running execution', async () => {
    const input = { name: 'Revenue', mode: 'single' };
    const name = `revenue-${Date.now()}`;

    const first = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: system.stateMachineArn,
        name,
        input: JSON.stringify(input),
      }),
    );
    const again = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: system.stateMachineArn,
        name,
        input: JSON.stringify(input),
      }),
    );

    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate).toEqual(first.startDate);
    await tokenFor('single');
    expect(notifications).toHaveLength(1);
    await sfn.send(new StopExecutionCommand({ executionArn: first.executionArn }));
  });

  it('refuses a name already used with another input, or by a closed execution', async () => {
    const name = `water-${Date.now()}`;
    const executionArn = await start({ name: 'Water' }, name);

    await expect(start({ name: 'Other' }, name)).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await sfn.send(new StopExecutionCommand({ executionArn }));
    await expect(start({ name: 'Water' }, name)).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('rejects an invalid name or input', async () => {
    await expect(start({}, 'has space')).rejects.toMatchObject({ name: 'InvalidName' });
    await expect(start({ notes: 'x'.repeat(262_144) })).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: system.stateMachineArn, input: '{oops' })),
    ).rejects.toMatchObject({ name: 'InvalidExecutionInput' });
    await expect(
      sfn.send(
        new StartExecutionCommand({ stateMachineArn: `${system.stateMachineArn}-other`, input: '{}' }),
      ),
    ).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
  });

  it('describes an unknown execution as ExecutionDoesNotExist', async () => {
    const executionArn = system.stateMachineArn.replace(':stateMachine:', ':execution:').concat(':nobody');

    await expect(sfn.send(new DescribeExecutionCommand({ executionArn }))).rejects.toBeInstanceOf(
      ExecutionDoesNotExist,
    );
  });

  it('lists executions newest first, filtered by status', async () => {
    const executionArn = await start({ name: 'Listed' });
    await tokenFor('single');

    const running = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: system.stateMachineArn, statusFilter: 'RUNNING' }),
    );

    expect(running.executions?.[0]?.executionArn).toBe(executionArn);
    expect(running.executions?.every((e) => e.status === 'RUNNING')).toBe(true);
    await sfn.send(new StopExecutionCommand({ executionArn }));
  });
});
