import { AbiCoder, ContractFactory, JsonRpcProvider, NonceManager, Wallet, keccak256, type BaseContract, type InterfaceAbi } from 'ethers';
import { contracts as onchainId } from '@onchain-id/solidity';
import { contracts as trex } from '@tokenysolutions/t-rex';
import type { ChainConfigInput } from '../../lambda/config/chains';

/**
 * Hardhat's well-known development accounts (mnemonic "test test ... junk"). Public keys with no
 * value anywhere but a local chain; printed by `npm start` as dev credentials.
 */
export const DEV_ACCOUNTS = {
  /** Deploys the contracts and owns them, as the fund's issuer would. */
  issuer: '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  /** The allowlist worker's key: agent on the identity registry and the token, owner of the identity factory. */
  allowlistAgent: '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  /** Signs the investors' KYC claims: a CLAIM key (purpose 3) of our ClaimIssuer. It never sends a transaction. */
  claimSigner: '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
  /** The token worker's key: agent on the token only (pause, unpause), with nonces of its own. */
  tokenAgent: '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
} as const;

/** The ERC-735 topic of our KYC claim, required by the token's ClaimTopicsRegistry. */
export const KYC_CLAIM_TOPIC = 1;

interface Artifact {
  readonly abi: InterfaceAbi;
  readonly bytecode: string;
}

export interface DeployedSuite extends ChainConfigInput {
  readonly rpcUrl: string;
  readonly claimTopicsRegistry: string;
  readonly trustedIssuersRegistry: string;
  readonly identityRegistryStorage: string;
  readonly compliance: string;
  readonly agent: string;
  /** Our ONCHAINID ClaimIssuer, trusted for the KYC topic; absent when deployed with `claims: false`. */
  readonly claimIssuer?: string;
  readonly kycClaimTopic: number;
}

/**
 * Deploys an ERC-3643 (T-REX v4) suite and an ONCHAINID factory from the published npm artifacts:
 * IdentityRegistry with its storage, claim-topics and trusted-issuers registries, a modular
 * compliance and a token. Our ClaimIssuer is trusted for the KYC topic, which the token requires,
 * so a registered wallet is verified only while its identity holds our valid claim (deployKycClaims);
 * `claims: false` deploys without: then no topic is required and a registered wallet is verified.
 */
export async function deployTrexSuite(options: {
  rpcUrl: string;
  chainId: number;
  name: string;
  tokenName?: string;
  tokenSymbol?: string;
  claims?: boolean;
}): Promise<DeployedSuite> {
  const provider = new JsonRpcProvider(options.rpcUrl, options.chainId, { staticNetwork: true, pollingInterval: 50 });
  const issuer = new NonceManager(new Wallet(DEV_ACCOUNTS.issuer, provider));
  const agent = new Wallet(DEV_ACCOUNTS.allowlistAgent).address;

  const deploy = async (artifact: Artifact, ...args: unknown[]) => {
    const contract = await new ContractFactory(artifact.abi, artifact.bytecode, issuer).deploy(...args);
    await contract.waitForDeployment();
    return contract;
  };
  const send = async (contract: BaseContract, method: string, ...args: unknown[]) => {
    const tx = await contract.getFunction(method)(...args);
    await tx.wait();
  };

  const [claimTopics, trustedIssuers, storage, compliance] = await Promise.all([
    deploy(trex.ClaimTopicsRegistry),
    deploy(trex.TrustedIssuersRegistry),
    deploy(trex.IdentityRegistryStorage),
    deploy(trex.ModularCompliance),
  ]);
  for (const contract of [claimTopics, trustedIssuers, storage, compliance]) await send(contract, 'init');

  const registry = await deploy(trex.IdentityRegistry);
  await send(registry, 'init', await trustedIssuers.getAddress(), await claimTopics.getAddress(), await storage.getAddress());
  await send(storage, 'bindIdentityRegistry', await registry.getAddress());
  await send(registry, 'addAgent', agent);

  const token = await deploy(trex.Token);
  await send(
    token,
    'init',
    await registry.getAddress(),
    await compliance.getAddress(),
    options.tokenName ?? 'Treasury Fund Token',
    options.tokenSymbol ?? 'TFT',
    6,
    '0x0000000000000000000000000000000000000000',
  );
  await send(token, 'addAgent', await issuer.getAddress());
  await send(token, 'addAgent', agent);
  await send(token, 'addAgent', new Wallet(DEV_ACCOUNTS.tokenAgent).address);
  await send(token, 'unpause');

  const identityImplementation = await deploy(onchainId.Identity as Artifact, await issuer.getAddress(), true);
  const authority = await deploy(onchainId.ImplementationAuthority as Artifact, await identityImplementation.getAddress());
  const factory = await deploy(onchainId.Factory as Artifact, await authority.getAddress());
  await send(factory, 'transferOwnership', agent);
  const claimIssuer = options.claims === false ? undefined : await deployKycClaims({ deploy, send, issuer, agent, claimTopics, trustedIssuers });

  provider.destroy();
  return {
    chainId: options.chainId,
    name: options.name,
    rpcUrl: options.rpcUrl,
    identityRegistry: (await registry.getAddress()).toLowerCase(),
    identityFactory: (await factory.getAddress()).toLowerCase(),
    token: (await token.getAddress()).toLowerCase(),
    confirmations: 1,
    claimTopicsRegistry: await claimTopics.getAddress(),
    trustedIssuersRegistry: await trustedIssuers.getAddress(),
    identityRegistryStorage: await storage.getAddress(),
    compliance: await compliance.getAddress(),
    agent,
    claimIssuer: claimIssuer?.toLowerCase(),
    kycClaimTopic: KYC_CLAIM_TOPIC,
  };
}

/**
 * Our KYC claims on one chain, as on a real one (README, "Deploying"): a ClaimIssuer owned by the
 * fund's issuer key, the allowlist agent a management key of it (it sends the revocations, through
 * the worker's journal), the claim signer a CLAIM key (it signs claims, never sends); the issuer
 * trusted for the KYC topic, and the topic required. Returns the ClaimIssuer's address.
 */
async function deployKycClaims(context: {
  deploy: (artifact: Artifact, ...args: unknown[]) => Promise<BaseContract>;
  send: (contract: BaseContract, method: string, ...args: unknown[]) => Promise<void>;
  issuer: NonceManager;
  agent: string;
  claimTopics: BaseContract;
  trustedIssuers: BaseContract;
}): Promise<string> {
  const { deploy, send, issuer, agent, claimTopics, trustedIssuers } = context;
  const keyOf = (address: string) => keccak256(AbiCoder.defaultAbiCoder().encode(['address'], [address]));
  const claimIssuer = await deploy(onchainId.ClaimIssuer as Artifact, await issuer.getAddress());
  await send(claimIssuer, 'addKey', keyOf(agent), 1, 1);
  await send(claimIssuer, 'addKey', keyOf(new Wallet(DEV_ACCOUNTS.claimSigner).address), 3, 1);
  const address = await claimIssuer.getAddress();
  await send(trustedIssuers, 'addTrustedIssuer', address, [KYC_CLAIM_TOPIC]);
  await send(claimTopics, 'addClaimTopic', KYC_CLAIM_TOPIC);
  return address;
}
