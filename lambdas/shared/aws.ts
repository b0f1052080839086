import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type {
  GetObjectCommand,
  GetObjectCommandOutput,
  PutObjectCommand,
  PutObjectCommandOutput,
} from '@aws-sdk/client-s3';
import type { SendEmailCommand, SendEmailCommandOutput } from '@aws-sdk/client-sesv2';
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

export const sfn = /* @__PURE__ */ bounded(/* @__PURE__ */ new SFNClient(SDK_CLIENT_CONFIG));

/**
 * A client created by its first call, its SDK package loaded then with `import()`: a chunk of the bundle
 * that a cold start does not read (lib/function-bundle.ts). For SES and S3, which only some requests of
 * their functions use (an email to send, a document to store or read): the others do not parse ~60 KiB
 * (SES) or ~120 KiB (S3) of SDK code at every cold start (docs/dashboard.md, Cold start). The callers
 * make their commands from the same `import()`.
 */
function createdOnFirstCall<C>(create: () => Promise<C>): () => Promise<C> {
  let client: Promise<C> | undefined;
  return () => {
    client ??= create();
    return client;
  };
}

const sesClient = createdOnFirstCall(async () => {
  const { SESv2Client } = await import('@aws-sdk/client-sesv2');
  return bounded(new SESv2Client(SDK_CLIENT_CONFIG));
});

/** SES v2, for the one call the functions make (onboarding/mailer.ts). */
export const ses = {
  send: async (command: SendEmailCommand): Promise<SendEmailCommandOutput> =>
    (await sesClient()).send(command),
};

/**
 * For a function whose every invocation sends mail: `await preloadSes()` at the top level of its handler
 * module loads the client in the cold start, as a static import did, rather than in the first request
 * (which would wait for it): deferring what every request needs saves nothing.
 */
export async function preloadSes(): Promise<void> {
  await sesClient();
}

/** An endpoint on an IP address (local mode's S3 emulator) is addressed path-style by the SDK itself. */
const s3Client = createdOnFirstCall(async () => {
  const { S3Client } = await import('@aws-sdk/client-s3');
  return bounded(new S3Client(SDK_CLIENT_CONFIG));
});

/** S3, for the calls the functions make (the documents bucket: onboarding/template-documents.ts). */
interface DocumentsClient {
  send(command: PutObjectCommand): Promise<PutObjectCommandOutput>;
  send(command: GetObjectCommand): Promise<GetObjectCommandOutput>;
}

export const s3: DocumentsClient = {
  send: async (command: PutObjectCommand | GetObjectCommand) => (await s3Client()).send(command),
};

/** For a function whose every request reads or stores a document: as `preloadSes`. */
export async function preloadS3(): Promise<void> {
  await s3Client();
}
