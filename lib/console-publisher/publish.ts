/**
 * What the console's deployment does, as plain functions of an S3 client: read the built console
 * (one JSON file, a CDK asset), write its files and the deployment's `config.json` into the
 * console bucket, hashed files first, so a visitor never gets an index.html naming a file not yet
 * there.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** The asset: every file of the build, base64. */
export interface ConsoleBundleFile {
  readonly path: string;
  readonly contentType: string;
  readonly immutable: boolean;
  readonly base64: string;
}

export interface PublicationProperties {
  readonly Bucket: string;
  readonly AssetBucket: string;
  readonly AssetKey: string;
  /** The console's config.json as JSON text: API URL and the Cognito app client people sign in with. */
  readonly Config: string;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html and config.json: always revalidated, so a deployment reaches browsers at once. */
const REVALIDATE = 'no-cache';

export async function publishConsole(s3: Pick<S3Client, 'send'>, properties: PublicationProperties): Promise<readonly string[]> {
  const asset = await s3.send(new GetObjectCommand({ Bucket: properties.AssetBucket, Key: properties.AssetKey }));
  if (!asset.Body) throw new Error(`the console asset ${properties.AssetKey} is empty`);
  const files = JSON.parse(await asset.Body.transformToString('utf8')) as ConsoleBundleFile[];
  const put = (path: string, body: Buffer, contentType: string, cacheControl: string) =>
    s3.send(
      new PutObjectCommand({ Bucket: properties.Bucket, Key: path.replace(/^\//, ''), Body: body, ContentType: contentType, CacheControl: cacheControl }),
    );
  const written: string[] = [];
  for (const file of [...files].sort((a, b) => Number(b.immutable) - Number(a.immutable))) {
    if (!file.immutable) continue;
    await put(file.path, Buffer.from(file.base64, 'base64'), file.contentType, IMMUTABLE);
    written.push(file.path);
  }
  await put('/config.json', Buffer.from(properties.Config), 'application/json', REVALIDATE);
  written.push('/config.json');
  for (const file of files.filter((candidate) => !candidate.immutable)) {
    await put(file.path, Buffer.from(file.base64, 'base64'), file.contentType, REVALIDATE);
    written.push(file.path);
  }
  return written;
}

export interface CustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: PublicationProperties & { readonly ServiceToken: string };
}

/** CloudFormation's answer format for a custom resource, PUT to the presigned ResponseURL. */
export function responseBody(event: CustomResourceEvent, outcome: { ok: true; written: readonly string[] } | { ok: false; reason: string }, logStream: string) {
  return JSON.stringify({
    Status: outcome.ok ? 'SUCCESS' : 'FAILED',
    Reason: outcome.ok ? `published ${outcome.written.length} files` : `${outcome.reason} (log stream ${logStream})`.slice(0, 1000),
    // One publication per stack: an update replaces the files in place, never the resource.
    PhysicalResourceId: event.PhysicalResourceId ?? `console-publication-${event.LogicalResourceId}`,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: {},
  });
}
