import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectLockRetention, type BucketProps, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { BucketSpec } from '../../lambda/config/system';

export interface SnapshotBucketProps {
  /** Where S3 server access logs go (under a prefix named after this bucket's construct id). */
  readonly serverAccessLogsBucket?: IBucket;
  /** From the bucket's spec: keep every object version unchangeable for this long (write-once audit evidence). */
  readonly objectLock?: BucketSpec['objectLock'];
  readonly overrides?: Partial<BucketProps>;
}

/**
 * A private, versioned, TLS-only bucket, retained on stack deletion, with server access logs; with
 * `objectLock`, every version is immutable for the retention period.
 */
export class SnapshotBucket extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: SnapshotBucketProps = {}) {
    super(scope, id);
    const lock = props.objectLock;
    // Calendar years include leap days: round up so the lock is never shorter than the years asked for.
    const retention = lock && Duration.days(Math.ceil(lock.retentionYears * 365.25));
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: props.serverAccessLogsBucket ? `${id}/` : undefined,
      ...(lock && retention
        ? {
            objectLockEnabled: true,
            objectLockDefaultRetention: lock.mode === 'compliance' ? ObjectLockRetention.compliance(retention) : ObjectLockRetention.governance(retention),
          }
        : {}),
      ...props.overrides,
    });
  }
}
