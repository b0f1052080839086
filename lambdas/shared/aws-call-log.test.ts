import { Readable } from 'node:stream';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SLOW_AWS_CALL_MS, slowCallLogMiddleware } from './aws-call-log';
import { logger } from './observability';

/** A DynamoDB client whose HTTP answers are scripted: each entry is a status and a delay. */
function scriptedClient(answers: { status: number; delayMs?: number }[]) {
  const client = new DynamoDBClient({
    region: 'ap-south-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 2,
    requestHandler: {
      handle: async () => {
        const { status, delayMs = 0 } = answers.shift() ?? { status: 200 };
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        const body =
          status === 200 ? '{}' : '{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError"}';
        return {
          response: {
            statusCode: status,
            headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `req-${status}` },
            body: Readable.from([Buffer.from(body)]),
          },
        };
      },
    },
  });
  // As lambdas/shared/aws.ts adds it to every client.
  (client.middlewareStack.add as (mw: unknown, options: unknown) => void)(slowCallLogMiddleware(), {
    step: 'initialize',
  });
  return client;
}

const getItem = new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } });

describe('slow AWS calls are logged', () => {
  afterEach(() => vi.restoreAllMocks());

  it('logs nothing for a quick call that succeeded at once', async () => {
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    await scriptedClient([{ status: 200 }]).send(getItem);
    expect(warn).not.toHaveBeenCalled();
  });

  it('logs a call that took longer than the threshold, naming the service and operation', async () => {
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    await scriptedClient([{ status: 200, delayMs: SLOW_AWS_CALL_MS + 20 }]).send(getItem);
    expect(warn).toHaveBeenCalledWith(
      'Slow AWS call',
      expect.objectContaining({
        client: 'DynamoDBClient',
        operation: 'GetItemCommand',
        attempts: 1,
        failed: false,
      }),
    );
    const [, details] = warn.mock.calls[0] ?? [];
    expect((details as { durationMs: number }).durationMs).toBeGreaterThanOrEqual(SLOW_AWS_CALL_MS);
  });

  it('logs a quick call that needed a retry, and one that failed after its attempts', async () => {
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    await scriptedClient([{ status: 500 }, { status: 200 }]).send(getItem);
    expect(warn).toHaveBeenLastCalledWith(
      'Slow AWS call',
      expect.objectContaining({ attempts: 2, failed: false, awsRequestId: 'req-200' }),
    );
    await expect(scriptedClient([{ status: 500 }, { status: 500 }]).send(getItem)).rejects.toThrow();
    expect(warn).toHaveBeenLastCalledWith(
      'Slow AWS call',
      expect.objectContaining({ attempts: 2, failed: true, httpStatusCode: 500 }),
    );
  });
});
