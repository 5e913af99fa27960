import {
  exportAudit,
  parseAuditQuery,
  parseExportRequest,
  parsePageSize,
  parseVerifyParams,
  publicKeyFingerprint,
  queryAudit,
  verifyAuditLog,
} from '../../modules/audit';
import { parseRefusalQuery, webhookRefusals } from '../../modules/kyc';
import { NotFoundError } from '../../shared';
import { authorize, httpFunction, json, parseJsonBody } from '../../platform/http';
import { logger } from '../../platform/observability';
import type { AuditApiDeps } from './root';

/** Auditors, read-only: query, export with a signed manifest, verify, the key to check signatures with, and the refused webhooks' counts. */
export function createHandler({ records, bodies, signer, refusals, exports: exportDeps }: AuditApiDeps) {
  return httpFunction(async (event) => {
    const caller = authorize(event);
    const params = event.queryStringParameters ?? {};
    switch (event.routeKey) {
      case 'GET /audit/records': {
        const { limit, cursor, ...query } = params;
        return json(200, await queryAudit({ queries: records }, parseAuditQuery(query), parsePageSize(limit), cursor));
      }
      case 'POST /audit/exports': {
        const request = parseExportRequest(parseJsonBody(event));
        const result = await exportAudit(exportDeps, request.query, { forceLink: request.delivery === 'link' });
        logger.info('audit export', { auditor: caller.subject, rows: result.rowCount, delivery: result.delivery });
        return json(200, result);
      }
      case 'GET /audit/verify': {
        const report = await verifyAuditLog({ items: records, bodies, publicKeyPem: await signer.publicKeyPem() }, parseVerifyParams(params));
        if (!report.ok) logger.error('audit verification found breaks', { breaks: report.breaks.length });
        return json(200, report);
      }
      case 'GET /audit/public-key': {
        const publicKeyPem = await signer.publicKeyPem();
        return json(200, { keyId: await signer.keyId(), algorithm: 'ECDSA_P256_SHA256', fingerprint: publicKeyFingerprint(publicKeyPem), publicKeyPem });
      }
      case 'GET /audit/webhook-refusals':
        return json(200, await webhookRefusals({ refusals }, parseRefusalQuery(params, new Date())));
      default:
        throw new NotFoundError(`no route ${event.routeKey}`);
    }
  });
}
