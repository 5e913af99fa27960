import { tokenRequestSchema } from '../../modules/token';
import type { FunctionContract } from '../../platform/api-contract';

export const tokenApiContract: FunctionContract = {
  'POST /token/pause': {
    summary: 'Pause the token on every configured chain, at once, without a second person (emergency responders)',
    description:
      'Holds the allowlist pipeline too (adds and unfreezes wait; removals and freezes still apply). Asking again while paused returns the pause in force and re-queues the chains it has not finished on.',
    body: tokenRequestSchema,
    success: { status: 202, description: '`{"operation": ..., "alreadyPaused": bool}`; `GET /token/status` shows each chain once its transaction is mined.' },
  },
  'POST /token/unpause': {
    summary: 'Propose to unpause the token (four-eyes: a different officer or responder approves)',
    body: tokenRequestSchema,
    success: { status: 202, description: '`{"operation": ...}`, proposed.' },
    errors: [409],
  },
  'POST /token/operations/{operationId}/approve': {
    summary: "Approve another person's unpause proposal (never your own: 403); the unpause goes to every chain",
    success: { status: 202, description: '`{"operation": ...}`, approved.' },
    errors: [404, 409],
  },
  'GET /token/operations/{operationId}': {
    summary: 'A token operation with its outcome per chain (transaction hash, block, gas)',
    success: { status: 200, description: 'The operation.' },
    errors: [404],
  },
  'GET /token/status': {
    summary: "The token's state per chain as each chain answers (paused or not), with the operation in force and its transaction there",
    success: { status: 200, description: 'The status.' },
  },
};
