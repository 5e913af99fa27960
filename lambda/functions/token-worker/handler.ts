import { executeTokenOperation } from '../../modules/token';
import { logger } from '../../platform/observability';
import { fifoGroupsFunction, parseMessage } from '../../platform/sqs';
import { tokenOperationMessageSchema } from '../../shared';
import type { TokenWorkerRoot } from './root';

/** Time kept back from the function's timeout to record an outcome. */
const SAFETY_MS = 10_000;
/** Attempts within one delivery before the record goes back to the queue (a pause should not wait out a visibility timeout for a blip). */
const ATTEMPTS_PER_DELIVERY = 3;

/** Executes token operations, one chain per FIFO group, the chains in parallel (see lambda/modules/token/execute.ts). */
export function createHandler({ worker, retryBaseSeconds }: TokenWorkerRoot) {
  return fifoGroupsFunction(async (record, context) => {
    const message = parseMessage(record, tokenOperationMessageSchema);
    const deps = await worker();
    const deadline = Date.now() + (context?.getRemainingTimeInMillis() ?? 60_000) - SAFETY_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await executeTokenOperation(deps, message, { deadline });
        logger.info('token operation executed', { ...message, status: outcome.status, transactionHash: outcome.transactionHash });
        return;
      } catch (error) {
        const wait = retryBaseSeconds * 1000 * 2 ** (attempt - 1);
        if (attempt >= ATTEMPTS_PER_DELIVERY || Date.now() + wait > deadline) throw error;
        logger.warn('token operation failed; retrying', { ...message, attempt, error: (error as Error).message });
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  });
}
