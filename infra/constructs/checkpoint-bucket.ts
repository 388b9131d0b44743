/**
 * Where a service's trail checkpoints go (shared/manifest.ts, KeyUse): an S3 bucket with Object
 * Lock in compliance mode and a default retention, so that a checkpoint once written can be
 * neither overwritten nor deleted by anyone (the writers of the table, the deployment role and
 * the account's root user included) until its retention ends. A checkpoint that disagrees with
 * the table is then proof that the table was changed, not the checkpoint.
 *
 * Versioned (Object Lock requires it), SSE-S3, TLS only, no public access, no ACLs, retained
 * when the stack goes. Its server access logs, in a second bucket, record who read and wrote
 * each checkpoint.
 *
 * The grants are written out instead of `grantRead`/`grantPut`: `grantPut` also gives
 * s3:PutObjectRetention, s3:PutObjectLegalHold and s3:Abort*, and the only writer needs
 * s3:PutObject alone (the default retention applies to every new object).
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { checkpointRetentionYearsOf, type RegionConfig } from '../regions.ts';
import { acknowledge } from './nag.ts';

/** Days covering whole years with their leap days, so a lock never ends before its last year. */
export function retentionDays(years: number): number {
  return Math.ceil(years * 365.25);
}

export interface CheckpointBucketProps {
  readonly region: RegionConfig;
}

export class CheckpointBucket extends Construct {
  readonly bucket: s3.Bucket;
  /** Server access logs of `bucket`. */
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: CheckpointBucketProps) {
    super(scope, id);
    // S3 log delivery gets a bucket policy instead of the LogDeliveryWrite ACL, which needs ACLs
    // enabled on the log bucket (the CDK's recommended behaviour, behind a flag cdk.json lacks).
    this.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const retention = Duration.days(retentionDays(checkpointRetentionYearsOf(props.region)));

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      // S3 delivers server access logs only to buckets with SSE-S3 default encryption.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // As long as the checkpoints whose reads and writes they record.
      lifecycleRules: [{ id: 'expire-with-checkpoints', expiration: retention }],
    });
    acknowledge(this.accessLogs, [
      {
        id: 'AwsSolutions-S1',
        reason: 'This bucket holds the server access logs of the checkpoint bucket; logging it in turn would only move the same finding to one more bucket.',
      },
    ]);

    this.bucket = new s3.Bucket(this, 'Bucket', {
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(retention),
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'checkpoints/',
    });
  }

  /** `s3://<bucket>`, the TRAIL_CHECKPOINTS value (shared/env.ts). */
  get url(): string {
    return `s3://${this.bucket.bucketName}`;
  }

  /** Reading checkpoints: s3:GetObject on its objects, s3:ListBucket on the bucket. */
  grantRead(role: iam.Role): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [this.bucket.arnForObjects('*')] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }));
    this.acknowledgeObjects(role, 'read');
  }

  /** Writing new checkpoints: s3:PutObject only; never delete, retention, legal hold or bucket settings. */
  grantWrite(role: iam.Role): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects('*')] }));
    this.acknowledgeObjects(role, 'write');
  }

  private acknowledgeObjects(role: iam.Role, what: string): void {
    const bucketId = this.bucket.stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    acknowledge(role, [
      {
        id: 'AwsSolutions-IAM5',
        reason: `Checkpoints are one object per trail head under the checkpoint bucket; the function may ${what} any of them, in ${bucketId} only.`,
        appliesTo: [`Resource::<${bucketId}.Arn>/*`],
      },
    ]);
  }
}
