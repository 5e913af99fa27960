import { NotFoundError } from '../domain/errors';
import { registerInvestor } from '../domain/investors';
import { authorize, httpHandler, json, parseJsonBody } from './shared/http';
import { wiring } from './shared/wiring';

const deps = { investors: wiring.investors(), audit: wiring.audit(), screening: wiring.screeningRequests() };

export const handler = httpHandler(async (event) => {
  const caller = authorize(event);
  switch (event.routeKey) {
    case 'POST /investors': {
      const { investor, created } = await registerInvestor(deps, parseJsonBody(event), caller.actor);
      return json(created ? 201 : 200, investor);
    }
    case 'GET /investors/{investorId}': {
      const investorId = event.pathParameters?.investorId ?? '';
      const investor = await deps.investors.get(investorId);
      if (!investor) throw new NotFoundError(`no investor with id ${investorId}`);
      return json(200, investor);
    }
    default:
      throw new NotFoundError(`no route ${event.routeKey}`);
  }
});
