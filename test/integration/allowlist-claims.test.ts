import { AbiCoder, Contract, ContractFactory, NonceManager, Wallet, keccak256, type InterfaceAbi } from 'ethers';
import { contracts as onchainId } from '@onchain-id/solidity';
import { DEV_ACCOUNTS, type DeployedSuite } from '../../bin/local/chain-deploy';
import { IDENTITY_REGISTRY_ABI } from '../../lambda/modules/allowlist/adapters';
import { CLAIM_ISSUER_ABI, IDENTITY_FACTORY_ABI, INVESTOR_IDENTITY_ABI } from '../../lambda/modules/allowlist/adapters/abi';
import { investorKeyAddress } from '../../lambda/modules/allowlist/adapters/evm-claims';
import { flushRegistry } from '../../lambda/modules/allowlist/flush';
import type { TransactionSlot } from '../../lambda/modules/allowlist';
import { DynamoInvestorRepository } from '../../lambda/modules/investors/adapters';
import { documentClient } from '../../lambda/platform/aws/dynamo';
import { TABLES } from '../../lambda/config/system';
import { changeGroupId, type AllowlistChange } from '../../lambda/shared';
import { compose as composeWorker, type AllowlistWorkerOptions } from '../../lambda/functions/allowlist-worker/root';
import { allowlistEnv, change, eligibleInvestors, enqueue, eventually, journal, onChain, startWorker } from '../helpers/allowlist';
import { deployedSuite } from '../helpers/local-env';

jest.setTimeout(120_000);

const suite = deployedSuite() as DeployedSuite & { rpcUrl: string };
const chain = onChain(suite);
const agentAddress = new Wallet(DEV_ACCOUNTS.allowlistAgent).address.toLowerCase();
const registry = new Contract(suite.identityRegistry, [...IDENTITY_REGISTRY_ABI, ...INVESTOR_IDENTITY_ABI.registry], chain.provider);
const factory = new Contract(suite.identityFactory, IDENTITY_FACTORY_ABI, chain.provider);
const claimIssuer = new Contract(suite.claimIssuer!, CLAIM_ISSUER_ABI, chain.provider);

const createWorker = (env: NodeJS.ProcessEnv, options: AllowlistWorkerOptions = {}) => composeWorker(env, options).worker();
const identityOf = async (investorId: string) => ((await factory.getFunction('getIdentity')(investorKeyAddress(investorId))) as string).toLowerCase();
const registeredTo = async (wallet: string) => ((await registry.getFunction('identity')(wallet)) as string).toLowerCase();
const slots = (env: Record<string, string>): Promise<TransactionSlot[]> => journal(env).slotsFrom(`${suite.chainId}:${agentAddress}`, 0);

function pendingIntents(env: Record<string, string>) {
  let sequence = 0;
  return async (...changes: AllowlistChange[]) => {
    for (const pending of changes) {
      const key = `${Date.now()}`.padStart(16, '0') + String(++sequence).padStart(6, '0');
      await journal(env).recordIntent({
        group: changeGroupId(suite),
        key,
        change: pending,
        messageId: `m-${key}`,
        receivedAt: new Date().toISOString(),
        attempts: 0,
      });
    }
  };
}

async function flushOnce(env: Record<string, string>, options: AllowlistWorkerOptions = {}) {
  const worker = await createWorker(env, options);
  try {
    return await flushRegistry(worker.registry(suite)!, { deadline: Date.now() + 60_000 });
  } finally {
    for (const one of worker.chains) one.destroy();
  }
}

describe('one ONCHAINID per investor with our KYC claim, on a Hardhat chain with the T-REX and ONCHAINID contracts', () => {
  it('the local deployment requires the KYC topic from our ClaimIssuer, whose claim key is the claim signer and whose management key is the agent', async () => {
    const keyOf = (address: string) => keccak256(AbiCoder.defaultAbiCoder().encode(['address'], [address]));
    expect(await claimIssuer.getFunction('keyHasPurpose')(keyOf(new Wallet(DEV_ACCOUNTS.claimSigner).address), 3)).toBe(true);
    expect(await claimIssuer.getFunction('keyHasPurpose')(keyOf(agentAddress), 1)).toBe(true);
    const topics = new Contract(suite.claimTopicsRegistry, ['function getClaimTopics() view returns (uint256[])'], chain.provider);
    expect((await topics.getFunction('getClaimTopics')()) as bigint[]).toEqual([1n]);
    const trusted = new Contract(suite.trustedIssuersRegistry, ['function hasClaimTopic(address, uint256) view returns (bool)'], chain.provider);
    expect(await trusted.getFunction('hasClaimTopic')(suite.claimIssuer, 1)).toBe(true);
  });

  it('a wallet registered to an identity without our claim is not verified; the worker gives the identity its claim and it is', async () => {
    const env = await allowlistEnv([suite]);
    const [investor] = await eligibleInvestors(env, 1);
    const wallet = investor!.wallets[0]!;
    // An agent registers the wallet by hand, to an identity of its own that holds no claim.
    const agent = new NonceManager(new Wallet(DEV_ACCOUNTS.allowlistAgent, chain.provider));
    const artifact = onchainId.Identity as { abi: InterfaceAbi; bytecode: string };
    const bare = await new ContractFactory(artifact.abi, artifact.bytecode, agent).deploy(agentAddress, false);
    await bare.waitForDeployment();
    await (await (registry.connect(agent) as Contract).getFunction('registerIdentity')(wallet, await bare.getAddress(), 840)).wait();
    expect(await chain.contains(wallet)).toBe(true);
    expect(await chain.verified(wallet)).toBe(false);

    await pendingIntents(env)(change(suite, 'add', wallet, investor!.investorId, 3));
    expect(await flushOnce(env)).toMatchObject({ applied: 1, deadLettered: 0, remaining: 0 });

    expect((await slots(env)).map((slot) => slot.call.kind)).toEqual(['createInvestorIdentity', 'addClaim', 'updateIdentity']);
    expect(await registeredTo(wallet)).toBe(await identityOf(investor!.investorId));
    expect(await chain.verified(wallet)).toBe(true);
  });

  it("registers an investor's five wallets to one identity with one claim; one revocation unverifies all five; the removals clean up", async () => {
    const env = await allowlistEnv([suite]);
    const [investor] = await eligibleInvestors(env, 1, 5);
    const { investorId, wallets } = investor!;
    const worker = await startWorker(env);
    try {
      await enqueue(
        env,
        wallets.map((wallet) => change(suite, 'add', wallet, investorId, 3)),
      );
      await eventually(async () => (await Promise.all(wallets.map(chain.verified))).every(Boolean));
      const identity = await identityOf(investorId);
      expect(await Promise.all(wallets.map(registeredTo))).toEqual(wallets.map(() => identity));
      expect((await slots(env)).map((slot) => slot.call.kind)).toEqual(['createInvestorIdentity', 'addClaim', 'register']);

      // Explicit revokes (one per wallet, as queued) fold into one transaction: the wallets stay registered, none is verified.
      await enqueue(
        env,
        wallets.map((wallet) => change(suite, 'revoke', wallet, investorId, 4)),
      );
      await eventually(async () => (await Promise.all(wallets.map(chain.verified))).every((verified) => !verified));
      await eventually(async () => (await journal(env).pendingSummary(changeGroupId(suite), 10)).count === 0);
      const afterRevoke = await slots(env);
      expect(afterRevoke.map((slot) => slot.call.kind)).toEqual(['createInvestorIdentity', 'addClaim', 'register', 'revokeClaim']);
      expect((await Promise.all(wallets.map(chain.contains))).every(Boolean)).toBe(true);

      // Offboarded: the removals follow as clean-up (the claim is revoked already, so no second revocation).
      const repository = new DynamoInvestorRepository(documentClient(), env[TABLES.investors.envVar]!);
      const current = (await repository.get(investorId))!;
      await repository.save({ ...current, status: 'offboarded', version: current.version + 1, updatedAt: new Date().toISOString() });
      await enqueue(
        env,
        wallets.map((wallet) => change(suite, 'remove', wallet, investorId, 6)),
      );
      await eventually(async () => (await Promise.all(wallets.map(chain.contains))).every((contained) => !contained));
      expect((await slots(env)).filter((slot) => slot.call.kind === 'revokeClaim')).toHaveLength(1);
    } finally {
      await worker.stop();
    }
  });

  it("an offboarded investor's removals revoke the claim first, in one transaction, before the removals", async () => {
    const env = await allowlistEnv([suite]);
    const [investor] = await eligibleInvestors(env, 1, 3);
    const { investorId, wallets } = investor!;
    await pendingIntents(env)(...wallets.map((wallet) => change(suite, 'add', wallet, investorId, 3)));
    await flushOnce(env);
    const repository = new DynamoInvestorRepository(documentClient(), env[TABLES.investors.envVar]!);
    const current = (await repository.get(investorId))!;
    await repository.save({ ...current, status: 'offboarded', version: current.version + 1, updatedAt: new Date().toISOString() });
    await pendingIntents(env)(...wallets.map((wallet) => change(suite, 'remove', wallet, investorId, current.version + 1)));

    expect(await flushOnce(env)).toMatchObject({ applied: 3, remaining: 0 });

    const kinds = (await slots(env)).map((slot) => slot.call.kind);
    expect(kinds.slice(3)).toEqual(['revokeClaim', 'delete', 'delete', 'delete']);
    const identity = await identityOf(investorId);
    const stored = (await new Contract(identity, (onchainId.Identity as { abi: InterfaceAbi }).abi, chain.provider).getFunction('getClaimIdsByTopic')(
      1,
    )) as string[];
    expect(stored).toHaveLength(1);
  });

  it('a crash after the identity creation was broadcast, a retry and a second worker with a journal of its own create one identity', async () => {
    const env = await allowlistEnv([suite]);
    const [investor] = await eligibleInvestors(env, 1, 2);
    const { investorId, wallets } = investor!;
    await pendingIntents(env)(change(suite, 'add', wallets[0]!, investorId, 3));
    let crashed = false;
    await expect(
      flushOnce(env, {
        afterBroadcast: async (slot) => {
          if (slot.call.kind === 'createInvestorIdentity' && !crashed) {
            crashed = true;
            throw new Error('the worker died right after broadcasting');
          }
        },
      }),
    ).rejects.toThrow('died');
    const identity = await eventually(async () => {
      const found = await identityOf(investorId);
      return /^0x0+$/.test(found) ? undefined : found;
    });

    expect(await flushOnce(env)).toMatchObject({ applied: 1, remaining: 0 });
    // Another worker that knows nothing of the first one's journal (fresh tables) and the investor's second wallet.
    const other = await allowlistEnv([suite]);
    await new DynamoInvestorRepository(documentClient(), other[TABLES.investors.envVar]!).create({ ...investor!, version: 3 });
    await pendingIntents(other)(change(suite, 'add', wallets[1]!, investorId, 3));
    expect(await flushOnce(other)).toMatchObject({ applied: 1, deadLettered: 0, remaining: 0 });

    expect((await slots(env)).filter((slot) => slot.call.kind === 'createInvestorIdentity')).toHaveLength(1);
    expect((await slots(other)).filter((slot) => slot.call.kind === 'createInvestorIdentity')).toHaveLength(0);
    expect(await Promise.all(wallets.map(registeredTo))).toEqual([identity, identity]);
    expect((await Promise.all(wallets.map(chain.verified))).every(Boolean)).toBe(true);
  });
});
