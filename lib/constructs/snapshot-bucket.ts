import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectLockRetention, type BucketProps } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { BucketSpec } from '../../lambda/config/system';

export interface SnapshotBucketProps {
  /** From the bucket's spec: keep every object version unchangeable for this long (write-once audit evidence). */
  readonly objectLock?: BucketSpec['objectLock'];
  readonly overrides?: Partial<BucketProps>;
}

/** A private, versioned, TLS-only bucket; with `objectLock`, every version is immutable for the retention period. */
export class SnapshotBucket extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: SnapshotBucketProps = {}) {
    super(scope, id);
    const lock = props.objectLock;
    const retention = lock && Duration.days(lock.retentionYears * 365);
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      ...(lock && retention
        ? { objectLockEnabled: true, objectLockDefaultRetention: lock.mode === 'compliance' ? ObjectLockRetention.compliance(retention) : ObjectLockRetention.governance(retention) }
        : {}),
      ...props.overrides,
    });
  }
}
