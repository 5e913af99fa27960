import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption, type TableProps } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { KeySpec, TableSpec } from '../../lambda/config/system';

const attribute = (key: KeySpec) => ({ name: key.name, type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER });

export interface ComplianceTableProps {
  readonly spec: TableSpec;
  /** Overrides of the secure defaults (PITR, deletion protection, encryption, retain on delete). */
  readonly overrides?: Partial<TableProps>;
}

/** A DynamoDB table from its lambda/config/system.ts spec, with point-in-time recovery and deletion protection on. */
export class ComplianceTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: ComplianceTableProps) {
    super(scope, id);
    const { spec } = props;
    this.table = new Table(this, 'Table', {
      partitionKey: attribute(spec.partitionKey),
      sortKey: spec.sortKey ? attribute(spec.sortKey) : undefined,
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: spec.timeToLiveAttribute,
      removalPolicy: RemovalPolicy.RETAIN,
      ...props.overrides,
    });
    for (const index of spec.indexes ?? []) {
      this.table.addGlobalSecondaryIndex({ indexName: index.name, partitionKey: attribute(index.partitionKey), sortKey: index.sortKey ? attribute(index.sortKey) : undefined });
    }
  }
}
