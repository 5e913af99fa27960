import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../lambda/platform/aws/dynamo';
import type { DynamoInvestorRepository } from '../../lambda/modules/investors/adapters';
import type { AuditRecord } from '../../lambda/modules/audit';
import { ConflictError } from '../../lambda/shared';
import { changeStatus, type InvestorRepository } from '../../lambda/modules/investors';
import { screeningSystem, storedInvestor } from '../helpers/screening-system';

const REGISTRIES = [{ chainId: 31337, identityRegistry: '0x00000000000000000000000000000000000000aa' }];

/** The real repository, letting another writer act just before its next save (a race, made deterministic). */
function racing(repository: DynamoInvestorRepository) {
  let cutIn: (() => Promise<unknown>) | undefined;
  const racingRepository: InvestorRepository = Object.assign(Object.create(repository) as InvestorRepository, {
    save: async (...args: Parameters<InvestorRepository['save']>) => {
      const other = cutIn;
      cutIn = undefined;
      await other?.();
      return repository.save(...args);
    },
  });
  return { repository: racingRepository, cutInBeforeNextSave: (writer: () => Promise<unknown>) => (cutIn = writer) };
}

describe('status changes racing on DynamoDB Local', () => {
  it("keeps the winner's audit record when another change recorded at the same version loses the save", async () => {
    const system = await screeningSystem();
    const investor = await storedInvestor(system.investors, { status: 'eligible' });
    const deps = { investors: system.investors, audit: system.audit, allowlist: system.allowlist, registries: REGISTRIES };
    const race = racing(system.investors);

    // The operator's suspension records its change, then the KYC expiry moves the same version first.
    race.cutInBeforeNextSave(() => changeStatus(deps, investor, 'kyc_retry', { type: 'investor.kyc_expired', actor: 'system:kyc-expiry' }));
    await expect(
      changeStatus({ ...deps, investors: race.repository }, investor, 'suspended', {
        type: 'investor.suspended',
        actor: 'operator:ops',
        data: { reason: 'court order' },
      }),
    ).rejects.toBeInstanceOf(ConflictError);

    expect((await system.investors.get(investor.investorId))?.status).toBe('kyc_retry');
    const { Items = [] } = await documentClient().send(
      new QueryCommand({
        TableName: system.auditTable,
        KeyConditionExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': 'stream' },
        ExpressionAttributeValues: { ':s': `investor#${investor.investorId}` },
        ConsistentRead: true,
      }),
    );
    const records = Items as AuditRecord[];
    // The change that happened is on record, after the attempt that lost.
    expect(records.map((record) => record.type)).toEqual(['investor.suspended', 'investor.kyc_expired']);
    expect(records[1]!.data).toMatchObject({ from: 'eligible', to: 'kyc_retry' });

    // The winner re-run after a crash records nothing twice.
    await changeStatus(deps, investor, 'kyc_retry', { type: 'investor.kyc_expired', actor: 'system:kyc-expiry' }).catch(() => undefined);
    const again = await documentClient().send(
      new QueryCommand({
        TableName: system.auditTable,
        KeyConditionExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': 'stream' },
        ExpressionAttributeValues: { ':s': `investor#${investor.investorId}` },
        ConsistentRead: true,
      }),
    );
    expect(again.Items).toHaveLength(2);
  });
});
