/**
 * The console's deployment as a CloudFormation custom resource (lib/constructs/compliance-console.ts):
 * on create and update it publishes the console into its bucket; on delete it leaves the retained
 * bucket as it is. It always answers CloudFormation, so a failure fails the deployment instead of
 * hanging it.
 */
import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { publishConsole, responseBody, type CustomResourceEvent } from './publish';

const s3 = new S3Client({});

export async function handler(event: CustomResourceEvent, context: Context): Promise<void> {
  let body: string;
  try {
    const written = event.RequestType === 'Delete' ? [] : await publishConsole(s3, event.ResourceProperties);
    body = responseBody(event, { ok: true, written }, context.logStreamName);
  } catch (error) {
    console.error('console publication failed', error);
    body = responseBody(event, { ok: false, reason: (error as Error).message }, context.logStreamName);
  }
  // The presigned URL is signed for an empty content type.
  const answer = await fetch(event.ResponseURL, { method: 'PUT', headers: { 'content-type': '' }, body });
  if (!answer.ok) throw new Error(`CloudFormation refused the response: ${answer.status}`);
}
