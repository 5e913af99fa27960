import { z } from 'zod';

export const TOKEN_OPERATION_KINDS = ['pause', 'unpause'] as const;
export type TokenOperationKind = (typeof TOKEN_OPERATION_KINDS)[number];

/** `proposed` waits for a second person (unpause); `approved` is executed on every chain. A pause is approved when requested. */
export type TokenOperationStatus = 'proposed' | 'approved' | 'superseded';

/** What became of an operation on one chain. Only `done` means the token is in the operation's state there. */
export interface ChainOutcome {
  /** `failed`: the last attempt failed and the operation is retried; `superseded`: a later operation made it moot before it ran. */
  readonly status: 'done' | 'failed' | 'superseded';
  readonly transactionHash?: string;
  readonly blockNumber?: number;
  readonly gasUsed?: string;
  /** The token was already in the wanted state: nothing was sent. */
  readonly alreadyInState?: boolean;
  readonly attempts: number;
  readonly lastError?: string;
  readonly at: string;
}

export interface TokenOperation {
  readonly operationId: string;
  readonly kind: TokenOperationKind;
  readonly status: TokenOperationStatus;
  readonly reason: string;
  /** `<role>:<subject>` of who asked, for the audit trail. */
  readonly requestedBy: string;
  /** Whom four-eyes compares with the approver. */
  readonly requestedBySubject: string;
  readonly requestedAt: string;
  readonly approvedBy?: string;
  readonly approvedBySubject?: string;
  readonly approvedAt?: string;
  /** By chain id (as a string key). */
  readonly chains: Readonly<Record<string, ChainOutcome>>;
  readonly version: number;
}

/**
 * The token's wanted state, the one item every pause and unpause moves (conditionally, by version).
 * `paused` is also the pipeline hold: while it is true, allowlist adds and unfreezes wait.
 */
export interface TokenControl {
  readonly paused: boolean;
  /** The pause in force (while paused). */
  readonly pauseOperationId?: string;
  /** An unpause awaiting its second person. */
  readonly unpauseProposalId?: string;
  /** The last approved unpause (while not paused). */
  readonly unpauseOperationId?: string;
  readonly version: number;
  readonly updatedAt?: string;
}

export const INITIAL_CONTROL: TokenControl = { paused: false, version: 0 };

const reason = z.string().trim().min(3, 'must say why, in at least 3 characters').max(500);

/** `POST /token/pause` and `POST /token/unpause`. */
export const tokenRequestSchema = z.object({ reason }).strict();
export type TokenRequest = z.output<typeof tokenRequestSchema>;

/** Who acts: the token's subject (four-eyes compares it) and `<role>:<subject>` for records. */
export interface TokenActor {
  readonly subject: string;
  readonly actor: string;
}
