import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { TableAccess } from '../lambdas/functions';
import { BUCKETS } from '../lambdas/shared/buckets';

/**
 * The documents the system issues and receives (the Service Details Template PDFs and their signed
 * copies): versioned, encrypted, TLS only, never public, kept when the stack goes, with server access logs
 * in a bucket of their own.
 */
export class DocumentsBucket extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // No ownership setting: CDK grants the S3 log delivery group write access (LogDeliveryWrite, which
      // needs ObjectWriter ownership) when this bucket becomes a server access log destination.
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(400) }],
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access-log destination of the documents bucket; logging it into itself or another log bucket would only log the log delivery.',
    });
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'documents/',
    });
  }

  /** Get (and with readWrite, put) objects; no list, no delete: documents are kept. */
  grant(grantee: IGrantable, access: TableAccess): void {
    const actions = ['s3:GetObject', ...(access === 'readWrite' ? ['s3:PutObject'] : [])];
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions, resources: [this.bucket.arnForObjects('onboardings/*')] }),
    );
  }

  /** The cdk-nag finding a grant raises, with why, on the grantee's construct. */
  acknowledgeGrant(scope: Construct): void {
    const logicalId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as never);
    Validations.of(scope).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/onboardings/*]`,
      reason:
        'Documents are keyed by onboarding id (onboardings/<id>/...), and the function serves any onboarding the caller proves access to; the grant is limited to that prefix and to get (and put).',
    });
  }

  get environment(): Readonly<Record<string, string>> {
    return { [BUCKETS.documents.envVar]: this.bucket.bucketName };
  }
}
