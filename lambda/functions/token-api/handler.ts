import { approveOperation, proposeUnpause, requestPause, showOperation, tokenStatus } from '../../modules/token';
import { NotFoundError } from '../../shared';
import { authorize, httpFunction, json, parseJsonBody } from '../../platform/http';
import type { TokenApiDeps } from './root';

/** Emergency controls: a responder pauses alone; an unpause is proposed by one officer or responder and approved by another. */
export function createHandler(deps: TokenApiDeps) {
  return httpFunction(async (event) => {
    const caller = authorize(event);
    const actor = { subject: caller.subject, actor: caller.actor };
    switch (event.routeKey) {
      case 'POST /token/pause': {
        const { operation, alreadyPaused } = await requestPause(deps, parseJsonBody(event), actor);
        return json(202, { operation, alreadyPaused });
      }
      case 'POST /token/unpause':
        return json(202, { operation: await proposeUnpause(deps, parseJsonBody(event), actor) });
      case 'POST /token/operations/{operationId}/approve':
        return json(202, { operation: await approveOperation(deps, event.pathParameters?.operationId ?? '', actor) });
      case 'GET /token/operations/{operationId}':
        return json(200, await showOperation(deps, event.pathParameters?.operationId ?? ''));
      case 'GET /token/status':
        return json(200, await tokenStatus({ store: deps.store, readers: await deps.readers() }));
      default:
        throw new NotFoundError(`no route ${event.routeKey}`);
    }
  });
}
