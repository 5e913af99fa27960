import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../lambda/platform/aws/dynamo';
import { FolderListSource } from '../../lambda/modules/screening/adapters';
import { ConflictError } from '../../lambda/shared';
import { LIST_STREAM, listStream } from '../../lambda/modules/screening/refresh-list';
import { refreshSanctionsList } from '../../lambda/modules/screening';
import type { ListSource } from '../../lambda/modules/screening/ports';
import { LIST_2023_12_28, LIST_2024_05_03, NON_SDN_LIST } from '../helpers/ofac-data';
import { drain, screeningSystem, storedInvestor } from '../helpers/screening-system';

async function listAudit(table: string, stream = LIST_STREAM) {
  const { Items = [] } = await documentClient().send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: '#s = :s',
      ExpressionAttributeNames: { '#s': 'stream' },
      ExpressionAttributeValues: { ':s': stream },
      ConsistentRead: true,
    }),
  );
  return Items;
}

describe('refreshSanctionsList on DynamoDB Local and fauxqs', () => {
  it('records a version with its snapshot, skips unchanged content, and on a new list diffs and queues the whole book', async () => {
    const system = await screeningSystem();
    const deps = { ...system, actor: 'system:test' };
    const investors = await Promise.all([1, 2, 3].map(() => storedInvestor(system.investors)));

    const first = await refreshSanctionsList(deps, new FolderListSource(LIST_2023_12_28));
    expect(first.changed).toBe(true);
    expect(first.version).toMatchObject({ listDate: '2023-12-28', entryCount: 13821, format: 'legacy_csv' });
    expect((await system.versions.current())?.id).toBe(first.version.id);
    const snapshot = await system.snapshots.load(first.version.snapshotKey);
    expect(snapshot.entries).toHaveLength(13821);
    expect(snapshot.version.id).toBe(first.version.id);
    await drain(system.screeningQueue);

    const again = await refreshSanctionsList(deps, new FolderListSource(LIST_2023_12_28));
    expect(again).toMatchObject({ changed: false, investorsQueued: 0 });
    expect(again.version.id).toBe(first.version.id);
    expect(await drain(system.screeningQueue)).toEqual([]);

    const second = await refreshSanctionsList(deps, new FolderListSource(LIST_2024_05_03));
    expect(second.changed).toBe(true);
    expect(second.diff?.added).toHaveLength(1256);
    expect(second.diff?.removed).toHaveLength(112);
    expect(second.version.previousVersionId).toBe(first.version.id);
    expect(second.investorsQueued).toBe(3);
    const messages = await drain(system.screeningQueue);
    expect(messages.map((message) => message.investorId).sort()).toEqual(investors.map((investor) => investor.investorId).sort());
    expect(messages.every((message) => message.listVersion === second.version.id && message.reason === 'list changed')).toBe(true);
    expect((await system.versions.current())?.rescreenRequestedAt).toBeDefined();

    const records = await listAudit(system.auditTable);
    expect(records.map((record) => record.data.versionId)).toEqual([first.version.id, second.version.id]);
    expect(records[1]!.data).toMatchObject({ added: 1256, removed: 112, previousVersionId: first.version.id, source: 'folder 2024-05-03' });
  });

  it('keeps the consolidated non-SDN lists apart: their own version, current pointer, snapshot, audit stream and re-screen', async () => {
    const system = await screeningSystem();
    const deps = { ...system, actor: 'system:test' };
    const investors = await Promise.all([1, 2].map(() => storedInvestor(system.investors)));
    const sdn = await refreshSanctionsList(deps, new FolderListSource(LIST_2023_12_28));
    await drain(system.screeningQueue);

    const cons = await refreshSanctionsList(deps, new FolderListSource(NON_SDN_LIST));
    expect(cons).toMatchObject({ changed: true, investorsQueued: 2, version: { list: 'ofac-cons', entryCount: 442, format: 'legacy_csv', rescreen: 'full' } });
    expect(cons.version.id).toMatch(/^ofac-cons:/);
    expect(cons.version.snapshotKey).toMatch(/^ofac-cons\//);
    expect((await system.versions.current('ofac-cons'))?.id).toBe(cons.version.id);
    expect((await system.versions.current())?.id).toBe(sdn.version.id);
    expect((await system.snapshots.load(cons.version.snapshotKey)).entries).toHaveLength(442);
    const messages = await drain(system.screeningQueue);
    expect(messages.map((message) => message.investorId).sort()).toEqual(investors.map((investor) => investor.investorId).sort());
    expect(messages.every((message) => message.listVersion === cons.version.id)).toBe(true);
    expect((await listAudit(system.auditTable, listStream('ofac-cons'))).map((record) => record.data)).toEqual([
      expect.objectContaining({ list: 'ofac-cons', versionId: cons.version.id, added: 442, rescreen: 'full' }),
    ]);
    expect(await listAudit(system.auditTable)).toHaveLength(1);

    // The SDN list moves on by itself, as a delta: its version before is of the same format and engine.
    const next = await refreshSanctionsList(deps, new FolderListSource(LIST_2024_05_03));
    expect(next.version).toMatchObject({ list: 'ofac-sdn', rescreen: 'delta', previousVersionId: sdn.version.id });
    expect((await system.snapshots.load(next.version.snapshotKey)).weighting?.countedIn).toBe(sdn.version.id);
    expect((await system.versions.current('ofac-cons'))?.id).toBe(cons.version.id);
  });

  it('re-queues the book when a recorded version never got its re-screens (a crash after promotion)', async () => {
    const system = await screeningSystem();
    const deps = { ...system, actor: 'system:test' };
    await storedInvestor(system.investors);
    const failing = { ...system.rescreens, requestMany: () => Promise.reject(new Error('queue down')) };
    await expect(refreshSanctionsList({ ...deps, rescreens: failing }, new FolderListSource(LIST_2024_05_03))).rejects.toThrow('queue down');
    expect((await system.versions.current())?.rescreenRequestedAt).toBeUndefined();

    const retry = await refreshSanctionsList(deps, new FolderListSource(LIST_2024_05_03));
    expect(retry).toMatchObject({ changed: false, investorsQueued: 1 });
    expect(await drain(system.screeningQueue)).toHaveLength(1);
  });

  it('lets only one of two racing refreshes move the current pointer from the same version', async () => {
    const system = await screeningSystem();
    await refreshSanctionsList({ ...system, actor: 'system:test' }, new FolderListSource(LIST_2023_12_28));
    const current = (await system.versions.current())!;
    const results = await Promise.allSettled([system.versions.promote('ofac-sdn:a', current.id), system.versions.promote('ofac-sdn:b', current.id)]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((result) => result.status === 'rejected')).toMatchObject({ reason: expect.any(ConflictError) });
  });

  it('rejects a broken publication without recording anything', async () => {
    const system = await screeningSystem();
    const broken: ListSource = {
      description: 'test',
      fetch: async () => ({ files: [{ name: 'sdn.xml', bytes: Buffer.from('<sdnList><sdnEntry>') }], fileDate: '2024-01-01' }),
    };
    await expect(refreshSanctionsList({ ...system, actor: 'system:test' }, broken)).rejects.toThrow(/not well-formed/);
    expect(await system.versions.current()).toBeUndefined();
    expect(await listAudit(system.auditTable)).toEqual([]);
  });
});
