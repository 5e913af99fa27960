import { sealCheckpoint, type CheckpointBody } from '../../../lambda/modules/audit';
import { checkpointBodyKey } from '../../../lambda/modules/audit/checkpoint';
import type { CheckpointHeader } from '../../../lambda/modules/audit/checkpoint-body';
import { isCheckpointBody, signedChain, storedCheckpoint, type StoredCheckpoint } from '../../../lambda/modules/audit/signed-chain';
import { InMemoryAuditSigner } from '../../../lambda/modules/audit/fakes';
import { at } from '../../helpers/audit-fixtures';

const signer = new InMemoryAuditSigner();
const ranges = (n: number) => [{ stream: 'investor#a', from: n, prevHash: '0'.repeat(64), hashes: [n.toString(16).padStart(64, '0')] }];

/** Checkpoint `number`, linked to `previous` (or to nothing), sealed at `seconds`. */
async function checkpoint(number: number, previous: CheckpointHeader | undefined, seconds = number): Promise<StoredCheckpoint> {
  const body = await sealCheckpoint(signer, {
    number,
    cutoff: at(seconds).toISOString(),
    previous,
    ranges: ranges(number),
    createdAt: at(seconds).toISOString(),
  });
  return storedCheckpoint(checkpointBodyKey(body), body);
}

/** Checkpoints 1..n, each linked to the one before. */
async function linked(n: number): Promise<StoredCheckpoint[]> {
  const chain: StoredCheckpoint[] = [];
  for (let number = 1; number <= n; number++) chain.push(await checkpoint(number, chain.at(-1)?.body.header));
  return chain;
}

const numbers = (checkpoints: readonly StoredCheckpoint[]) => checkpoints.map((checkpoint) => checkpoint.body.header.number);
const breaksOf = (chain: ReturnType<typeof signedChain>) => chain.breaks.map((b) => [b.kind, b.checkpoint, b.toCheckpoint, b.message]);

describe('signedChain', () => {
  it('follows the links from the newest body down to #1, whatever order the bucket lists them in', async () => {
    const bodies = await linked(4);
    const chain = signedChain([...bodies].reverse(), new Set());
    expect(numbers(chain.chain)).toEqual([1, 2, 3, 4]);
    expect(chain).toMatchObject({ offChain: [], breaks: [] });
    expect(signedChain([], new Set())).toEqual({ chain: [], offChain: [], breaks: [] });
  });

  it('names the numbers missing below a body, at the bottom and in the middle, and walks on from the newest body below them', async () => {
    const bodies = await linked(6);
    const chain = signedChain([bodies[2]!, bodies[5]!], new Set());
    expect(numbers(chain.chain)).toEqual([3, 6]);
    expect(breaksOf(chain)).toEqual([
      ['checkpoint_number_gap', 4, 5, 'checkpoints 4..5 are not in the checkpoint bucket, but signed checkpoint 6 follows them'],
      ['checkpoint_number_gap', 1, 2, 'checkpoints 1..2 are not in the checkpoint bucket, but signed checkpoint 3 follows them'],
    ]);
  });

  it('reports a signed link that skips a number or names no previous checkpoint', async () => {
    const [first] = await linked(1);
    const skipping = await checkpoint(3, first!.body.header);
    const unlinked = await checkpoint(2, undefined);
    const chain = signedChain([first!, unlinked, skipping], new Set());
    expect(numbers(chain.chain)).toEqual([1, 2, 3]);
    expect(breaksOf(chain).map(([kind, number, , message]) => [kind, number, message])).toEqual([
      ['checkpoint_chain_broken', 3, 'checkpoint 3 in the checkpoint bucket links to checkpoint 1, not to checkpoint 2'],
      ['checkpoint_chain_broken', 2, 'checkpoint 2 in the checkpoint bucket links to no previous checkpoint, not to checkpoint 1'],
    ]);
    expect(chain.breaks[0]!.bodyKey).toBe(skipping.key);
  });

  it('reports a link to a body the bucket does not hold although it holds another of that number', async () => {
    const [first, second] = await linked(2);
    const otherSecond = await checkpoint(2, first!.body.header, 20);
    const third = await checkpoint(3, otherSecond.body.header);
    const chain = signedChain([first!, second!, third], new Set());
    expect(numbers(chain.chain)).toEqual([1, 2, 3]);
    expect(breaksOf(chain).map(([kind, number]) => [kind, number])).toEqual([['checkpoint_chain_broken', 3]]);
    expect(chain.breaks[0]!.message).toBe(
      'checkpoint 3 in the checkpoint bucket links to a checkpoint 2 that the bucket does not hold (it holds another checkpoint 2)',
    );
  });

  it('takes the body the table names where a number has several, and tells a lost race from a fork', async () => {
    const [first, second] = await linked(2);
    const lost = await checkpoint(2, first!.body.header, 21);
    const forkedSecond = await checkpoint(2, first!.body.header, 22);
    const forkedThird = await checkpoint(3, forkedSecond.body.header, 23);
    const third = await checkpoint(3, second!.body.header, 30);
    const chain = signedChain([forkedThird, lost, forkedSecond, first!, second!, third], new Set([third.key]));
    expect(chain.chain.map((checkpoint) => checkpoint.key)).toEqual([first!.key, second!.key, third.key]);
    expect(chain.offChain.map((checkpoint) => [checkpoint.key, checkpoint.lostRace])).toEqual([
      [forkedThird.key, false],
      [lost.key, true],
      [forkedSecond.key, false],
    ]);
    expect(chain.breaks).toEqual([]);
  });

  it('ignores a second copy of a body of the chain', async () => {
    const [first] = await linked(1);
    expect(signedChain([first!, { ...first!, key: 'checkpoints/copy.json' }], new Set()).offChain).toEqual([]);
  });
});

describe('isCheckpointBody', () => {
  it('takes a body and refuses what is not one', async () => {
    const { body } = (await linked(1))[0]!;
    expect(isCheckpointBody(body)).toBe(true);
    const broken: unknown[] = [
      null,
      'text',
      { ...body, signature: 1 },
      { ...body, header: null },
      { ...body, header: { ...body.header, number: 0 } },
      { ...body, header: { ...body.header, previous: { number: 'one' } } },
      { ...body, ranges: {} },
      { ...body, ranges: [{ ...body.ranges[0], hashes: [] }] },
      { ...body, ranges: [{ ...body.ranges[0], hashes: [7] }] },
      { ...body, ranges: [{ ...body.ranges[0], from: 0 }] },
    ];
    expect(broken.filter((value) => isCheckpointBody(value as CheckpointBody))).toEqual([]);
  });
});
