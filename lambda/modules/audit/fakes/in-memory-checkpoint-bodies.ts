import { CHECKPOINT_BODY_PREFIX, checkpointBodyKey } from '../checkpoint';
import type { CheckpointBody } from '../checkpoint-body';
import type { CheckpointBodies, CheckpointBodyListing } from '../ports';

/** S3 lists at most 1000 keys a page; small pages make tests cross page boundaries. */
const LIST_PAGE = 3;

/**
 * The checkpoint bucket in memory, as S3CheckpointBodies uses it: a body is stored as JSON under
 * `checkpointBodyKey`, read back parsed, and listed in key order a page at a time. `putObject` writes
 * any bytes under any key, as someone with PutObject on the bucket could; nothing deletes (Object Lock).
 */
export class InMemoryCheckpointBodies implements CheckpointBodies, CheckpointBodyListing {
  private readonly objects = new Map<string, string>();

  async put(body: CheckpointBody): Promise<string> {
    const key = checkpointBodyKey(body);
    this.objects.set(key, JSON.stringify(body));
    return key;
  }

  async get(key: string): Promise<CheckpointBody | undefined> {
    const text = this.objects.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as CheckpointBody);
  }

  async *keys(): AsyncIterable<string[]> {
    const keys = [...this.objects.keys()].filter((key) => key.startsWith(CHECKPOINT_BODY_PREFIX)).sort();
    for (let index = 0; index < keys.length; index += LIST_PAGE) yield keys.slice(index, index + LIST_PAGE);
  }

  putObject(key: string, value: unknown): void {
    this.objects.set(key, JSON.stringify(value));
  }

  /** How many objects the bucket holds. */
  get size(): number {
    return this.objects.size;
  }
}
