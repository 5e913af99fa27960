import { registriesOf } from '../../config/chains';
import { readFunctionConfig } from '../../config/function-config';
import type { ApprovalDeps } from '../../modules/cases';
import { dynamoAuditLog } from '../../modules/audit/adapters';
import { DynamoCaseRepository } from '../../modules/cases/adapters';
import { DynamoInvestorRepository, SqsAllowlistRequests } from '../../modules/investors/adapters';
import { screeningStanding } from '../../modules/screening';
import { DynamoScreeningRepository } from '../../modules/screening/adapters';
import { documentClient } from '../../platform/aws/dynamo';
import { sqsClient } from '../../platform/aws/sqs';

/** The review queue and what approved decisions do to investors (no screening queue: effects never re-screen). */
export function compose(env: NodeJS.ProcessEnv): ApprovalDeps {
  const { tables, queues, chains, settings } = readFunctionConfig('casesApi', env);
  const cases = new DynamoCaseRepository(documentClient(), tables.cases);
  const audit = dynamoAuditLog(tables.audit);
  const effects = {
    investors: new DynamoInvestorRepository(documentClient(), tables.investors),
    audit,
    allowlist: new SqsAllowlistRequests(sqsClient(), queues.allowlist),
    registries: registriesOf(chains),
    sanctions: screeningStanding({ screenings: new DynamoScreeningRepository(documentClient(), tables.screenings), cases }),
  };
  return { cases, audit, slaHours: settings.caseSlaHours, effects };
}
