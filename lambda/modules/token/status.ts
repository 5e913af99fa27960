import type { ChainOutcome, TokenControl, TokenOperation } from './operation';
import type { TokenOperationStore, TokenReader } from './ports';

export interface ChainStatus {
  readonly chainId: number;
  readonly name: string;
  /** The token's `paused()` as the chain answers now; null when the chain does not answer. */
  readonly paused: boolean | null;
  readonly error?: string;
  /** The operation in force (the pause while paused, else the last unpause) on this chain. */
  readonly operation?: { readonly operationId: string; readonly kind: string } & Partial<ChainOutcome>;
}

export interface TokenStatus {
  /** The wanted state: true from the pause request until an unpause is approved; adds and unfreezes wait meanwhile. */
  readonly paused: boolean;
  readonly pipelineHeld: boolean;
  readonly pauseOperation?: TokenOperation;
  readonly unpauseProposal?: TokenOperation;
  readonly lastUnpause?: TokenOperation;
  readonly chains: readonly ChainStatus[];
}

/**
 * The token's state per chain: read from each chain (never inferred: a chain whose pause has not
 * been mined shows `paused: false`, one that does not answer `paused: null`) beside the operation
 * in force and its transaction there.
 */
export async function tokenStatus(deps: { store: TokenOperationStore; readers: readonly TokenReader[] }): Promise<TokenStatus> {
  const control: TokenControl = await deps.store.control();
  const read = (id?: string) => (id ? deps.store.operation(id) : Promise.resolve(undefined));
  const [pauseOperation, unpauseProposal, lastUnpause] = await Promise.all([
    read(control.pauseOperationId),
    read(control.unpauseProposalId),
    read(control.unpauseOperationId),
  ]);
  const inForce = control.paused ? pauseOperation : lastUnpause;
  const chains = await Promise.all(
    deps.readers.map(async (reader): Promise<ChainStatus> => {
      const operation = inForce ? { operationId: inForce.operationId, kind: inForce.kind, ...inForce.chains[String(reader.chainId)] } : undefined;
      try {
        return { chainId: reader.chainId, name: reader.name, paused: await reader.paused(), ...(operation ? { operation } : {}) };
      } catch {
        return { chainId: reader.chainId, name: reader.name, paused: null, error: 'unavailable', ...(operation ? { operation } : {}) };
      }
    }),
  );
  return {
    paused: control.paused,
    pipelineHeld: control.paused,
    ...(pauseOperation && control.paused ? { pauseOperation } : {}),
    ...(unpauseProposal ? { unpauseProposal } : {}),
    ...(lastUnpause && !control.paused ? { lastUnpause } : {}),
    chains,
  };
}
