/**
 * The slices of the ERC-3643 (T-REX v4) and ONCHAINID v2 ABIs that we call. Human-readable so
 * function bundles do not carry the contracts' bytecode; test/unit/chain-abi.test.ts checks
 * every fragment against the published artifacts.
 */
export const IDENTITY_REGISTRY_ABI = [
  'function isVerified(address _userAddress) view returns (bool)',
  'function contains(address _userAddress) view returns (bool)',
  'function identity(address _userAddress) view returns (address)',
  'function investorCountry(address _userAddress) view returns (uint16)',
  'function registerIdentity(address _userAddress, address _identity, uint16 _country)',
  'function batchRegisterIdentity(address[] _userAddresses, address[] _identities, uint16[] _countries)',
  'function deleteIdentity(address _userAddress)',
  'function isAgent(address _agent) view returns (bool)',
  'event IdentityRegistered(address indexed investorAddress, address indexed identity)',
  'event IdentityRemoved(address indexed investorAddress, address indexed identity)',
] as const;

export const IDENTITY_FACTORY_ABI = [
  'function getIdentity(address _wallet) view returns (address)',
  'function createIdentity(address _wallet, string _salt) returns (address)',
] as const;

export const TOKEN_ABI = [
  'function isFrozen(address _userAddress) view returns (bool)',
  'function setAddressFrozen(address _userAddress, bool _freeze)',
  'function batchSetAddressFrozen(address[] _userAddresses, bool[] _freeze)',
  'function identityRegistry() view returns (address)',
  'function paused() view returns (bool)',
  'function pause()',
  'function unpause()',
  'function balanceOf(address _userAddress) view returns (uint256)',
  'function getFrozenTokens(address _userAddress) view returns (uint256)',
  'function freezePartialTokens(address _userAddress, uint256 _amount)',
  'function forcedTransfer(address _from, address _to, uint256 _amount) returns (bool)',
  'function recoveryAddress(address _lostWallet, address _newWallet, address _investorOnchainID) returns (bool)',
  'event AddressFrozen(address indexed _userAddress, bool indexed _isFrozen, address indexed _owner)',
] as const;

// ---- identities per investor and KYC claims (ONCHAINID v2) -----------------------------------

/** The factory and registry calls of one identity per investor (the factory's owner and the registry's agent call them). */
export const INVESTOR_IDENTITY_ABI = {
  factory: ['function createIdentityWithManagementKeys(address _wallet, string _salt, bytes32[] _managementKeys) returns (address)'],
  registry: ['function updateIdentity(address _userAddress, address _identity)'],
} as const;

/** An investor's ONCHAINID: its claims (ERC-735). */
export const IDENTITY_ABI = [
  'function addClaim(uint256 _topic, uint256 _scheme, address _issuer, bytes _signature, bytes _data, string _uri) returns (bytes32)',
  'function getClaim(bytes32 _claimId) view returns (uint256, uint256, address, bytes, bytes, string)',
] as const;

/** Our ClaimIssuer: its validity check and revocation. */
export const CLAIM_ISSUER_ABI = [
  'function isClaimValid(address _identity, uint256 claimTopic, bytes sig, bytes data) view returns (bool)',
  'function isClaimRevoked(bytes _sig) view returns (bool)',
  'function revokeClaimBySignature(bytes signature)',
  'function addKey(bytes32 _key, uint256 _purpose, uint256 _type) returns (bool)',
  'function keyHasPurpose(bytes32 _key, uint256 _purpose) view returns (bool)',
] as const;
