import { Duration, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { type IFunction, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionSpec } from '../lambdas/functions';
import type { TableName } from '../lambdas/shared/tables';

export interface StreamConsumersProps {
  readonly specs: readonly FunctionSpec[];
  readonly functions: ReadonlyMap<string, IFunction>;
  readonly tables: Readonly<Record<TableName, Table>>;
}

/** Records per invocation: one push of a department's day is a few hundred counts. */
const BATCH_SIZE = 100;
/** A failing batch is halved and retried this often before its records go to the failure queue. */
const RETRY_ATTEMPTS = 10;

/**
 * A DynamoDB Stream event source per function whose spec names `consumesStreamOf`: batched, split in
 * halves on error, partial batch responses (the consumer names the first record that failed), and an
 * encrypted SQS queue that keeps what still failed (the record's shard and sequence range, to replay from
 * the stream or recompute with `npm run admin -- report reconcile`).
 */
export class StreamConsumers extends Construct {
  readonly failureQueues: ReadonlyMap<string, Queue>;

  constructor(scope: Construct, id: string, props: StreamConsumersProps) {
    super(scope, id);
    const queues = new Map<string, Queue>();
    for (const spec of props.specs) {
      if (!spec.consumesStreamOf) continue;
      const fn = props.functions.get(spec.id);
      if (!fn) throw new Error(`No function ${spec.id}`);
      const queue = new Queue(this, `${spec.id}Failures`, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      const reason =
        'This queue is itself the on-failure destination of a stream event source: it keeps the records that failed every retry for an admin; no consumer reads it whose failures would need another queue.';
      Validations.of(queue).acknowledge(
        { id: 'AwsSolutions-SQS3', reason },
        { id: 'Serverless::Serverless-SQSRedrivePolicy', reason },
      );
      fn.addEventSource(
        new DynamoEventSource(props.tables[spec.consumesStreamOf], {
          startingPosition: StartingPosition.TRIM_HORIZON,
          batchSize: BATCH_SIZE,
          maxBatchingWindow: Duration.seconds(1),
          bisectBatchOnError: true,
          reportBatchItemFailures: true,
          retryAttempts: RETRY_ATTEMPTS,
          onFailure: new SqsDlq(queue),
        }),
      );
      queues.set(spec.id, queue);
    }
    this.failureQueues = queues;
  }
}
