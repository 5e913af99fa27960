import { ulid } from 'ulid';
import { TransientError, ValidationError, fieldIssuesFrom } from '../../shared';
import type { AuditLog } from '../audit';
import { OperationNotFoundError, SelfApprovalError, TokenStateConflictError } from './errors';
import { tokenRequestSchema, type TokenActor, type TokenControl, type TokenOperation } from './operation';
import type { TokenOperationRequests, TokenOperationStore } from './ports';

/** The audit stream of the token's controls: requests, proposals, approvals and every transaction. */
export const TOKEN_STREAM = 'token';

export interface EmergencyDeps {
  readonly store: TokenOperationStore;
  readonly audit: AuditLog;
  readonly requests: TokenOperationRequests;
  /** Every configured chain: a pause or unpause goes to all of them. */
  readonly chainIds: readonly number[];
  readonly now?: () => Date;
  readonly newId?: () => string;
}

/** Lost races on the control item before giving up with a 503 (the request may be retried). */
const MAX_RACES = 5;

function parseRequest(input: unknown) {
  const parsed = tokenRequestSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldIssuesFrom(parsed.error.issues));
  return parsed.data;
}

const nowOf = (deps: EmergencyDeps) => (deps.now ?? (() => new Date()))().toISOString();

/** Chains the operation has not finished on: what a retry re-queues. */
function unfinished(deps: EmergencyDeps, operation: TokenOperation): number[] {
  return deps.chainIds.filter((chainId) => {
    const outcome = operation.chains[String(chainId)];
    return outcome?.status !== 'done' && outcome?.status !== 'superseded';
  });
}

/**
 * Pauses the token on every configured chain: one person, at once (an incident cannot wait for a
 * second). The control item turns paused (which also holds the allowlist's adds and unfreezes),
 * the request is recorded, and one execution per chain is queued. Asking again while paused
 * returns the pause in force and re-queues the chains it has not finished on, so a retried
 * request neither pauses twice nor leaves a chain behind.
 */
export async function requestPause(deps: EmergencyDeps, input: unknown, caller: TokenActor): Promise<{ operation: TokenOperation; alreadyPaused: boolean }> {
  const { reason } = parseRequest(input);
  for (let race = 0; race < MAX_RACES; race++) {
    const control = await deps.store.control();
    if (control.paused && control.pauseOperationId) {
      const operation = await deps.store.operation(control.pauseOperationId);
      if (!operation) throw new TransientError('the pause in force is not readable yet; retry');
      await recordRequested(deps, operation);
      await deps.requests.execute(operation.operationId, unfinished(deps, operation));
      return { operation, alreadyPaused: true };
    }
    const at = nowOf(deps);
    const operation: TokenOperation = {
      operationId: (deps.newId ?? ulid)(),
      kind: 'pause',
      status: 'approved',
      reason,
      requestedBy: caller.actor,
      requestedBySubject: caller.subject,
      requestedAt: at,
      chains: {},
      version: 1,
    };
    await deps.store.createOperation(operation);
    const next: TokenControl = { paused: true, pauseOperationId: operation.operationId, version: control.version + 1, updatedAt: at };
    if (!(await deps.store.saveControl(next, control.version))) {
      // Another request won: its pause is the one in force, this one is never executed.
      await deps.store.saveOperation({ ...operation, status: 'superseded', version: 2 }, 1);
      continue;
    }
    await recordRequested(deps, operation);
    await deps.requests.execute(operation.operationId, deps.chainIds);
    return { operation, alreadyPaused: false };
  }
  throw new TransientError('the token control is contended; retry');
}

function recordRequested(deps: EmergencyDeps, operation: TokenOperation) {
  return deps.audit.append({
    stream: TOKEN_STREAM,
    type: 'token.pause.requested',
    actor: operation.requestedBy,
    data: { operationId: operation.operationId, reason: operation.reason, chains: deps.chainIds },
    idempotencyKey: `token-op#${operation.operationId}:requested`,
  });
}

/** Proposes to unpause (an officer or a responder); a different person must approve it. One proposal at a time. */
export async function proposeUnpause(deps: EmergencyDeps, input: unknown, caller: TokenActor): Promise<TokenOperation> {
  const { reason } = parseRequest(input);
  const control = await deps.store.control();
  if (!control.paused) throw new TokenStateConflictError('the token is not paused: there is nothing to unpause');
  if (control.unpauseProposalId) {
    throw new TokenStateConflictError(`an unpause is already proposed and awaits approval: operation ${control.unpauseProposalId}`);
  }
  const at = nowOf(deps);
  const operation: TokenOperation = {
    operationId: (deps.newId ?? ulid)(),
    kind: 'unpause',
    status: 'proposed',
    reason,
    requestedBy: caller.actor,
    requestedBySubject: caller.subject,
    requestedAt: at,
    chains: {},
    version: 1,
  };
  await deps.store.createOperation(operation);
  if (!(await deps.store.saveControl({ ...control, unpauseProposalId: operation.operationId, version: control.version + 1, updatedAt: at }, control.version))) {
    await deps.store.saveOperation({ ...operation, status: 'superseded', version: 2 }, 1);
    throw new TokenStateConflictError('the token control changed meanwhile; read the status and try again');
  }
  await deps.audit.append({
    stream: TOKEN_STREAM,
    type: 'token.unpause.proposed',
    actor: caller.actor,
    data: { operationId: operation.operationId, reason, pauseOperationId: control.pauseOperationId },
    idempotencyKey: `token-op#${operation.operationId}:proposed`,
  });
  return operation;
}

/**
 * Approves a proposed unpause: four-eyes (the proposer gets 403). The control item turns
 * unpaused (which lifts the pipeline hold), the approval is recorded and the unpause is queued on
 * every chain. The same approver asking again finishes what a crash left undone.
 */
export async function approveOperation(deps: EmergencyDeps, operationId: string, caller: TokenActor): Promise<TokenOperation> {
  const operation = await deps.store.operation(operationId);
  if (!operation || operation.status === 'superseded') throw new OperationNotFoundError();
  if (operation.kind !== 'unpause') throw new TokenStateConflictError('only an unpause needs approval: a pause takes effect when requested');
  if (operation.status === 'approved') {
    if (operation.approvedBySubject !== caller.subject) throw new TokenStateConflictError('this unpause is approved already');
    return finishApproval(deps, operation);
  }
  if (operation.requestedBySubject === caller.subject) throw new SelfApprovalError();
  const control = await deps.store.control();
  if (control.unpauseProposalId !== operationId) throw new TokenStateConflictError('this proposal is no longer the current one');
  const approved: TokenOperation = {
    ...operation,
    status: 'approved',
    approvedBy: caller.actor,
    approvedBySubject: caller.subject,
    approvedAt: nowOf(deps),
    version: operation.version + 1,
  };
  if (!(await deps.store.saveOperation(approved, operation.version))) throw new TokenStateConflictError('this unpause was approved concurrently');
  return finishApproval(deps, approved);
}

async function finishApproval(deps: EmergencyDeps, operation: TokenOperation): Promise<TokenOperation> {
  for (let race = 0; ; race++) {
    const control = await deps.store.control();
    if (control.unpauseProposalId !== operation.operationId) break;
    const next: TokenControl = { paused: false, unpauseOperationId: operation.operationId, version: control.version + 1, updatedAt: nowOf(deps) };
    if (await deps.store.saveControl(next, control.version)) break;
    if (race >= MAX_RACES) throw new TransientError('the token control is contended; approve again');
  }
  await deps.audit.append({
    stream: TOKEN_STREAM,
    type: 'token.unpause.approved',
    actor: operation.approvedBy!,
    data: { operationId: operation.operationId, proposedBy: operation.requestedBy, reason: operation.reason, chains: deps.chainIds },
    idempotencyKey: `token-op#${operation.operationId}:approved`,
  });
  await deps.requests.execute(operation.operationId, unfinished(deps, operation));
  return operation;
}

export async function showOperation(deps: Pick<EmergencyDeps, 'store'>, operationId: string): Promise<TokenOperation> {
  const operation = await deps.store.operation(operationId);
  if (!operation) throw new OperationNotFoundError();
  return operation;
}
