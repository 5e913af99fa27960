import type { Context, ScheduledEvent } from 'aws-lambda';
import { LocalKeySigner } from '../../lambda/modules/audit/adapters';
import { ENV, KMS_KEYS } from '../../lambda/config/system';

/** How often the local run seals a checkpoint (on AWS: the function's `schedule`). */
export const LOCAL_CHECKPOINT_INTERVAL_MS = 10_000;
/** Local records land within milliseconds; AWS keeps the 5-minute default. */
const LOCAL_SETTLE_SECONDS = 2;

/** The audit signer's local key (generated per run; KMS holds it on AWS) and a short settle delay. */
export function auditLocalEnv(): Record<string, string> {
  return { [KMS_KEYS.auditSigner.localEnvVar]: LocalKeySigner.generatePem(), [ENV.auditSettleSeconds]: String(LOCAL_SETTLE_SECONDS) };
}

type ScheduledLambda = (event: ScheduledEvent, context: Context) => Promise<unknown>;

/** Stands in for the EventBridge rule: invokes the checkpoint function on a timer, one run at a time. */
export function startAuditCheckpoints(
  invoke: ScheduledLambda,
  context: () => Context,
  onError: (error: unknown) => void,
  intervalMs = LOCAL_CHECKPOINT_INTERVAL_MS,
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const event = (): ScheduledEvent => ({
    version: '0',
    id: 'local',
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [],
    detail: {},
  });
  const timer = setInterval(() => {
    running = running.then(() => invoke(event(), context()).catch(onError));
  }, intervalMs);
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
