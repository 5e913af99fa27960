import {
  approveCase,
  caseHistory,
  claimCase,
  claimNextCase,
  decideCase,
  listCases,
  parseCaseList,
  rejectProposal,
  releaseCase,
  showCase,
} from '../../modules/cases';
import { parseSdnId } from '../../modules/screening';
import { NotFoundError, ValidationError } from '../../shared';
import { authorize, httpFunction, json, parseJsonBody, type HttpEvent } from '../../platform/http';
import type { CasesApiDeps } from './root';

/** Bodies are optional where every field is: no body means `{}`. */
const optionalBody = (event: HttpEvent) => (event.body ? parseJsonBody(event) : {});

/** List versions are `ofac-sdn:<date>:<hash>`; a client may send the colons percent-encoded (twice, through a proxy). */
const listVersionOf = (event: HttpEvent) => {
  const raw = event.pathParameters?.listVersion ?? '';
  try {
    return decodeURIComponent(raw);
  } catch (cause) {
    throw new ValidationError([{ field: 'listVersion', problem: 'is not valid percent-encoding' }], { cause });
  }
};

/** Compliance officers work the review queue; auditors may list and read cases (each view is recorded), their history and the listed entries. */
export function createHandler(deps: CasesApiDeps) {
  return httpFunction(async (event) => {
    const caller = authorize(event);
    const officer = { subject: caller.subject, actor: caller.actor };
    const caseId = event.pathParameters?.caseId ?? '';
    switch (event.routeKey) {
      case 'GET /cases':
        return json(200, { cases: await listCases(deps, parseCaseList(event.queryStringParameters ?? {})) });
      case 'GET /cases/{caseId}':
        return json(200, await showCase(deps, caseId, officer));
      case 'GET /cases/{caseId}/history':
        return json(200, await caseHistory(deps, caseId));
      case 'GET /lists/{listVersion}/entries/{sdnId}':
        return json(200, await deps.entries.entry(listVersionOf(event), parseSdnId(event.pathParameters?.sdnId)));
      case 'POST /cases/claim-next':
        return json(200, { case: (await claimNextCase(deps, optionalBody(event), officer)) ?? null });
      case 'POST /cases/{caseId}/claim':
        return json(200, await claimCase(deps, caseId, officer));
      case 'POST /cases/{caseId}/release':
        return json(200, await releaseCase(deps, caseId, officer));
      case 'POST /cases/{caseId}/decision':
        return json(200, await decideCase(deps, caseId, parseJsonBody(event), officer));
      case 'POST /cases/{caseId}/approve':
        return json(200, await approveCase(deps, caseId, optionalBody(event), officer));
      case 'POST /cases/{caseId}/reject':
        return json(200, await rejectProposal(deps, caseId, parseJsonBody(event), officer));
      default:
        throw new NotFoundError(`no route ${event.routeKey}`);
    }
  });
}
