import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption, type TableProps } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { KeySpec, TableSpec } from '../../lambda/config/system';

const attribute = (key: KeySpec) => ({ name: key.name, type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER });

export interface ComplianceTableProps {
  readonly spec: TableSpec;
  /** The customer-managed key; by default the table gets its own, with yearly rotation. */
  readonly encryptionKey?: IKey;
  /** Overrides of the secure defaults (PITR, deletion protection, encryption, retain on delete). */
  readonly overrides?: Partial<TableProps>;
}

/**
 * A DynamoDB table from its lambda/config/system.ts spec: point-in-time recovery, deletion protection,
 * retained on stack deletion, encrypted with a customer-managed KMS key (one per table by default, so
 * a function's key grants match its table grants exactly).
 */
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
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
      timeToLiveAttribute: spec.timeToLiveAttribute,
      removalPolicy: RemovalPolicy.RETAIN,
      ...props.overrides,
    });
    for (const index of spec.indexes ?? []) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: attribute(index.partitionKey),
        sortKey: index.sortKey ? attribute(index.sortKey) : undefined,
      });
    }
  }
}
