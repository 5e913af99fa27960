import { registriesOf } from '../../config/chains';
import { readFunctionConfig } from '../../config/function-config';
import { registryChains } from '../../modules/allowlist/adapters';
import { DynamoAuditRecords, dynamoAuditLog } from '../../modules/audit/adapters';
import { DynamoCaseRepository } from '../../modules/cases/adapters';
import type { Investor } from '../../modules/investors';
import { DynamoInvestorRepository, SqsAllowlistRequests, SqsScreeningRequests } from '../../modules/investors/adapters';
import { screeningStanding } from '../../modules/screening';
import { DynamoScreeningRepository } from '../../modules/screening/adapters';
import { documentClient } from '../../platform/aws/dynamo';
import { sqsClient } from '../../platform/aws/sqs';
import { lazy } from '../../platform/lazy';

/** The fund portal's and operators' investor routes: the lifecycle, blocked jurisdictions, the screening standing for reinstatement; what the console shows of an investor. */
export function compose(env: NodeJS.ProcessEnv) {
  const { tables, queues, secrets, chains, settings } = readFunctionConfig('investorsApi', env);
  const screenings = new DynamoScreeningRepository(documentClient(), tables.screenings);
  const standing = screeningStanding({ screenings, cases: new DynamoCaseRepository(documentClient(), tables.cases) });
  return {
    investors: new DynamoInvestorRepository(documentClient(), tables.investors),
    audit: dynamoAuditLog(tables.audit),
    allowlist: new SqsAllowlistRequests(sqsClient(), queues.allowlist),
    screening: new SqsScreeningRequests(sqsClient(), queues.screening),
    registries: registriesOf(chains),
    blockedCountries: settings.blockedCountries,
    screeningStanding: (investor: Investor) => standing.standing(investor),
    screenings,
    /** The investor's audit records (KYC history). */
    records: new DynamoAuditRecords(documentClient(), tables.audit),
    /** Read-only views of every registry and token; read on first use: the RPC URLs live in a secret. */
    chains: lazy(() => registryChains(chains, secrets.chainRpcUrls)),
    chainNames: new Map(chains.map((chain) => [chain.chainId, chain.name])),
  };
}

export type InvestorsApiDeps = ReturnType<typeof compose>;
