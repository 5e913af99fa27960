import { registriesOf } from '../../config/chains';
import { readFunctionConfig } from '../../config/function-config';
import { dynamoAuditLog } from '../../modules/audit/adapters';
import { DynamoCaseRepository } from '../../modules/cases/adapters';
import type { Investor } from '../../modules/investors';
import { DynamoInvestorRepository, SqsAllowlistRequests, SqsScreeningRequests } from '../../modules/investors/adapters';
import { screeningStanding } from '../../modules/screening';
import { DynamoScreeningRepository } from '../../modules/screening/adapters';
import { documentClient } from '../../platform/aws/dynamo';
import { sqsClient } from '../../platform/aws/sqs';

/** The fund portal's and operators' investor routes: the lifecycle, blocked jurisdictions, the screening standing for reinstatement. */
export function compose(env: NodeJS.ProcessEnv) {
  const { tables, queues, chains, settings } = readFunctionConfig('investorsApi', env);
  const standing = screeningStanding({
    screenings: new DynamoScreeningRepository(documentClient(), tables.screenings),
    cases: new DynamoCaseRepository(documentClient(), tables.cases),
  });
  return {
    investors: new DynamoInvestorRepository(documentClient(), tables.investors),
    audit: dynamoAuditLog(tables.audit),
    allowlist: new SqsAllowlistRequests(sqsClient(), queues.allowlist),
    screening: new SqsScreeningRequests(sqsClient(), queues.screening),
    registries: registriesOf(chains),
    blockedCountries: settings.blockedCountries,
    screeningStanding: (investor: Investor) => standing.standing(investor),
  };
}

export type InvestorsApiDeps = ReturnType<typeof compose>;
