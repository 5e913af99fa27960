#!/usr/bin/env node
/**
 * The CDK app: `npx cdk synth` / `npx cdk deploy`. Context (README, Deploy):
 *   -c chains='[{"chainId":...,"name":...,"rpcUrl":...,"identityRegistry":...,"identityFactory":...,"token":...}]'
 *   -c vendors='["sumsub","persona"]'      KYC vendors, for their signature-rejection alarms
 *   -c alarmEmail=ops@example.com          subscribed to the alarm topic
 *   -c blockedCountries=CU,IR,KP,SY -c kycValidityDays=365   settings (lambda/config/system.ts SETTINGS)
 *   -c authDomainPrefix=acme-fund-compliance   Cognito domain for the portal's client-credentials tokens (default <stack>-<account>)
 *   -c consoleDomainName=compliance.example.com -c consoleCertificateArn=arn:aws:acm:us-east-1:...   the console on the fund's domain (TLS 1.2+)
 *   -c consoleWebAclArn=arn:aws:wafv2:us-east-1:...   a CLOUDFRONT-scope web ACL in front of the console
 *   -c stackName=TreasuryCompliance
 * cdk-nag's AwsSolutions and Serverless packs run on every synth: an unacknowledged error fails it.
 */
import { App } from 'aws-cdk-lib';
import { addCompliancePacks } from '../lib/nag';
import { TreasuryComplianceStack } from '../lib/treasury-compliance-stack';
import { SETTINGS, type SettingName } from '../lambda/config/system';

const app = new App();

/** A context value given as JSON on the command line or as a value in cdk.json. */
function jsonContext(key: string): unknown {
  const raw: unknown = app.node.tryGetContext(key);
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    throw new Error(`-c ${key} must be JSON (see README, Deploy)`);
  }
}

function vendorsFromContext(): string[] {
  const vendors = jsonContext('vendors') ?? [];
  if (!Array.isArray(vendors) || !vendors.every((vendor) => typeof vendor === 'string' && /^[a-z0-9-]{1,40}$/.test(vendor))) {
    throw new Error('-c vendors must be a JSON array of vendor ids (lower-case letters, digits, dashes), e.g. \'["sumsub"]\'');
  }
  return vendors as string[];
}

function consoleDomainFromContext(): { name: string; certificateArn: string } | undefined {
  const name = app.node.tryGetContext('consoleDomainName') as string | undefined;
  const certificateArn = app.node.tryGetContext('consoleCertificateArn') as string | undefined;
  if (!name && !certificateArn) return undefined;
  if (!name || !certificateArn) throw new Error('-c consoleDomainName and -c consoleCertificateArn go together (the certificate in us-east-1)');
  return { name, certificateArn };
}

addCompliancePacks(app);
new TreasuryComplianceStack(app, (app.node.tryGetContext('stackName') as string | undefined) ?? 'TreasuryCompliance', {
  chains: ((jsonContext('chains') as unknown[] | undefined) ?? []) as never,
  vendors: vendorsFromContext(),
  alarmEmail: app.node.tryGetContext('alarmEmail') as string | undefined,
  authDomainPrefix: app.node.tryGetContext('authDomainPrefix') as string | undefined,
  consoleDomain: consoleDomainFromContext(),
  consoleWebAclArn: app.node.tryGetContext('consoleWebAclArn') as string | undefined,
  settings: Object.fromEntries(
    (Object.keys(SETTINGS) as SettingName[]).flatMap((name) => {
      const value: unknown = app.node.tryGetContext(name);
      return value === undefined ? [] : [[name, String(value)]];
    }),
  ),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
