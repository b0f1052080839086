import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { slowCallLogMiddleware } from './aws-call-log';
import { writeTrackingMiddleware } from './dependency-failure';
import { SDK_CLIENT_CONFIG } from './sdk-timeouts';

/**
 * The AWS SDK v3 clients' common ground: each is created once per container, shared by every invocation
 * and `bounded` (below). There is no endpoint code: the SDK reads the service-specific
 * AWS_ENDPOINT_URL_DYNAMODB / _SESV2 / _SFN / _S3 variables itself, which is how local mode points the same
 * code at the emulators.
 *
 * DynamoDB, which nearly every function uses, is here; the `@__PURE__` marks let esbuild drop it from a
 * function that never uses it. The other services' clients have modules of their own (./sfn.ts, ./s3.ts,
 * ./ses.ts), so that a function which loads one with `import()` does not reach it through this module,
 * which every function imports.
 */
/**
 * Every client: bounded in time (./sdk-timeouts), its writes noted for an honest 503
 * (./dependency-failure), its slow or retried calls logged (./aws-call-log).
 */
export function bounded<C extends { middlewareStack: { add: (...args: never[]) => unknown } }>(client: C): C {
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

/**
 * A client made by its first call, from an SDK package it loads then with `import()`: esbuild puts the
 * package in a chunk of the bundle that a cold start does not read (lib/function-bundle.ts), so requests
 * that never make the call never parse it (docs/dashboard.md, Cold start). The `import()` must sit in a
 * module only its users import (./ses.ts): esbuild makes a chunk of every `import()` in the bundle,
 * reached or not, and files of the SDK that such a chunk shares through barrels (@smithy/core,
 * @aws-sdk/core) land in the chunks every cold start reads.
 */
export function createdOnFirstCall<C>(create: () => Promise<C>): () => Promise<C> {
  let client: Promise<C> | undefined;
  return () => {
    // A failed load is not kept: the next call tries again rather than failing for the container's life.
    client ??= create().catch((error: unknown) => {
      client = undefined;
      throw error;
    });
    return client;
  };
}
