import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { listIdOf, type SanctionsList, type SourceFile } from '../list';
import type { SnapshotStore } from '../ports';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);
const PARSED = 'list.json.gz';

/**
 * Snapshots in the versioned list bucket, one prefix per list and version (`ofac-sdn/…`, `ofac-cons/…`): the files exactly as published
 * (the evidence of what was screened against) and the parsed list, which workers load at cold
 * start whatever format it came in.
 */
export class S3SnapshotStore implements SnapshotStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(list: SanctionsList, files: readonly SourceFile[]): Promise<string> {
    const prefix = `${listIdOf(list.version)}/${list.version.listDate}/${list.version.contentHash}`;
    for (const file of files) {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: `${prefix}/${file.name}`, Body: file.bytes }));
    }
    const key = `${prefix}/${PARSED}`;
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: await gzipAsync(JSON.stringify(list)),
        ContentType: 'application/json',
        ContentEncoding: 'gzip',
      }),
    );
    return key;
  }

  async load(snapshotKey: string): Promise<SanctionsList> {
    const { Body } = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: snapshotKey }));
    if (!Body) throw new Error(`list snapshot ${snapshotKey} is empty`);
    const bytes = await Body.transformToByteArray();
    return JSON.parse((await gunzipAsync(bytes)).toString('utf8')) as SanctionsList;
  }
}
