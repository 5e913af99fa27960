import type { CheckpointBody } from './checkpoint-body';
import type { AuditLogItems, CheckpointBodies } from './ports';
import { AuditVerifier, type VerifyReport } from './verify';

export interface VerifyLogDeps {
  readonly items: AuditLogItems;
  readonly bodies: CheckpointBodies;
  readonly publicKeyPem: string;
}

/** Verifies the stored log (or one stream of it) against its checkpoints: `cli audit verify` and `GET /audit/verify`. */
export async function verifyAuditLog(deps: VerifyLogDeps, options: { onlyStream?: string; onProgress?: (items: number) => void } = {}): Promise<VerifyReport> {
  const verifier = new AuditVerifier(deps.publicKeyPem, options.onlyStream);
  for await (const batch of deps.items.scan({ onlyStream: options.onlyStream })) {
    for (const record of batch.records) verifier.addRecord(record);
    for (const marker of batch.markers) verifier.addMarker(marker.key, marker.stream, marker.seq);
    options.onProgress?.(batch.scanned);
  }
  const bodies = new Map<string, CheckpointBody>();
  for (const key of verifier.checkpointBodyKeys()) {
    const body = await deps.bodies.get(key);
    if (body) bodies.set(key, body);
  }
  return verifier.finish(bodies);
}
