import { RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, type BucketProps, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface SnapshotBucketProps {
  /** Where S3 server access logs go (under a prefix named after this bucket's construct id). */
  readonly serverAccessLogsBucket?: IBucket;
  readonly overrides?: Partial<BucketProps>;
}

/** A private, versioned, TLS-only bucket, retained on stack deletion, with server access logs. */
export class SnapshotBucket extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: SnapshotBucketProps = {}) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: props.serverAccessLogsBucket ? `${id}/` : undefined,
      ...props.overrides,
    });
  }
}
