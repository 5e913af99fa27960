import { RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, type BucketProps } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** A private, versioned, TLS-only bucket. */
export class SnapshotBucket extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: { overrides?: Partial<BucketProps> } = {}) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      ...props.overrides,
    });
  }
}
