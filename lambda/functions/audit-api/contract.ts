import { auditQuerySchema, exportRequestSchema, pageQuerySchema, verifyQuerySchema } from '../../modules/audit';
import { refusalQuerySchema } from '../../modules/kyc';
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
  'GET /audit/webhook-refusals': {
    summary: 'Refused KYC webhooks, counted per vendor, reason and hour (forged, stale, malformed, unknown vendor, oversize)',
    description:
      'Refusals are counters, not audit records: a flood of forged deliveries does not grow the insert-only trail. `from`/`to` default to the last 24 hours; at most 31 days. Reasons: `signature:<failure>`, `malformed:<first field>`, `unknown_vendor`, `too_large`.',
    query: refusalQuerySchema,
    success: { status: 200, description: '`{"from", "to", "total", "counts": [{"hour", "vendor", "reason", "count", "lastAt"}]}`, newest hour first.' },
  },
};
