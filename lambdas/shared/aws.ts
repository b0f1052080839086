import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { slowCallLogMiddleware } from './aws-call-log';
import { writeTrackingMiddleware } from './dependency-failure';
import { SDK_CLIENT_CONFIG } from './sdk-timeouts';

/**
 * AWS SDK v3 clients, created once per container and shared by every invocation. There is no endpoint
 * code: the SDK reads the service-specific AWS_ENDPOINT_URL_DYNAMODB / _SESV2 / _SFN / _S3 variables itself,
 * which is how local mode points the same code at the emulators.
 *
 * The `@__PURE__` marks let esbuild drop the clients a function never uses, so (say) the health check does
 * not carry the SES and Step Functions SDKs into its bundle and cold start.
 */
/**
 * Every client: bounded in time (./sdk-timeouts), its writes noted for an honest 503
 * (./dependency-failure), its slow or retried calls logged (./aws-call-log).
 */
function bounded<C extends { middlewareStack: { add: (...args: never[]) => unknown } }>(client: C): C {
  const add = client.middlewareStack.add as (mw: unknown, options: unknown) => void;
  add(writeTrackingMiddleware(), { step: 'initialize', name: 'etaalWriteTracking' });
  add(slowCallLogMiddleware(), { step: 'initialize', name: 'etaalSlowCallLog' });
  return client;
}

const dynamoDbClient = /* @__PURE__ */ bounded(/* @__PURE__ */ new DynamoDBClient(SDK_CLIENT_CONFIG));

/** Document client: plain JS values in and out; undefined attributes are dropped rather than rejected. */
export const dynamo = /* @__PURE__ */ DynamoDBDocumentClient.from(dynamoDbClient, {
  marshallOptions: { removeUndefinedValues: true },
});

export const ses = /* @__PURE__ */ bounded(/* @__PURE__ */ new SESv2Client(SDK_CLIENT_CONFIG));

export const sfn = /* @__PURE__ */ bounded(/* @__PURE__ */ new SFNClient(SDK_CLIENT_CONFIG));

/** An endpoint on an IP address (local mode's S3 emulator) is addressed path-style by the SDK itself. */
export const s3 = /* @__PURE__ */ bounded(/* @__PURE__ */ new S3Client(SDK_CLIENT_CONFIG));
