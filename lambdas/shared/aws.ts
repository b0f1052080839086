import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from './observability';

/**
 * AWS SDK v3 clients, created once per container and shared by every invocation. There is no endpoint
 * code: the SDK reads the service-specific AWS_ENDPOINT_URL_DYNAMODB / _SESV2 / _SFN / _S3 variables itself,
 * which is how local mode points the same code at the emulators.
 *
 * The `@__PURE__` marks let esbuild drop the clients a function never uses, so (say) the health check does
 * not carry the SES and Step Functions SDKs into its bundle and cold start.
 */
const dynamoDbClient = /* @__PURE__ */ tracer.captureAWSv3Client(/* @__PURE__ */ new DynamoDBClient({}));

/** Document client: plain JS values in and out; undefined attributes are dropped rather than rejected. */
export const dynamo = /* @__PURE__ */ DynamoDBDocumentClient.from(dynamoDbClient, {
  marshallOptions: { removeUndefinedValues: true },
});

export const ses = /* @__PURE__ */ tracer.captureAWSv3Client(/* @__PURE__ */ new SESv2Client({}));

export const sfn = /* @__PURE__ */ tracer.captureAWSv3Client(/* @__PURE__ */ new SFNClient({}));

/** An endpoint on an IP address (local mode's S3 emulator) is addressed path-style by the SDK itself. */
export const s3 = /* @__PURE__ */ tracer.captureAWSv3Client(/* @__PURE__ */ new S3Client({}));
