import { AbiCoder, Contract, Interface, ZeroAddress, dataSlice, getAddress, getBytes, keccak256, toUtf8Bytes, type Provider, type Signer } from 'ethers';
import type { ChainCall, SignedClaim, StoredClaim } from '../ports';
import { CLAIM_ISSUER_ABI, IDENTITY_ABI, IDENTITY_FACTORY_ABI, IDENTITY_REGISTRY_ABI, INVESTOR_IDENTITY_ABI } from './abi';

const factoryAbi = new Interface([...IDENTITY_FACTORY_ABI, ...INVESTOR_IDENTITY_ABI.factory]);
const registryAbi = new Interface([...IDENTITY_REGISTRY_ABI, ...INVESTOR_IDENTITY_ABI.registry]);
const identityAbi = new Interface(IDENTITY_ABI);
const claimIssuerAbi = new Interface(CLAIM_ISSUER_ABI);
const abi = AbiCoder.defaultAbiCoder();

/** ONCHAINID's ECDSA claim scheme. */
const ECDSA_SCHEME = 1;

/**
 * The address an investor's identity is linked to in the factory: derived from the investor id,
 * with no key behind it, so the factory finds the investor's one identity on every chain and no
 * wallet of theirs is tied to it (all of them are registered to it in the identity registry).
 */
export function investorKeyAddress(investorId: string): string {
  return getAddress(dataSlice(keccak256(toUtf8Bytes(`investor:${investorId}`)), 12));
}

/** The factory salt of an investor's identity: taken once, so a second creation reverts. */
export function investorSalt(investorId: string): string {
  return `investor:${investorId}`;
}

/** ERC-735 claim id: one claim per issuer and topic on an identity. */
export function claimId(issuer: string, topic: number): string {
  return keccak256(abi.encode(['address', 'uint256'], [issuer, topic]));
}

/** What ONCHAINID's ClaimIssuer checks a signature against: keccak256(abi.encode(identity, topic, data)), EIP-191-prefixed by signMessage. */
export function claimDigest(identity: string, topic: number, data: string): string {
  return keccak256(abi.encode(['address', 'uint256', 'bytes'], [identity, topic, data]));
}

export interface ClaimsConfig {
  readonly identityFactory: string;
  readonly identityRegistry: string;
  readonly claimIssuer?: string;
  readonly kycClaimTopic: number;
}

/**
 * One identity per investor and our KYC claims on one chain: the reads, the claim signature and
 * the calls' encoding. The agent (management key of each investor identity it creates, and of our
 * ClaimIssuer) sends the calls; the claim signer (a CLAIM key of the ClaimIssuer) only signs claims.
 */
export class EvmClaims {
  private readonly factory: Contract;
  private readonly registry: Contract;
  private readonly issuer: Contract | undefined;

  constructor(
    private readonly config: ClaimsConfig,
    provider: Provider,
    private readonly agentAddress: () => Promise<string>,
    private readonly claimSigner: () => Signer,
  ) {
    this.factory = new Contract(config.identityFactory, factoryAbi, provider);
    this.registry = new Contract(config.identityRegistry, registryAbi, provider);
    this.issuer = config.claimIssuer ? new Contract(config.claimIssuer, claimIssuerAbi, provider) : undefined;
  }

  get issuesClaims(): boolean {
    return this.issuer !== undefined;
  }

  async investorIdentity(investorId: string): Promise<string | undefined> {
    const identity = (await this.factory.getFunction('getIdentity')(investorKeyAddress(investorId))) as string;
    return identity === ZeroAddress ? undefined : identity.toLowerCase();
  }

  async registeredIdentity(wallet: string): Promise<string | undefined> {
    const identity = (await this.registry.getFunction('identity')(wallet)) as string;
    return identity === ZeroAddress ? undefined : identity.toLowerCase();
  }

  async kycClaim(identity: string, provider: Provider): Promise<StoredClaim | undefined> {
    if (!this.issuer || !this.config.claimIssuer) return undefined;
    const holder = new Contract(identity, identityAbi, provider);
    const [, , issuer, signature, data] = (await holder.getFunction('getClaim')(claimId(this.config.claimIssuer, this.config.kycClaimTopic))) as [
      bigint,
      bigint,
      string,
      string,
      string,
    ];
    if (issuer === ZeroAddress) return undefined;
    const revoked = (await this.issuer.getFunction('isClaimRevoked')(signature)) as boolean;
    return { data: data.toLowerCase(), signature, revoked };
  }

  async signClaim(identity: string, data: string): Promise<SignedClaim> {
    if (!this.config.claimIssuer) throw new TypeError('no claim issuer is configured for this chain');
    const topic = this.config.kycClaimTopic;
    const signature = await this.claimSigner().signMessage(getBytes(claimDigest(identity, topic, data)));
    return { topic, issuer: this.config.claimIssuer.toLowerCase(), signature, data: data.toLowerCase() };
  }

  /** The transaction of an identity or claim call, or undefined for another kind of call. */
  async encode(call: ChainCall): Promise<{ to: string; data: string } | undefined> {
    switch (call.kind) {
      case 'createInvestorIdentity':
        return {
          to: this.config.identityFactory,
          data: factoryAbi.encodeFunctionData('createIdentityWithManagementKeys', [
            investorKeyAddress(call.investorId),
            investorSalt(call.investorId),
            [keccak256(abi.encode(['address'], [await this.agentAddress()]))],
          ]),
        };
      case 'addClaim':
        return {
          to: call.identity,
          data: identityAbi.encodeFunctionData('addClaim', [call.claim.topic, ECDSA_SCHEME, call.claim.issuer, call.claim.signature, call.claim.data, '']),
        };
      case 'revokeClaim':
        if (!this.config.claimIssuer) throw new TypeError('no claim issuer is configured for this chain');
        return { to: this.config.claimIssuer, data: claimIssuerAbi.encodeFunctionData('revokeClaimBySignature', [call.signature]) };
      case 'updateIdentity':
        return { to: this.config.identityRegistry, data: registryAbi.encodeFunctionData('updateIdentity', [call.wallet, call.identity]) };
      default:
        return undefined;
    }
  }
}
