import { NotFoundError, ValidationError, fieldIssuesFrom } from '../../shared';
import {
  addWallet,
  attachKycApplicant,
  loadInvestor,
  offboardInvestor,
  registerInvestor,
  reinstateInvestor,
  removeWallet,
  suspendInvestor,
} from '../../modules/investors';
import { authorize, httpFunction, json, parseJsonBody, parseJsonObject, type HttpEvent } from '../../platform/http';
import { investorWalletStates } from '../../modules/allowlist';
import { kycHistory } from '../../modules/kyc';
import { investorScreenings } from '../../modules/screening';
import { reasonBodySchema } from './contract';
import type { InvestorsApiDeps } from './root';

const reasonOf = (event: HttpEvent) => {
  const parsed = reasonBodySchema.safeParse(parseJsonObject(event, { optional: true }));
  if (!parsed.success) throw new ValidationError(fieldIssuesFrom(parsed.error.issues));
  return parsed.data.reason || 'no reason given';
};

/** The fund portal registers investors and their wallets; operators suspend, reinstate and offboard; officers and operators read what the console shows. */
export function createHandler(deps: InvestorsApiDeps) {
  return httpFunction(async (event) => {
    const caller = authorize(event);
    const investorId = event.pathParameters?.investorId ?? '';
    switch (event.routeKey) {
      case 'POST /investors': {
        const { investor, created } = await registerInvestor(deps, parseJsonBody(event), caller.actor);
        return json(created ? 201 : 200, investor);
      }
      case 'GET /investors/{investorId}':
        return json(200, await loadInvestor(deps.investors, investorId));
      case 'PUT /investors/{investorId}/kyc':
        return json(200, await attachKycApplicant(deps, investorId, parseJsonBody(event), caller.actor));
      case 'POST /investors/{investorId}/wallets':
        return json(200, await addWallet(deps, investorId, parseJsonObject(event).wallet, caller.actor));
      case 'DELETE /investors/{investorId}/wallets/{wallet}':
        return json(200, await removeWallet(deps, investorId, event.pathParameters?.wallet, caller.actor));
      case 'POST /investors/{investorId}/suspend':
        return json(200, await suspendInvestor(deps, investorId, reasonOf(event), caller.actor));
      case 'POST /investors/{investorId}/reinstate':
        return json(200, await reinstateInvestor(deps, investorId, caller.actor));
      case 'POST /investors/{investorId}/offboard':
        return json(200, await offboardInvestor(deps, investorId, reasonOf(event), caller.actor));
      case 'GET /investors/{investorId}/kyc':
        return json(200, await kycHistory(deps, investorId));
      case 'GET /investors/{investorId}/screenings':
        return json(200, await investorScreenings(deps, investorId));
      case 'GET /investors/{investorId}/wallets':
        return json(200, await investorWalletStates(deps, investorId));
      default:
        throw new NotFoundError(`no route ${event.routeKey}`);
    }
  });
}
