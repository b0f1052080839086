import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from './observability';

/**
 * AWS SDK v3 clients, created once per container and shared by every invocation. There is no endpoint
 * code: the SDK reads the service-specific AWS_ENDPOINT_URL_DYNAMODB / _SESV2 / _SFN / _SSM variables
 * itself, which is how local mode points the same code at the emulators.
 */
const dynamoDbClient = tracer.captureAWSv3Client(new DynamoDBClient({}));

/** Document client: plain JS values in and out; undefined attributes are dropped rather than rejected. */
export const dynamo = DynamoDBDocumentClient.from(dynamoDbClient, {
  marshallOptions: { removeUndefinedValues: true },
});

export const ses = tracer.captureAWSv3Client(new SESv2Client({}));

export const sfn = tracer.captureAWSv3Client(new SFNClient({}));

export const ssm = tracer.captureAWSv3Client(new SSMClient({}));
