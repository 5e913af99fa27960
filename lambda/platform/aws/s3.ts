import { S3Client } from '@aws-sdk/client-s3';
import { ENV } from '../../config/system';

let shared: S3Client | undefined;

/** One client per process; path-style addressing where the local emulator (fauxqs) needs it. */
export function s3Client(env: NodeJS.ProcessEnv = process.env): S3Client {
  shared ??= new S3Client({ forcePathStyle: env[ENV.s3ForcePathStyle] === 'true' });
  return shared;
}
