import { headerHash } from './checkpoint';
import type { CheckpointBody } from './checkpoint-body';
import type { Break } from './report';

/** A checkpoint body as the checkpoint bucket holds it. */
export interface StoredCheckpoint {
  readonly key: string;
  readonly body: CheckpointBody;
  readonly headerHash: string;
}

export interface SignedChain {
  /** The bodies the newest body's `previous` links lead to, down to #1, oldest first; one per number the bucket holds. */
  readonly chain: readonly StoredCheckpoint[];
  /**
   * Bodies the links do not lead to. A lost race (or a run that stopped before recording its
   * checkpoint) leaves one that links to the chain and that nothing links to; anything else is a fork.
   */
  readonly offChain: readonly (StoredCheckpoint & { readonly lostRace: boolean })[];
  readonly breaks: readonly Break[];
}

/** Whether an object of the checkpoint bucket has the shape of a checkpoint body (its signature is checked apart). */
export function isCheckpointBody(value: unknown): value is CheckpointBody {
  const body = value as Partial<CheckpointBody> | null;
  const header = body?.header;
  const previous = header?.previous;
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof body.signature === 'string' &&
    typeof header === 'object' &&
    header !== null &&
    Number.isSafeInteger(header.number) &&
    header.number >= 1 &&
    typeof header.cutoff === 'string' &&
    typeof header.root === 'string' &&
    (previous === null || (typeof previous === 'object' && Number.isSafeInteger(previous?.number) && typeof previous?.headerHash === 'string')) &&
    Array.isArray(body.ranges) &&
    body.ranges.every(
      (range) =>
        typeof range?.stream === 'string' &&
        Number.isSafeInteger(range.from) &&
        range.from >= 1 &&
        Array.isArray(range.hashes) &&
        range.hashes.length > 0 &&
        range.hashes.every((hash: unknown) => typeof hash === 'string'),
    )
  );
}

export function storedCheckpoint(key: string, body: CheckpointBody): StoredCheckpoint {
  return { key, body, headerHash: headerHash(body.header) };
}

/**
 * The checkpoint chain as the write-once bucket holds it. Each header names the previous one by
 * number and header hash under its signature, so following the links from the newest body down to
 * #1 proves that no checkpoint in between is missing; where the links stop short, the numbers that
 * are missing are reported and the walk carries on from the newest body below them. Where one number
 * has several bodies, the one the table names is taken first.
 */
export function signedChain(stored: readonly StoredCheckpoint[], namedByTable: ReadonlySet<string>): SignedChain {
  const byNumber = new Map<number, StoredCheckpoint[]>();
  for (const checkpoint of stored) byNumber.set(checkpoint.body.header.number, [...(byNumber.get(checkpoint.body.header.number) ?? []), checkpoint]);
  for (const candidates of byNumber.values()) candidates.sort(preferring(namedByTable));
  const byHash = new Map<string, StoredCheckpoint>();
  for (const candidates of byNumber.values())
    for (const checkpoint of candidates) if (!byHash.has(checkpoint.headerHash)) byHash.set(checkpoint.headerHash, checkpoint);
  const numbers = [...byNumber.keys()].sort((a, b) => b - a);
  if (numbers.length === 0) return { chain: [], offChain: [], breaks: [] };

  const chain: StoredCheckpoint[] = [];
  const breaks: Break[] = [];
  let current = byNumber.get(numbers[0]!)![0]!;
  for (;;) {
    chain.push(current);
    const { number, previous } = current.body.header;
    if (previous === null && number === 1) break;
    const linked = previous?.number === number - 1 ? byHash.get(previous.headerHash) : undefined;
    if (linked?.body.header.number === number - 1) {
      current = linked;
      continue;
    }
    const below = numbers.find((candidate) => candidate < number);
    breaks.push(...linkBreaks(current, below, byNumber.has(number - 1)));
    if (below === undefined) break;
    current = byNumber.get(below)![0]!;
  }
  chain.reverse();
  return { chain, offChain: offChain(stored, chain), breaks };
}

const preferring = (namedByTable: ReadonlySet<string>) => (a: StoredCheckpoint, b: StoredCheckpoint) =>
  Number(namedByTable.has(b.key)) - Number(namedByTable.has(a.key)) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Why the links stop at `checkpoint`: numbers missing below it, or a link that names no body the bucket holds. */
function linkBreaks(checkpoint: StoredCheckpoint, below: number | undefined, holdsPrevious: boolean): Break[] {
  const { number, previous } = checkpoint.body.header;
  const breaks: Break[] = [];
  const gapFrom = (below ?? 0) + 1;
  if (gapFrom < number) {
    breaks.push({
      kind: 'checkpoint_number_gap',
      checkpoint: gapFrom,
      toCheckpoint: number - 1,
      message: `checkpoint${gapFrom === number - 1 ? ` ${gapFrom} is` : `s ${gapFrom}..${number - 1} are`} not in the checkpoint bucket, but signed checkpoint ${number} follows ${gapFrom === number - 1 ? 'it' : 'them'}`,
    });
  }
  if (previous === null || previous.number !== number - 1) {
    breaks.push({
      kind: 'checkpoint_chain_broken',
      checkpoint: number,
      bodyKey: checkpoint.key,
      message: `checkpoint ${number} in the checkpoint bucket links to ${previous === null ? 'no previous checkpoint' : `checkpoint ${previous.number}`}, not to checkpoint ${number - 1}`,
    });
  } else if (holdsPrevious) {
    breaks.push({
      kind: 'checkpoint_chain_broken',
      checkpoint: number,
      bodyKey: checkpoint.key,
      message: `checkpoint ${number} in the checkpoint bucket links to a checkpoint ${number - 1} that the bucket does not hold (it holds another checkpoint ${number - 1})`,
    });
  }
  return breaks;
}

function offChain(stored: readonly StoredCheckpoint[], chain: readonly StoredCheckpoint[]): SignedChain['offChain'] {
  const onChain = new Map(chain.map((checkpoint) => [checkpoint.body.header.number, checkpoint]));
  const linkedTo = new Set(stored.flatMap((checkpoint) => (checkpoint.body.header.previous ? [checkpoint.body.header.previous.headerHash] : [])));
  return stored
    .filter((checkpoint) => onChain.get(checkpoint.body.header.number)?.headerHash !== checkpoint.headerHash)
    .map((checkpoint) => {
      const { number, previous } = checkpoint.body.header;
      const linksToChain =
        previous === null ? number === 1 : previous.number === number - 1 && onChain.get(previous.number)?.headerHash === previous.headerHash;
      return { ...checkpoint, lostRace: linksToChain && !linkedTo.has(checkpoint.headerHash) };
    });
}
