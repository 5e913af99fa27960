import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { canonicalBytes, sha256Hex } from '../signing';
import type { CheckpointBodies, ExportDelivery } from '../ports';
import type { CheckpointBody } from '../checkpoint-body';

/**
 * Checkpoint bodies, one object each, keyed by number and the digest of the signed header (ECDSA
 * signatures differ each time, so even two runs that compute the same header get different keys):
 * a concurrent checkpointer that loses the race writes its own key and overwrites nothing. On AWS the bucket's Object Lock
 * (compliance mode) keeps every version for ten years, from everyone.
 */
export class S3CheckpointBodies implements CheckpointBodies {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(body: CheckpointBody): Promise<string> {
    const digest = sha256Hex(canonicalBytes({ header: body.header, signature: body.signature }));
    const key = `checkpoints/${String(body.header.number).padStart(10, '0')}-${digest.slice(0, 24)}.json`;
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: JSON.stringify(body), ContentType: 'application/json' }));
    return key;
  }

  async get(key: string): Promise<CheckpointBody | undefined> {
    try {
      const { Body } = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return JSON.parse(await Body!.transformToString()) as CheckpointBody;
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }
}

/** Large exports: written to the exports bucket, fetched through presigned GET links. */
export class S3ExportDelivery implements ExportDelivery {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, body: string, contentType: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }));
  }

  link(key: string, expiresInSeconds: number): Promise<string> {
    return getSignedUrl(this.s3, new GetObjectCommand({ Bucket: this.bucket, Key: key }), { expiresIn: expiresInSeconds });
  }
}
