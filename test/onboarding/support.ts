import type { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { vi } from 'vitest';
import { BUCKETS } from '../../lambdas/shared/buckets';
import { ses } from '../../lambdas/shared/ses';
import { startS3 } from '../../local/s3';
import { startFakeSfn } from '../approvals/fake-sfn';
import { startDynalite } from '../support/dynamo';

export const BASE_URL = 'https://etaal.example.test/prod';

export interface SentEmail {
  readonly to: string[];
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/**
 * In-process harness for the onboarding handlers: dynalite with every table, a fake Step Functions
 * endpoint (the real SDK client talks to it) and SES captured at the client (the emails are asserted,
 * not delivered). Call `stop()` in afterAll.
 */
export async function startHarness(prefix: string) {
  const db = await startDynalite({ tablePrefix: prefix });
  db.applyEnv();
  const sfn = await startFakeSfn();
  // Templates are rendered as a PDF and kept in the documents bucket.
  const s3 = await startS3(null, [`${prefix}documents`], 0, {
    accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? '',
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? '',
  });
  const previous = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SFN: sfn.endpoint,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    [BUCKETS.documents.envVar]: `${prefix}documents`,
    PUBLIC_BASE_URL: BASE_URL,
    SES_FROM_ADDRESS: 'no-reply@etaal.example.test',
    STATE_MACHINE_ARN: 'arn:aws:states:ap-south-1:123456789012:stateMachine:etaal-onboarding',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    // These tests create many onboardings for one department; the quotas have their own tests
    // (test/abuse/onboarding-abuse.test.ts).
    MAX_OPEN_ONBOARDINGS: '1000',
    ONBOARDINGS_PER_HOUR: '1000',
    REMINDERS_PER_RECIPIENT_PER_DAY: '1000',
  });
  const emails: SentEmail[] = [];
  const sendSpy = vi.spyOn(ses, 'send').mockImplementation((async (command: SendEmailCommand) => {
    const { Destination, Content } = command.input;
    emails.push({
      to: Destination?.ToAddresses ?? [],
      subject: Content?.Simple?.Subject?.Data ?? '',
      html: Content?.Simple?.Body?.Html?.Data ?? '',
      text: Content?.Simple?.Body?.Text?.Data ?? '',
    });
    return { MessageId: `m-${emails.length}` };
  }) as never);
  return {
    db,
    sfn,
    emails,
    async stop() {
      sendSpy.mockRestore();
      process.env = previous;
      await sfn.stop();
      await s3.stop();
      await db.stop();
    },
  };
}

type Harness = Awaited<ReturnType<typeof startHarness>>;

/** The onboarding's audit trail, oldest first. */
export async function auditTypes(harness: Harness, onboardingId: string): Promise<string[]> {
  const { Items = [] } = await harness.db.client.send(
    new QueryCommand({
      TableName: harness.db.tables.onboardings,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
      ExpressionAttributeValues: { ':pk': `ONB#${onboardingId}`, ':audit': 'AUDIT#' },
    }),
  );
  return Items.map((item) => String(item.type));
}

/** A ServiceCodes item as the counts API reads it. */
export async function serviceCodeItem(harness: Harness, serviceCode: string) {
  const { Item } = await harness.db.client.send(
    new GetCommand({
      TableName: harness.db.tables.serviceCodes,
      Key: { pk: `CODE#${serviceCode}`, sk: 'SERVICE' },
    }),
  );
  return Item;
}
