import type { CheckpointBody } from './checkpoint-body';
import type { AuditLogItems, CheckpointBodies, CheckpointBodyListing } from './ports';
import { CHECKPOINT_STREAM } from './record';
import { AuditVerifier, type VerifyReport } from './verify';

export interface VerifyLogDeps {
  readonly items: AuditLogItems;
  readonly bodies: Pick<CheckpointBodies, 'get'> & CheckpointBodyListing;
  readonly publicKeyPem: string;
}

/** Bodies fetched side by side: a year of checkpoints every 15 minutes is 35,000 objects. */
const BODIES_IN_FLIGHT = 16;

/**
 * Verifies the stored log (or one stream of it) against its checkpoints: `cli audit verify` and
 * `GET /audit/verify`. The checkpoint bucket is listed before the table is read, so a checkpoint
 * sealed while the scan runs is at worst named by the table and fetched by its key. A body listed but
 * not named by what the scan read (a run between its two writes: the scan may have passed the
 * record's place) makes the checkpoint chain be read again; only a run that is still between them
 * then, or stopped there, looks missing from the table.
 */
export async function verifyAuditLog(deps: VerifyLogDeps, options: { onlyStream?: string; onProgress?: (items: number) => void } = {}): Promise<VerifyReport> {
  const keys = new Set<string>();
  for await (const page of deps.bodies.keys()) for (const key of page) keys.add(key);
  const verifier = new AuditVerifier(deps.publicKeyPem, options.onlyStream);
  for await (const batch of deps.items.scan({ onlyStream: options.onlyStream })) {
    for (const record of batch.records) verifier.addRecord(record);
    for (const marker of batch.markers) verifier.addMarker(marker.key, marker.stream, marker.seq);
    options.onProgress?.(batch.scanned);
  }
  const named = new Set(verifier.checkpointBodyKeys());
  if ([...keys].some((key) => !named.has(key))) {
    // A body the scanned chain does not name: its run may have recorded it behind the scan. Read the chain again.
    for await (const batch of deps.items.scan({ onlyStream: CHECKPOINT_STREAM })) for (const record of batch.records) verifier.addLateCheckpoint(record);
  }
  for (const key of verifier.checkpointBodyKeys()) keys.add(key);
  const bodies = new Map<string, CheckpointBody>();
  const pending = [...keys].sort();
  for (let index = 0; index < pending.length; index += BODIES_IN_FLIGHT) {
    const batch = pending.slice(index, index + BODIES_IN_FLIGHT);
    const fetched = await Promise.all(batch.map((key) => deps.bodies.get(key)));
    fetched.forEach((body, offset) => body && bodies.set(batch[offset]!, body));
  }
  return verifier.finish(bodies);
}
