import { Contract, JsonRpcProvider, Wallet } from 'ethers';
import { IDENTITY_REGISTRY_ABI } from '../../lambda/adapters/chain/abi';
import { Erc3643IdentityRegistry } from '../../lambda/adapters/chain/identity-registry';
import { ENV } from '../../lambda/config/system';
import { TransientError } from '../../lambda/domain/errors';
import { DEV_ACCOUNTS } from '../../bin/local/chain-deploy';
import { deployedSuite } from '../helpers/local-env';

const signerEnv = { [ENV.signerPrivateKey]: DEV_ACCOUNTS.allowlistAgent };

describe('Erc3643IdentityRegistry on a Hardhat chain with the T-REX contracts', () => {
  it('registers a wallet with an ONCHAINID and its numeric country, after which it is verified', async () => {
    const suite = deployedSuite();
    const gateway = new Erc3643IdentityRegistry(suite, signerEnv);
    const wallet = Wallet.createRandom().address.toLowerCase();

    expect(await gateway.isVerified(wallet)).toBe(false);
    const { transactionHash, identity } = await gateway.register(wallet, 'investor-1', 'DE');
    expect(transactionHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(await gateway.isVerified(wallet)).toBe(true);

    const registry = new Contract(suite.identityRegistry, IDENTITY_REGISTRY_ABI, new JsonRpcProvider(suite.rpcUrl));
    expect(await registry.getFunction('identity')(wallet)).toBe(identity);
    expect(await registry.getFunction('investorCountry')(wallet)).toBe(276n);
  });

  it('reports an unreachable RPC as transient, so the message is retried', async () => {
    const suite = deployedSuite();
    const gateway = new Erc3643IdentityRegistry({ ...suite, rpcUrl: 'http://127.0.0.1:1' }, signerEnv);
    await expect(gateway.isVerified(Wallet.createRandom().address)).rejects.toBeInstanceOf(TransientError);
  });
});
