import { auditQuerySchema, exportRequestSchema, pageQuerySchema, verifyQuerySchema } from '../../modules/audit';
import type { FunctionContract } from '../../platform/api-contract';

export const auditApiContract: FunctionContract = {
  'GET /audit/records': {
    summary: 'Audit records of an investor, wallet, case or stream, and/or of a type, within a time range',
    query: [auditQuerySchema, pageQuerySchema],
    success: { status: 200, description: '`{"records": [...], "cursor"?}`' },
  },
  'POST /audit/exports': {
    summary: 'Export the records a query matches, as JSON Lines with a signed manifest',
    body: exportRequestSchema,
    success: { status: 200, description: 'The export inline (up to 1 MB) or two presigned links.' },
    errors: [413],
  },
  'GET /audit/verify': {
    summary: 'Verify every hash chain and checkpoint (or one stream) and list each break',
    query: verifyQuerySchema,
    success: { status: 200, description: 'The verification report, with the window not yet anchored.' },
  },
  'GET /audit/public-key': {
    summary: 'The key that checks checkpoint and manifest signatures',
    success: { status: 200, description: 'PEM, key id and sha256 fingerprint.' },
  },
};
