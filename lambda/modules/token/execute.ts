import { InvariantError, TransientError } from '../../shared';
import { JournaledSender, type AllowlistJournal, type FlushRequests, type SettledSlot } from '../allowlist';
import type { AuditLog } from '../audit';
import { TOKEN_STREAM } from './emergency';
import type { ChainOutcome, TokenControl, TokenOperation } from './operation';
import type { TokenChain, TokenOperationStore } from './ports';

/** How far below the chain's mined nonce the journal is searched for this operation's transaction. */
const LOOKBACK = 256;

export interface TokenWorkerDeps {
  readonly store: TokenOperationStore;
  readonly audit: AuditLog;
  /** The allowlist journal: the token agent's nonce slots live there, beside (never among) the allowlist agent's. */
  readonly journal: AllowlistJournal;
  readonly flushRequests: FlushRequests;
  readonly chain: (chainId: number) => TokenChain | undefined;
  readonly actor: string;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Test seam: runs after a transaction is broadcast and before anything else is recorded. */
  readonly afterBroadcast?: JournaledSenderSeam;
}
type JournaledSenderSeam = NonNullable<ConstructorParameters<typeof JournaledSender>[0]['afterBroadcast']>;

/** Whether the operation is still what the control item wants: a later pause or unpause makes an earlier one moot. */
function inForce(operation: TokenOperation, control: TokenControl): boolean {
  return operation.kind === 'pause'
    ? control.paused && control.pauseOperationId === operation.operationId
    : !control.paused && control.unpauseOperationId === operation.operationId;
}

/**
 * Executes one operation on one chain, exactly once: the transaction goes through the allowlist
 * worker's JournaledSender (nonce and signed bytes journaled before broadcast), so a worker that
 * crashed after broadcasting finishes that transaction on redelivery instead of sending another,
 * and finds it again by the operation's key. A chain already in the wanted state gets nothing.
 * The transaction's audit record (hash, block) comes before the chain's outcome is stored, keyed
 * by operation and chain. A failure is stored on the chain (never `done`) and thrown: the queue
 * retries, its DLQ alarms. After an unpause, the chain's registry is flushed: the adds and
 * unfreezes the pause held go out.
 */
export async function executeTokenOperation(
  deps: TokenWorkerDeps,
  message: { operationId: string; chainId: number },
  options: { deadline: number },
): Promise<ChainOutcome> {
  const { operationId, chainId } = message;
  const now = deps.now ?? (() => new Date());
  const operation = await deps.store.operation(operationId);
  if (!operation) throw new InvariantError(`token operation ${operationId} does not exist`);
  const previous = operation.chains[String(chainId)];
  if (previous?.status === 'done' || previous?.status === 'superseded') return previous;
  if (operation.status !== 'approved') throw new InvariantError(`token operation ${operationId} is ${operation.status}, not approved`);
  const target = deps.chain(chainId);
  if (!target) throw new InvariantError(`chain ${chainId} is not configured for the token worker`);
  const attempts = (previous?.attempts ?? 0) + 1;
  try {
    const outcome = await apply(deps, operation, target, options.deadline, attempts, now);
    if (outcome.status === 'done') {
      await deps.audit.append({
        stream: TOKEN_STREAM,
        type: outcome.alreadyInState ? 'token.operation.already_in_state' : 'token.operation.mined',
        actor: deps.actor,
        data: {
          operationId,
          kind: operation.kind,
          chainId,
          ...(outcome.transactionHash ? { transactionHash: outcome.transactionHash, gasUsed: outcome.gasUsed } : {}),
          blockNumber: outcome.blockNumber,
        },
        idempotencyKey: `token-op#${operationId}:chain#${chainId}`,
      });
    }
    await deps.store.recordChainOutcome(operationId, chainId, outcome);
    if (operation.kind === 'unpause' && outcome.status === 'done') await deps.flushRequests.requestFlush(target.registry, `unpause:${operationId}`);
    return outcome;
  } catch (error) {
    const lastError = (error instanceof Error ? error.message : 'unknown failure').slice(0, 300);
    await deps.store.recordChainOutcome(operationId, chainId, { status: 'failed', attempts, lastError, at: now().toISOString() }).catch(() => undefined);
    throw error;
  }
}

async function apply(
  deps: TokenWorkerDeps,
  operation: TokenOperation,
  target: TokenChain,
  deadline: number,
  attempts: number,
  now: () => Date,
): Promise<ChainOutcome> {
  const { chain } = target;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const key = `token-op#${operation.operationId}`;
  const sender = new JournaledSender({
    chain,
    journal: deps.journal,
    group: `token:${chain.chainId}`,
    now,
    sleep,
    deadline,
    afterBroadcast: deps.afterBroadcast,
  });
  // What a crashed run broadcast is finished first (same bytes re-broadcast, then its receipt).
  await sender.recover();
  const sent = await journaledSlot(deps.journal, chain, key);
  const at = () => now().toISOString();
  if (sent) return minedOutcome(sent, attempts, at());
  if (!inForce(operation, await deps.store.control())) return { status: 'superseded', attempts, at: at() };
  const wanted = operation.kind === 'pause';
  if ((await target.paused()) === wanted) return { status: 'done', alreadyInState: true, blockNumber: await chain.blockNumber(), attempts, at: at() };
  const call = { kind: 'token', method: operation.kind, args: [] } as const;
  const gas = await chain.estimateGas(call);
  const [settled] = await sender.send([{ call, gasLimit: (gas * 13n) / 10n, intentKeys: [key] }]);
  if (!settled || settled.status !== 'mined') {
    // Reverted (someone else paused first) or its nonce used otherwise: the retry reads the state again.
    throw new TransientError(`the ${operation.kind} transaction on chain ${chain.chainId} ended ${settled?.status ?? 'unsent'}`);
  }
  return minedOutcome(settled, attempts, at());
}

/** This operation's mined transaction on the chain, if a run (maybe a crashed one) sent it. */
async function journaledSlot(journal: AllowlistJournal, chain: TokenChain['chain'], key: string): Promise<SettledSlot | undefined> {
  const address = (await chain.signerAddress()).toLowerCase();
  const mined = await chain.transactionCount(address, 'latest');
  const slots = await journal.slotsFrom(`${chain.chainId}:${address}`, Math.max(0, mined - LOOKBACK));
  return slots.find((slot): slot is SettledSlot => slot.status === 'mined' && slot.intentKeys.includes(key));
}

function minedOutcome(slot: SettledSlot, attempts: number, at: string): ChainOutcome {
  const receipt = slot.receipt!;
  return { status: 'done', transactionHash: receipt.hash, blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed, attempts, at };
}
