#!/usr/bin/env node
/**
 * The CDK app: `npx cdk synth` / `npx cdk deploy`. Context:
 *   -c chains='[{"chainId":...,"name":...,"rpcUrl":...,"identityRegistry":...,"identityFactory":...,"token":...}]'
 *   -c stackName=TreasuryCompliance
 */
import { App } from 'aws-cdk-lib';
import { TreasuryComplianceStack } from '../lib/treasury-compliance-stack';

const app = new App();

function chainsFromContext(): unknown[] {
  const raw: unknown = app.node.tryGetContext('chains');
  if (raw === undefined || raw === '') return [];
  return typeof raw === 'string' ? (JSON.parse(raw) as unknown[]) : (raw as unknown[]);
}

new TreasuryComplianceStack(app, (app.node.tryGetContext('stackName') as string | undefined) ?? 'TreasuryCompliance', {
  chains: chainsFromContext() as never,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
