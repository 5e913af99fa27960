import path from 'node:path';
import { ENV, SECRETS } from '../../lambda/config/system';
import { DEV_ACCOUNTS, deployTrexSuite, type DeployedSuite } from './chain-deploy';
import { allStarted, startHardhatNode, type LocalService } from './services';

/** The fund's token lives on seven chains; locally each is a Hardhat node with its own chain id. */
export const LOCAL_CHAINS = [
  { chainId: 31337, name: 'local-ethereum' },
  { chainId: 31338, name: 'local-polygon' },
  { chainId: 31339, name: 'local-arbitrum' },
  { chainId: 31340, name: 'local-optimism' },
  { chainId: 31341, name: 'local-base' },
  { chainId: 31342, name: 'local-avalanche' },
  { chainId: 31343, name: 'local-bnb' },
] as const;

/**
 * Starts `count` Hardhat nodes in parallel (ports from `firstPort` on, or free ones) and deploys
 * the T-REX suite on each, in chain order. `track` receives every node as it starts, and every
 * start finishes before a failure is reported, so a failure stops them all.
 */
export async function startLocalChains(options: {
  count: number;
  port: (index: number) => Promise<number>;
  logDir: string;
  workDir: string;
  track: (service: LocalService) => LocalService;
}): Promise<DeployedSuite[]> {
  const chains = LOCAL_CHAINS.slice(0, Math.max(1, Math.min(options.count, LOCAL_CHAINS.length)));
  return allStarted(
    chains.map(async ({ chainId, name }, index) => {
      const port = await options.port(index);
      const node = options.track(await startHardhatNode({ port, logDir: options.logDir, chainId, workDir: path.join(options.workDir, `hardhat-${chainId}`) }));
      return deployTrexSuite({ rpcUrl: node.endpoint, chainId, name });
    }),
  );
}

/**
 * The allowlist's configuration for local chains: non-secret chain data in CHAINS_CONFIG, RPC
 * URLs in the chainRpcUrls secret's local variable (on AWS they come from Secrets Manager).
 * Hardhat mines on every transaction, so receipts are polled often and one confirmation is final.
 */
export function localChainEnv(suites: readonly DeployedSuite[]): Record<string, string> {
  return {
    [ENV.chains]: JSON.stringify(
      suites.map(({ chainId, name, identityRegistry, identityFactory, token, claimIssuer, kycClaimTopic }) => ({
        chainId,
        name,
        identityRegistry,
        identityFactory,
        token,
        claimIssuer,
        kycClaimTopic,
        confirmations: 1,
        maxBatchSize: 100,
        pollIntervalMs: 25,
        fees: { stuckAfterSeconds: 30, bumpPercent: 15 },
      })),
    ),
    [SECRETS.chainRpcUrls.localEnvVar]: JSON.stringify(Object.fromEntries(suites.map((suite) => [String(suite.chainId), suite.rpcUrl]))),
    [ENV.claimSignerPrivateKey]: DEV_ACCOUNTS.claimSigner,
  };
}
