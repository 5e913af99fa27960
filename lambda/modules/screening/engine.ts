import type { ListDiff } from './diff';
import { listIdOf, type ListVersion, type SanctionsEntry, type SanctionsList, type TokenWeighting } from './list';
import { ListIndex, DEFAULT_THRESHOLDS, type Thresholds } from './list-index';
import { DEFAULT_LIST_OUTCOMES, LIST_IDS, type ListId, type ListOutcomes } from './lists';
import type { ScreeningMatch, ScreeningOutcome, Screener, ScreeningSubject, Verdict } from './screener';
import { hasNonLatinLetters, romanise } from './transliterate';

export { DEFAULT_THRESHOLDS, type Thresholds } from './list-index';
export const MAX_MATCHES = 10;

/**
 * Bumped whenever a change to normalisation or scoring could change any result: a screening made
 * by another engine version is never carried forward by a delta re-screen.
 */
export const ENGINE_VERSION = 'engine-2';

/** How a list's current version came from its previous one, when a delta re-screen may carry results forward. */
export interface ListChange {
  readonly list: ListId;
  readonly fromVersion: string;
  readonly toVersion: string;
  readonly diff: ListDiff;
}

export interface EngineOptions {
  readonly thresholds?: Thresholds;
  readonly outcomes?: ListOutcomes;
  /** Changes that delta re-screens may apply (each list's current version reached from its previous one). */
  readonly changes?: readonly ListChange[];
}

/** The versions a screening was made against, one per list; records from before several lists name the SDN version only. */
export function listVersionsOf(outcome: Pick<ScreeningOutcome, 'listVersion' | 'listVersions'>): Partial<Record<ListId, string>> {
  if (outcome.listVersions) return outcome.listVersions;
  return outcome.listVersion.includes('+') ? {} : { 'ofac-sdn': outcome.listVersion };
}

/**
 * The screening engine for one version of each list screened (SDN, and the consolidated non-SDN
 * lists): per list an exact map of normalised wallet addresses and a fuzzy name index. Pure and
 * synchronous; build once per set of versions and reuse (a cold start).
 */
export class ScreeningEngine implements Screener {
  readonly thresholds: Thresholds;
  readonly outcomes: ListOutcomes;
  private readonly parts: ListIndex[];
  private readonly changes: readonly ListChange[];
  private readonly deltas = new Map<string, { index: ListIndex; touched: ReadonlySet<number> }>();
  private readonly versionsByList: Partial<Record<ListId, string>>;

  constructor(lists: SanctionsList | readonly SanctionsList[], options: EngineOptions | Thresholds = {}) {
    const settings: EngineOptions = 'review' in options ? { thresholds: options } : options;
    this.thresholds = settings.thresholds ?? DEFAULT_THRESHOLDS;
    this.outcomes = settings.outcomes ?? DEFAULT_LIST_OUTCOMES;
    this.changes = settings.changes ?? [];
    const ordered = [...(Array.isArray(lists) ? lists : [lists as SanctionsList])].sort(
      (a, b) => LIST_IDS.indexOf(listIdOf(a.version)) - LIST_IDS.indexOf(listIdOf(b.version)),
    );
    this.parts = ordered.map((list) => new ListIndex(list, this.thresholds, list.weighting));
    this.versionsByList = Object.fromEntries(this.parts.map((part) => [part.list, part.source.version.id]));
  }

  /** The first list (the SDN list where it is screened). */
  get list(): SanctionsList {
    return this.parts[0]!.source;
  }

  get lists(): readonly SanctionsList[] {
    return this.parts.map((part) => part.source);
  }

  /** One list: its version; several: a version whose id joins theirs (`ofac-sdn:…+ofac-cons:…`). */
  get version(): Pick<ListVersion, 'id'> & Partial<ListVersion> {
    if (this.parts.length === 1) return this.parts[0]!.source.version;
    return { id: this.parts.map((part) => part.source.version.id).join('+') };
  }

  get listVersions(): Partial<Record<ListId, string>> {
    return this.versionsByList;
  }

  /** How each list's names are weighted (to carry forward to the next version of the list). */
  weightingOf(list: ListId, countedIn: string): TokenWeighting | undefined {
    return this.parts.find((part) => part.list === list)?.index.weighting(countedIn);
  }

  entry(sdnId: number, list: ListId = 'ofac-sdn'): SanctionsEntry | undefined {
    return this.parts.find((part) => part.list === list)?.entry(sdnId);
  }

  /** Every normalised wallet address on the first list with the SDN ids that hold it. */
  listedWallets(): ReadonlyMap<string, readonly number[]> {
    return this.parts[0]!.listedWallets();
  }

  /** Forgets what the indexes remember between queries, so a benchmark can time first lookups. */
  forgetCaches(): void {
    for (const part of [...this.parts, ...[...this.deltas.values()].map((delta) => delta.index)]) part.forgetCaches();
  }

  screen(subject: ScreeningSubject): ScreeningOutcome {
    return this.outcomeOf(
      subject,
      this.parts.flatMap((part) => part.matches(subject, 'indexed', this.outcomes)),
    );
  }

  /** The same scorer against every listed name, without the index: the benchmark's baseline. */
  screenExhaustive(subject: ScreeningSubject): ScreeningOutcome {
    return this.outcomeOf(
      subject,
      this.parts.flatMap((part) => part.matches(subject, 'exhaustive', this.outcomes)),
    );
  }

  /**
   * The outcome a full screening gives, reached from the subject's previous screening when only one
   * list has changed since, by a change this engine may apply: the previous matches on entries
   * that stayed as they were are kept (their scores cannot have moved: same entry, same weighting,
   * same engine), and the subject is screened only against the entries added or changed, in a small
   * index of those. Anything else (another engine, a truncated previous result, two lists moved) is
   * a full screening.
   */
  rescreen(subject: ScreeningSubject, previous: ScreeningOutcome & { engineVersion?: string }): ScreeningOutcome {
    const change = this.applicableChange(previous);
    if (!change) return this.screen(subject);
    const delta = this.deltaIndex(change);
    const kept = previous.matches
      .filter((match) => (match.list ?? 'ofac-sdn') !== change.list || !delta.touched.has(match.sdnId))
      .map((match) => this.withCurrentOutcome(match));
    return this.outcomeOf(subject, [...kept, ...delta.index.matches(subject, 'indexed', this.outcomes)]);
  }

  /** Whether `rescreen` would carry this previous screening forward (a delta) rather than screen in full. */
  carriesForward(previous: ScreeningOutcome & { engineVersion?: string }): boolean {
    return this.applicableChange(previous) !== undefined;
  }

  private applicableChange(previous: ScreeningOutcome & { engineVersion?: string }): ListChange | undefined {
    if (previous.engineVersion !== ENGINE_VERSION || previous.matches.length >= MAX_MATCHES) return undefined;
    const before = listVersionsOf(previous);
    const now = this.listVersions;
    const moved = this.parts.filter((part) => before[part.list] !== now[part.list]).map((part) => part.list);
    if (moved.length !== 1 || Object.keys(before).some((list) => !(list in now))) return undefined;
    return this.changes.find((change) => change.list === moved[0] && change.fromVersion === before[change.list] && change.toVersion === now[change.list]);
  }

  /** The added and changed entries of a change, indexed with the whole list's weighting, and every entry the change touched. */
  private deltaIndex(change: ListChange): { index: ListIndex; touched: ReadonlySet<number> } {
    const key = `${change.fromVersion}>${change.toVersion}`;
    let delta = this.deltas.get(key);
    if (!delta) {
      const part = this.parts.find((candidate) => candidate.list === change.list)!;
      const wanted = new Set([...change.diff.added, ...change.diff.changed]);
      const entries = part.source.entries.filter((entry) => wanted.has(entry.sdnId));
      const index = new ListIndex(part.source, this.thresholds, part.index.weighting(part.source.weighting?.countedIn ?? part.source.version.id), entries);
      delta = { index, touched: new Set([...wanted, ...change.diff.removed]) };
      this.deltas.set(key, delta);
    }
    return delta;
  }

  /** A carried-forward match takes the outcome today's settings give its list. */
  private withCurrentOutcome(match: ScreeningMatch): ScreeningMatch {
    const list = match.list ?? 'ofac-sdn';
    const outcome = match.matchedOn === 'address' && match.score >= this.thresholds.block ? this.outcomes[list].wallet : this.outcomes[list].name;
    return { ...match, list, outcome };
  }

  private outcomeOf(subject: ScreeningSubject, matches: ScreeningMatch[]): ScreeningOutcome {
    matches.sort((a, b) => b.score - a.score || a.sdnId - b.sdnId || LIST_IDS.indexOf(a.list ?? 'ofac-sdn') - LIST_IDS.indexOf(b.list ?? 'ofac-sdn'));
    const top = matches.slice(0, MAX_MATCHES);
    const outcome: ScreeningOutcome = {
      verdict: verdictOf(top),
      listVersion: this.version.id,
      listVersions: this.listVersions,
      engineVersion: ENGINE_VERSION,
      matches: top,
    };
    // The officer sees the name as the document has it and as it was compared.
    return subject.name && hasNonLatinLetters(subject.name) ? { ...outcome, transliteration: { name: subject.name, latin: romanise(subject.name) } } : outcome;
  }
}

function verdictOf(matches: readonly ScreeningMatch[]): Verdict {
  if (matches.some((match) => match.outcome === 'block')) return 'block';
  return matches.length > 0 ? 'review' : 'clear';
}
