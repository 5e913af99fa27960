import { ROUTES } from '../../lambda/config/system';
import { auditApiContract } from '../../lambda/functions/audit-api/contract';
import { casesApiContract } from '../../lambda/functions/cases-api/contract';
import { tokenApiContract } from '../../lambda/functions/token-api/contract';
import { investorsApiContract } from '../../lambda/functions/investors-api/contract';
import { kycWebhookContract } from '../../lambda/functions/kyc-webhook/contract';
import { openApiDocument } from '../../lambda/platform/api-contract';

/** Every HTTP function's route contracts: a route of ROUTES without one fails the document (and its test). */
const CONTRACTS = { ...investorsApiContract, ...kycWebhookContract, ...casesApiContract, ...auditApiContract, ...tokenApiContract };

/** The OpenAPI 3.1 document of the HTTP API, generated from ROUTES and the schemas the handlers validate with. */
export function apiDocument() {
  return openApiDocument(ROUTES, CONTRACTS, {
    title: 'treasury-compliance',
    version: '1',
    description:
      'The compliance back end of a tokenized US Treasury fund: investors and their wallets (the fund portal, operators), KYC vendors\' webhooks, the review queue (compliance officers), the audit trail (auditors). Every route but the webhooks needs a Cognito bearer token with one of its roles; errors are `{"error": {"code", "message", "issues"?}}`.',
  });
}

/** The document as written to docs/openapi.json. */
export function apiDocumentText(): string {
  return `${JSON.stringify(apiDocument(), null, 2)}\n`;
}
