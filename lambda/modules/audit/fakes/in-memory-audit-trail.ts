import { AuditLog } from '../audit-log';
import { runCheckpoint, type CheckpointDeps } from '../checkpoint';
import { verifyAuditLog } from '../verify-log';
import { InMemoryAuditRecords } from './in-memory-audit-records';
import { InMemoryAuditSigner } from './in-memory-audit-signer';
import { InMemoryAuditStore } from './in-memory-audit-store';
import { InMemoryCheckpointBodies } from './in-memory-checkpoint-bodies';
import { InMemoryCoverageIndex } from './in-memory-coverage-index';

/**
 * The whole audit trail in memory, wired as the functions wire it: the table (store, records and
 * the coverage index), the checkpoint bucket and a signer; `checkpoint` runs at a given time,
 * `verify` checks against the signer's public key.
 */
export function inMemoryAuditTrail(options: { settleMs?: number; now?: () => Date } = {}) {
  const store = new InMemoryAuditStore();
  const records = new InMemoryAuditRecords(store);
  const coverage = new InMemoryCoverageIndex();
  const bodies = new InMemoryCheckpointBodies();
  const signer = new InMemoryAuditSigner();
  const checkpointDeps: CheckpointDeps = { store, records, coverage, bodies, signer, actor: 'system:audit-checkpoint', settleMs: options.settleMs ?? 0 };
  return {
    store,
    records,
    coverage,
    bodies,
    signer,
    audit: new AuditLog(store, options.now),
    checkpointDeps,
    checkpoint: (at: Date) => runCheckpoint({ ...checkpointDeps, now: () => at }),
    verify: async (onlyStream?: string) => verifyAuditLog({ items: records, bodies, publicKeyPem: await signer.publicKeyPem() }, { onlyStream }),
  };
}
