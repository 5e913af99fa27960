import { Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { SYSTEM } from '../../lib/treasury-compliance-stack';
import { SYNTHETIC_SYSTEM, synthesize, type Synthesized } from '../helpers/infra';

interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

function acknowledgements(root: IConstruct): Acknowledgement[] {
  return root.node
    .findAll()
    .flatMap((node) =>
      node.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) =>
          Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ path: node.node.path, id: id.replace(/^annotation::/i, ''), reason })),
        ),
    );
}

/** Findings of both packs, errors and warnings alike, as `rule at construct path`. */
function findings({ app, packs }: Pick<Synthesized, 'app' | 'packs'>): string[] {
  return packs.flatMap((pack) =>
    pack
      .validateScope(app)
      .violations.flatMap((violation) => violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`)),
  );
}

// Synthesis with the packs registered fails on any unacknowledged error, as `npx cdk synth` does;
// the checks below also count warnings.
describe.each([
  ['system.ts, no context', () => synthesize({ nag: true, chains: [], vendors: [] })],
  ['system.ts, chains, vendors and an alarm address', () => synthesize({ nag: true, alarmEmail: 'ops@example.com' })],
  ['synthetic', () => synthesize({ nag: true, system: SYNTHETIC_SYSTEM, alarmEmail: 'ops@example.com' })],
])('cdk-nag AwsSolutions and Serverless packs (%s)', (_label, synth) => {
  const synthesized = synth();

  it('runs both packs as validation plugins', () => {
    expect(synthesized.packs.map((pack) => pack.readPackName).sort()).toEqual(['AwsSolutions', 'Serverless']);
  });

  it('reports no unacknowledged finding, error or warning', () => {
    expect(findings(synthesized)).toEqual([]);
  });

  it('gives every acknowledgement a reason of its own', () => {
    const acks = acknowledgements(synthesized.app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) expect(ack.reason.length).toBeGreaterThanOrEqual(60);
  });

  it("never acknowledges a wildcard action, and a wildcard resource only for X-Ray or one bucket's objects", () => {
    const wildcards = acknowledgements(synthesized.app).filter((ack) => ack.id.startsWith('AwsSolutions-IAM5'));
    expect(wildcards.filter((ack) => ack.id.includes('[Action::'))).toEqual([]);
    for (const ack of wildcards) {
      if (ack.id === 'AwsSolutions-IAM5[Resource::*]') expect(ack.path).toMatch(/Function\/TracingPolicy$/);
      else expect(ack.id).toMatch(/^AwsSolutions-IAM5\[Resource::<\w+Bucket[0-9A-F]{8}\.Arn>\/\*\]$/);
    }
    expect(acknowledgements(synthesized.app).filter((ack) => /IAM4|IAM5$|SQS2|SQS4|S10|DDB3|SNS2|SNS3|COG1|COG2|APIG1/.test(ack.id))).toEqual([]);
  });
});

describe('the packs catch a broken stack', () => {
  const broken = synthesize({
    system: SYSTEM,
    tamper: (stack) => {
      stack.functions.investorsApi!.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:*'], resources: [stack.tables.cases.table.tableArn] }));
      new Queue(stack, 'QueueWithoutDeadLetters', { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
    },
  });
  const packs = [new AwsSolutionsChecks(undefined, { verbose: true }), new ServerlessChecks(undefined, { verbose: true })];

  it('reports a wildcard action and a queue without a dead-letter queue', () => {
    const found = findings({ app: broken.app, packs });
    expect(found).toContain('AwsSolutions-IAM5[Action::dynamodb:*] at Test/InvestorsApiFunction/Role/DefaultPolicy/Resource');
    expect(found).toContain('AwsSolutions-SQS3 at Test/QueueWithoutDeadLetters/Resource');
    expect(found).toContain('Serverless-SQSRedrivePolicy at Test/QueueWithoutDeadLetters/Resource');
  });
});
