import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { NagPack } from 'cdk-nag';
import { TABLES } from '../../lambda/config/system';
import { addCompliancePacks } from '../../lib/nag';
import { SYSTEM, TreasuryComplianceStack, type SystemDefinition } from '../../lib/treasury-compliance-stack';

const ROOT = path.resolve(__dirname, '..', '..');

export const TEST_CHAINS = [
  {
    chainId: 11155111,
    name: 'sepolia',
    rpcUrl: 'https://rpc.example.invalid',
    identityRegistry: '0x2279b7a0a67db372996a5fab50d91eaa73d2ebe6',
    identityFactory: '0x3aa5ebb10dc797cac828524e59a333d0a371443c',
    token: '0xa51c1fc2f0d1a1b8494ed1fe312d7c3a78ed91c0',
    confirmations: 2,
  },
  {
    chainId: 84532,
    name: 'base-sepolia',
    rpcUrl: 'https://rpc2.example.invalid',
    identityRegistry: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
    identityFactory: '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512',
    token: '0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0',
    confirmations: 1,
  },
];

export const TEST_VENDORS = ['sumsub', 'persona'];

/**
 * The system definition plus what other issues are adding, declared the same way: a scheduled
 * function signing with a KMS key and writing a bucket, a
 * bucket reader, a table with an index, and the allowlist worker signing with its KMS key. Every
 * generic promise of the stack is checked against it as well as against the real definition.
 */
export const SYNTHETIC_SYSTEM: SystemDefinition = {
  ...SYSTEM,
  tables: { ...SYSTEM.tables, investors: { ...TABLES.investors, indexes: [{ name: 'byWallet', partitionKey: { name: 'wallet', type: 'S' } }] } },
  functions: {
    ...SYSTEM.functions,
    allowlistWorker: { ...SYSTEM.functions.allowlistWorker!, kmsKeys: ['allowlistSigner'], secrets: ['chainRpcUrls'] },
    auditCheckpointer: {
      entry: 'lambda/functions/investors-api/index.ts',
      description: 'synthetic: signs audit checkpoints on a schedule',
      memorySize: 256,
      timeoutSeconds: 60,
      tables: { audit: 'read' },
      buckets: { listSnapshots: 'append' },
      kmsKeys: ['auditSigner'],
      schedule: 'rate(1 hour)',
    },
    investorsReport: {
      entry: 'lambda/functions/investors-api/index.ts',
      description: 'synthetic: reads snapshots and investors by wallet',
      memorySize: 256,
      timeoutSeconds: 10,
      tables: { investors: 'read' },
      buckets: { listSnapshots: 'read' },
    },
  },
};

export interface SynthOptions {
  readonly system?: SystemDefinition;
  readonly chains?: readonly unknown[];
  readonly vendors?: readonly string[];
  readonly alarmEmail?: string;
  readonly consoleDomain?: { readonly name: string; readonly certificateArn: string };
  /** Run cdk-nag's packs as validation plugins, as bin/app.ts does. */
  readonly nag?: boolean;
  /** Bundle the functions with esbuild, as `cdk synth` does (slow). */
  readonly bundling?: boolean;
  /** Changes made before synthesis, e.g. to show a check catches a broken stack. */
  readonly tamper?: (stack: TreasuryComplianceStack) => void;
}

export interface Synthesized {
  readonly app: App;
  readonly stack: TreasuryComplianceStack;
  readonly template: Template;
  readonly packs: readonly NagPack[];
}

/** Synthesises the stack once, with the feature flags of cdk.json, as `npx cdk synth` would. */
export function synthesize(options: SynthOptions = {}): Synthesized {
  const { context } = JSON.parse(readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  // Bundled: asset paths in the template metadata, as the CDK CLI asks for. Otherwise esbuild is skipped.
  const bundling = options.bundling ? { 'aws:cdk:enable-asset-metadata': true } : { 'aws:cdk:bundling-stacks': [] };
  const app = new App({ context: { ...context, ...bundling } });
  const packs = options.nag ? addCompliancePacks(app) : [];
  const stack = new TreasuryComplianceStack(app, 'Test', {
    chains: (options.chains ?? TEST_CHAINS) as never,
    vendors: options.vendors ?? TEST_VENDORS,
    alarmEmail: options.alarmEmail,
    consoleDomain: options.consoleDomain,
    system: options.system,
  });
  options.tamper?.(stack);
  return { app, stack, template: Template.fromStack(stack), packs };
}

/** Construct ids in the stack are the system definition's names in PascalCase. */
export const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
export const getAtt = (id: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [id, attribute] });

/** The logical id CDK gives a resource from its construct path (`name` plus an 8-digit hash). */
export function logicalId(template: Template, type: string, name: string): string {
  const pattern = new RegExp(`^${name}[0-9A-F]{8}$`);
  const ids = Object.keys(template.findResources(type)).filter((candidate) => pattern.test(candidate));
  if (ids.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${ids.length}`);
  return ids[0]!;
}
