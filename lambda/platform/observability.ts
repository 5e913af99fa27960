import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { METRICS, SERVICE_NAME } from '../config/system';

/**
 * One logger and one metrics emitter per function. Events, bodies, names and dates of birth are
 * never logged: log correlation keys (investor id, message id, transaction hash) only.
 */
export const logger = new Logger({ serviceName: SERVICE_NAME });
export const metrics = new Metrics({ namespace: METRICS.namespace, serviceName: SERVICE_NAME });
/**
 * X-Ray segments on Lambda (the stack turns active tracing on); a no-op elsewhere. Outbound HTTPS
 * calls are not recorded: chain RPC URLs embed provider API keys.
 */
export const tracer = new Tracer({ serviceName: SERVICE_NAME, captureHTTPsRequests: false });

/** The error fields that are safe to log: class, code and message, never the input that caused it. */
export function describeError(error: unknown): { errorName: string; errorCode?: string; errorMessage: string } {
  if (error instanceof Error) {
    return { errorName: error.name, errorCode: (error as { code?: string }).code, errorMessage: error.message };
  }
  return { errorName: typeof error, errorMessage: 'non-error thrown' };
}
