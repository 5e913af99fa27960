import { queueUrl } from '../../config/env';
import { allowlistHandler, createAllowlistWorker } from './root';

/** Applies allowlist changes to the ERC-3643 registries; see lambda/domain/allowlist/intake.ts. */
export const handler = allowlistHandler(createAllowlistWorker(), queueUrl('allowlist'));
