import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, paginateScan, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../../shared';
import type { Claims, InvestorRepository } from '../ports';
import type { Investor } from '../investor';

export const investorKey = (investorId: string) => `INVESTOR#${investorId}`;
const externalKey = (externalId: string) => `EXTERNAL#${externalId}`;
const walletKey = (wallet: string) => `WALLET#${wallet.toLowerCase()}`;
const kycKey = (vendor: string, applicantId: string) => `KYC#${vendor}#${applicantId}`;

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/**
 * Investors table: one item per investor plus uniqueness items that point at it: the portal's
 * externalId, each wallet and the KYC applicant. They are written in the investor's transaction, so
 * none can ever point to two investors.
 */
export class DynamoInvestorRepository implements InvestorRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private claim(pk: string, investorId: string, what: string): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: { pk, investorId, what },
        ConditionExpression: 'attribute_not_exists(pk) OR investorId = :me',
        ExpressionAttributeValues: { ':me': investorId },
      },
    };
  }

  async create(investor: Investor): Promise<{ investor: Investor; created: boolean }> {
    const items: TransactItem[] = [
      { Put: { TableName: this.tableName, Item: { pk: investorKey(investor.investorId), ...investor }, ConditionExpression: 'attribute_not_exists(pk)' } },
      {
        Put: {
          TableName: this.tableName,
          Item: { pk: externalKey(investor.externalId), investorId: investor.investorId, what: 'externalId' },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...investor.wallets.map((wallet, index) => this.claim(walletKey(wallet), investor.investorId, `wallets.${index}`)),
      ...(investor.kyc ? [this.claim(kycKey(investor.kyc.vendor, investor.kyc.applicantId), investor.investorId, 'kyc.applicantId')] : []),
    ];
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
      return { investor, created: true };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const existing = await this.findByExternalId(investor.externalId);
      if (existing) return { investor: existing, created: false };
      throw this.claimConflict(error, items);
    }
  }

  async save(next: Investor, claims: Claims = {}): Promise<void> {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: { pk: investorKey(next.investorId), ...next },
          ConditionExpression: 'version = :previous',
          ExpressionAttributeValues: { ':previous': next.version - 1 },
        },
      },
      ...(claims.claimWallets ?? []).map((wallet) => this.claim(walletKey(wallet), next.investorId, 'wallet')),
      ...(claims.releaseWallets ?? []).map((wallet): TransactItem => ({
        Delete: {
          TableName: this.tableName,
          Key: { pk: walletKey(wallet) },
          ConditionExpression: 'investorId = :me',
          ExpressionAttributeValues: { ':me': next.investorId },
        },
      })),
      ...(claims.claimKycApplicant
        ? [this.claim(kycKey(claims.claimKycApplicant.vendor, claims.claimKycApplicant.applicantId), next.investorId, 'kyc.applicantId')]
        : []),
    ];
    try {
      if (items.length === 1) await this.client.send(new PutCommand(items[0]!.Put!));
      else await this.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw this.versionConflict(next, error);
      if (error instanceof TransactionCanceledException) {
        if (error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') throw this.versionConflict(next, error);
        throw this.claimConflict(error, items);
      }
      throw error;
    }
  }

  async findByKycApplicant(vendor: string, applicantId: string): Promise<Investor | undefined> {
    return this.pointed(kycKey(vendor, applicantId));
  }

  async findByExternalId(externalId: string): Promise<Investor | undefined> {
    return this.pointed(externalKey(externalId));
  }

  private versionConflict(next: Investor, cause: unknown): ConflictError {
    return new ConflictError(`investor ${next.investorId} changed concurrently (expected version ${next.version - 1}); reload and retry`, { cause });
  }

  /** Names the claim that failed (`wallets.1`, `kyc.applicantId`), never its value. */
  private claimConflict(error: TransactionCanceledException, items: readonly TransactItem[]): ConflictError {
    const failed = (error.CancellationReasons ?? []).findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
    const what = failed >= 0 ? ((items[failed]?.Put?.Item as { what?: string } | undefined)?.what ?? 'the investor') : undefined;
    if (what === undefined) return new ConflictError('the change raced with another one; retry', { cause: error });
    return new ConflictError(`${what} already belongs to another investor`, { cause: error });
  }

  private async pointed(pk: string): Promise<Investor | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk }, ConsistentRead: true }));
    return Item ? this.get(Item.investorId as string) : undefined;
  }

  async get(investorId: string): Promise<Investor | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: investorKey(investorId) }, ConsistentRead: true }));
    if (!Item) return undefined;
    const { pk: _pk, ...investor } = Item;
    return investor as Investor;
  }

  kycExpiringBefore(at: string): AsyncIterable<Investor> {
    return this.scan('kyc.expiresAt < :at', { ':at': at });
  }

  /** Every investor, page by page (a full scan: for the scheduled reconciliation only). */
  all(): AsyncIterable<Investor> {
    return this.scan();
  }

  /** Investor items (not the claim items beside them), optionally filtered further. */
  private async *scan(filter?: string, values: Record<string, unknown> = {}): AsyncIterable<Investor> {
    const FilterExpression = `begins_with(pk, :prefix)${filter ? ` AND ${filter}` : ''}`;
    for await (const page of paginateScan(
      { client: this.client },
      { TableName: this.tableName, FilterExpression, ExpressionAttributeValues: { ':prefix': investorKey(''), ...values } },
    )) {
      for (const { pk: _pk, ...investor } of page.Items ?? []) yield investor as Investor;
    }
  }
}
