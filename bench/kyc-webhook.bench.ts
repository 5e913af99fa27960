import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { LOCAL_KYC_CREDENTIALS, kycLocalEnv } from '../bin/local/kyc';
import { lambdaContext } from '../bin/local/lambda-context';
import { provision } from '../bin/local/provision';
import { startDynamoDbLocal, startFauxqs, type LocalService } from '../bin/local/services';
import { kycPayload } from '../bin/local/vendor-simulator/payloads';
import { sqsClient } from '../lambda/platform/aws/sqs';
import { ENV } from '../lambda/config/system';
import { signWebhook } from '../lambda/modules/kyc';
import type { KycVendor } from '../lambda/shared';
import type { Benchmark } from './benchmarks';

const DELIVERIES = 1000;
const BUDGET_MS = 5000;

type HttpLambda = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/** A signed delivery of a distinct event from one of the vendors that need no enrichment at the edge. */
function delivery(index: number): { vendor: KycVendor; body: string; headers: Record<string, string> } {
  const vendors: KycVendor[] = ['sumsub', 'onfido', 'persona', 'veriff', 'standard-webhooks'];
  const vendor = vendors[index % vendors.length]!;
  const at = new Date(Date.now() - index);
  const common = { applicantId: `bench-applicant-${index}`, externalReference: `bench-${index}`, at };
  const payload =
    vendor === 'sumsub'
      ? kycPayload.sumsub({ ...common, reviewResult: { reviewAnswer: 'GREEN' } })
      : vendor === 'onfido'
        ? kycPayload.onfido({ ...common, status: 'approved', runId: `wfr_bench_${index}` })
        : vendor === 'persona'
          ? kycPayload.persona({ ...common, name: 'inquiry.approved', eventId: `evt_bench_${index}` })
          : vendor === 'veriff'
            ? kycPayload.veriff({ ...common, status: 'approved' })
            : kycPayload['standard-webhooks']({ ...common, status: 'approved' });
  const body = JSON.stringify(payload);
  const headers = signWebhook(vendor, Buffer.from(body), LOCAL_KYC_CREDENTIALS.webhookSecrets[vendor], { now: new Date(), id: `msg_bench_${index}` });
  return { vendor, body, headers: { ...headers, 'content-type': 'application/json' } };
}

function event(vendor: string, body: string, headers: Record<string, string>): APIGatewayProxyEventV2WithJWTAuthorizer {
  return {
    version: '2.0',
    routeKey: 'POST /webhooks/kyc/{vendor}',
    rawPath: `/webhooks/kyc/${vendor}`,
    rawQueryString: '',
    headers,
    pathParameters: { vendor },
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      domainName: 'localhost',
      domainPrefix: 'bench',
      http: { method: 'POST', path: `/webhooks/kyc/${vendor}`, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: `bench-${Math.random()}`,
      routeKey: 'POST /webhooks/kyc/{vendor}',
      stage: '$default',
      time: '',
      timeEpoch: 0,
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: {}, scopes: [] } },
    },
  };
}

async function run(handler: HttpLambda, label: string, offset: number, concurrency: number): Promise<void> {
  const deliveries = Array.from({ length: DELIVERIES }, (_, index) => delivery(offset + index));
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let index = next++; index < deliveries.length; index = next++) {
        const { vendor, body, headers } = deliveries[index]!;
        const start = performance.now();
        const result = await handler(event(vendor, body, headers), lambdaContext('kycWebhook', 5, 256));
        latencies.push(performance.now() - start);
        if (result.statusCode !== 200) failures++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const p99 = percentile(latencies, 99);
  console.log(
    `  ${label.padEnd(14)} ${DELIVERIES} webhooks in ${seconds.toFixed(2)} s (${(DELIVERIES / seconds).toFixed(0)}/s)  p50 ${percentile(latencies, 50).toFixed(1)} ms  p95 ${percentile(latencies, 95).toFixed(1)} ms  p99 ${p99.toFixed(1)} ms  max ${latencies.at(-1)!.toFixed(1)} ms  non-200: ${failures}  ${p99 < BUDGET_MS ? 'within' : 'OVER'} the vendors' ${BUDGET_MS / 1000} s budget`,
  );
}

export const kycWebhookBenchmark: Benchmark = {
  name: 'kyc-webhook',
  description: `KYC webhook edge on DynamoDB Local + fauxqs: verify, validate, store once, queue (the receipt is audited by the worker); ${DELIVERIES} signed deliveries of the five vendors, latency against the 5 s budget`,
  async run() {
    const workDir = mkdtempSync(path.join(tmpdir(), 'tc-bench-kyc-'));
    const logDir = path.join(workDir, 'logs');
    const services: LocalService[] = [];
    try {
      const [dynamodb, fauxqs] = await Promise.all([startDynamoDbLocal({ logDir }), startFauxqs({ logDir })]);
      services.push(dynamodb, fauxqs);
      Object.assign(process.env, {
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        POWERTOOLS_METRICS_DISABLED: 'true',
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
        AWS_ENDPOINT_URL_SQS: fauxqs.endpoint,
        AWS_ENDPOINT_URL_S3: fauxqs.endpoint,
        [ENV.s3ForcePathStyle]: 'true',
      });
      const resources = await provision({ dynamodb: new DynamoDBClient({}), sqs: sqsClient(), s3: new S3Client({ forcePathStyle: true }) }, 'benchkyc');
      // The edge never calls the vendors' APIs (the worker does): nothing listens there.
      Object.assign(process.env, resources, kycLocalEnv({ sumsub: 'http://127.0.0.1:9/sumsub', onfido: 'http://127.0.0.1:9/onfido' }));
      // Loaded after the log level is set: the handlers' logger reads it once, at import.
      const { compose } = await import('../lambda/functions/kyc-webhook/root.js');
      const { createHandler } = await import('../lambda/functions/kyc-webhook/handler.js');
      const handler = createHandler(compose(process.env)) as unknown as HttpLambda;
      await handler(event('persona', '{}', {}), lambdaContext('kycWebhook', 5, 256)); // cold start: secrets, clients
      await run(handler, 'one at a time', 0, 1);
      await run(handler, '8 concurrent', DELIVERIES, 8);
    } finally {
      await Promise.allSettled(services.map((service) => service.stop()));
      rmSync(workDir, { recursive: true, force: true });
    }
  },
};
