import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { documentClient } from '../../lambda/platform/aws/dynamo';
import { DynamoAuditStore } from '../../lambda/modules/audit/adapters';
import { DynamoCaseRepository } from '../../lambda/modules/cases/adapters';
import { TABLES } from '../../lambda/config/system';
import { AuditLog } from '../../lambda/modules/audit';
import { openCase, type OpenCaseRequest } from '../../lambda/modules/cases';
import { provisionFresh } from '../helpers/local-env';

let env: Record<string, string>;
beforeAll(async () => {
  env = await provisionFresh();
});

describe('openCase on DynamoDB Local', () => {
  it('opens one case and one audit record however many workers report the same reason at once', async () => {
    const deps = {
      cases: new DynamoCaseRepository(documentClient(), env[TABLES.cases.envVar]!),
      audit: new AuditLog(new DynamoAuditStore(documentClient(), env[TABLES.audit.envVar]!)),
    };
    const request: OpenCaseRequest = {
      type: 'potential_match',
      key: `potential_match|${ulid()}|1234`,
      investorId: 'i-1',
      risk: 'medium',
      evidence: { sdnId: 1234, score: 0.91 },
    };
    const results = await Promise.all(Array.from({ length: 8 }, () => openCase(deps, request, 'system:test')));

    expect(results.filter((result) => result.opened)).toHaveLength(1);
    expect(new Set(results.map((result) => result.case.caseId)).size).toBe(1);
    const { Items = [] } = await documentClient().send(
      new QueryCommand({
        TableName: env[TABLES.audit.envVar]!,
        KeyConditionExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': 'stream' },
        ExpressionAttributeValues: { ':s': `case#${results[0]!.case.caseId}` },
      }),
    );
    expect(Items.map((item) => item.type)).toEqual(['case.opened']);
  });

  it('opens separate cases for different reasons', async () => {
    const deps = {
      cases: new DynamoCaseRepository(documentClient(), env[TABLES.cases.envVar]!),
      audit: new AuditLog(new DynamoAuditStore(documentClient(), env[TABLES.audit.envVar]!)),
    };
    const base: OpenCaseRequest = { type: 'wallet_hit', key: `wallet_hit|${ulid()}`, risk: 'high', evidence: {} };
    const first = await openCase(deps, base, 'system:test');
    const second = await openCase(deps, { ...base, key: `${base.key}|other` }, 'system:test');
    expect(first.case.caseId).not.toBe(second.case.caseId);
    expect(second.opened).toBe(true);
  });
});
