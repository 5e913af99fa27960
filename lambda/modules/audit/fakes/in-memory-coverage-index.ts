import type { Coverage, CoverageIndex } from '../ports';

/**
 * The coverage index in memory, as the audit table keeps it: one item per (stream, checkpoint),
 * written once (a repeat leaves the first), and a completion item per checkpoint written after all
 * of its items. `forget` does what someone with write access to the table could.
 */
export class InMemoryCoverageIndex implements CoverageIndex {
  private readonly byStream = new Map<string, Map<number, Coverage>>();
  private readonly complete = new Set<number>();

  async last(stream: string): Promise<Coverage | undefined> {
    return this.ofStream(stream).at(-1);
  }

  async all(stream: string): Promise<Coverage[]> {
    return this.ofStream(stream);
  }

  async record(number: number, coverage: readonly Coverage[]): Promise<void> {
    for (const item of coverage) {
      let items = this.byStream.get(item.stream);
      if (!items) this.byStream.set(item.stream, (items = new Map()));
      if (!items.has(number)) items.set(number, { ...item, checkpoint: number });
    }
    this.complete.add(number);
  }

  async isComplete(number: number): Promise<boolean> {
    return this.complete.has(number);
  }

  /** Deletes every item of checkpoint `number`, its completion item too. */
  forget(number: number): void {
    for (const items of this.byStream.values()) items.delete(number);
    this.complete.delete(number);
  }

  private ofStream(stream: string): Coverage[] {
    return [...(this.byStream.get(stream)?.values() ?? [])].sort((a, b) => a.checkpoint - b.checkpoint);
  }
}
