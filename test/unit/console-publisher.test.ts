import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { publishConsole, responseBody, type ConsoleBundleFile, type CustomResourceEvent } from '../../lib/console-publisher/publish';

const files: ConsoleBundleFile[] = [
  { path: '/index.html', contentType: 'text/html; charset=utf-8', immutable: false, base64: Buffer.from('<html>app-abc.js</html>').toString('base64') },
  { path: '/app-abc.js', contentType: 'text/javascript; charset=utf-8', immutable: true, base64: Buffer.from('console.log(1)').toString('base64') },
  { path: '/app-def.css', contentType: 'text/css; charset=utf-8', immutable: true, base64: Buffer.from('body{}').toString('base64') },
];
const properties = { Bucket: 'console-bucket', AssetBucket: 'assets', AssetKey: 'abc.json', Config: '{"apiUrl":"https://api.example"}' };

/** An S3 client that serves the asset and records every put, in order. */
function fakeS3() {
  const puts: { Key: string; Body: string; ContentType: string; CacheControl: string; Bucket: string }[] = [];
  const send = jest.fn(async (command: unknown) => {
    if (command instanceof GetObjectCommand) {
      expect(command.input).toEqual({ Bucket: 'assets', Key: 'abc.json' });
      return { Body: { transformToString: async () => JSON.stringify(files) } };
    }
    if (command instanceof PutObjectCommand) {
      const input = command.input as { Key: string; Body: Buffer; ContentType: string; CacheControl: string; Bucket: string };
      puts.push({ ...input, Body: input.Body.toString('utf8') });
      return {};
    }
    throw new Error('unexpected command');
  });
  return { s3: { send } as never, puts };
}

describe('publishing the console', () => {
  it('writes the hashed files first (cached for good), then config.json, then index.html (both revalidated)', async () => {
    const { s3, puts } = fakeS3();
    const written = await publishConsole(s3, properties);
    expect(puts.map((put) => [put.Key, put.CacheControl])).toEqual([
      ['app-abc.js', 'public, max-age=31536000, immutable'],
      ['app-def.css', 'public, max-age=31536000, immutable'],
      ['config.json', 'no-cache'],
      ['index.html', 'no-cache'],
    ]);
    expect(puts.every((put) => put.Bucket === 'console-bucket')).toBe(true);
    expect(puts.find((put) => put.Key === 'config.json')).toMatchObject({ Body: properties.Config, ContentType: 'application/json' });
    expect(puts.find((put) => put.Key === 'app-abc.js')).toMatchObject({ Body: 'console.log(1)', ContentType: 'text/javascript; charset=utf-8' });
    expect(written).toEqual(['/app-abc.js', '/app-def.css', '/config.json', '/index.html']);
  });

  it('answers CloudFormation with the outcome, keeping one physical id across updates', () => {
    const event: CustomResourceEvent = {
      RequestType: 'Update',
      ResponseURL: 'https://cloudformation-response.example/',
      StackId: 'stack',
      RequestId: 'request',
      LogicalResourceId: 'ConsolePublication',
      PhysicalResourceId: 'console-publication-ConsolePublication',
      ResourceProperties: { ...properties, ServiceToken: 'arn' },
    };
    expect(JSON.parse(responseBody(event, { ok: true, written: ['/a', '/b'] }, 'stream'))).toEqual({
      Status: 'SUCCESS',
      Reason: 'published 2 files',
      PhysicalResourceId: 'console-publication-ConsolePublication',
      StackId: 'stack',
      RequestId: 'request',
      LogicalResourceId: 'ConsolePublication',
      Data: {},
    });
    const failed = JSON.parse(
      responseBody({ ...event, RequestType: 'Create', PhysicalResourceId: undefined }, { ok: false, reason: 'Access Denied' }, 'stream-1'),
    );
    expect(failed).toMatchObject({
      Status: 'FAILED',
      Reason: 'Access Denied (log stream stream-1)',
      PhysicalResourceId: 'console-publication-ConsolePublication',
    });
  });
});
