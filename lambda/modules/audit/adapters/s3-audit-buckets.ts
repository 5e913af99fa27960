import { GetObjectCommand, NoSuchKey, PutObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { CHECKPOINT_BODY_PREFIX, checkpointBodyKey } from '../checkpoint';
import type { CheckpointBodies, CheckpointBodyListing, ExportDelivery } from '../ports';
import type { CheckpointBody } from '../checkpoint-body';

/**
 * Checkpoint bodies, one object each, keyed by `checkpointBodyKey` (number and the digest of the
 * signed header): a concurrent checkpointer that loses the race writes its own key and overwrites
 * nothing. On AWS the bucket's Object Lock (compliance mode) keeps every version for ten years, from
 * everyone, so the listing is the one record of the checkpoints that the table's writers cannot shorten.
 */
export class S3CheckpointBodies implements CheckpointBodies, CheckpointBodyListing {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(body: CheckpointBody): Promise<string> {
    const key = checkpointBodyKey(body);
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

  async *keys(): AsyncIterable<string[]> {
    for await (const page of paginateListObjectsV2({ client: this.s3 }, { Bucket: this.bucket, Prefix: CHECKPOINT_BODY_PREFIX })) {
      yield (page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []));
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
