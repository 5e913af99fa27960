import { countryCodeOf } from './countries';
import { entryHashOf, listIdOf, type SanctionsEntry, type SanctionsList, type TokenWeighting } from './list';
import type { ListId, ListOutcomes } from './lists';
import { NameIndex, tokenSimilarity, tokenVariants, type NameField, type TokenMatches } from './name-index';
import { abjadKeyOf, displayOrder } from './normalize';
import type { MatchEvidence, ScreeningMatch, ScreeningSubject } from './screener';
import { isAbjad } from './transliterate';
import { normaliseWallet } from './wallets';

export interface Thresholds {
  /** A match at or above this score is a potential match: a case for a human, never an automatic action. */
  readonly review: number;
  /**
   * A match at or above this score may block at once (where its list's outcome says so). Only exact
   * identifiers (wallet addresses, score 1) reach it: a name, however close, goes to review.
   */
  readonly block: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { review: 0.84, block: 1 };

/** Conflicting facts lower a name score; agreeing ones never raise it above what the name earned. */
const TYPE_CONFLICT = 0.85;
const DOB_CONFLICT = 0.8;
const DOB_NEAR = 0.95;
const COUNTRY_CONFLICT = 0.95;

interface EntryMatch {
  score: number;
  field: NameField;
  matchedName: string;
}

/**
 * One list version's entries, indexed: an exact map of normalised wallet addresses and a fuzzy
 * name index. Its scores depend only on the query, the entry and the token weighting, never on
 * which other entries are indexed beside it: an index of a few entries scores them exactly as the
 * whole list's index does (what a delta re-screen rests on).
 */
export class ListIndex {
  readonly list: ListId;
  readonly index: NameIndex;
  private readonly wallets = new Map<string, number[]>();
  private readonly bySdnId = new Map<number, number>();
  private readonly entryHashes = new Map<number, string>();

  constructor(
    readonly source: SanctionsList,
    readonly thresholds: Thresholds,
    weighting?: TokenWeighting,
    readonly entries: readonly SanctionsEntry[] = source.entries,
  ) {
    this.list = listIdOf(source.version);
    const names: { entry: number; field: NameField; text: string; individual: boolean }[] = [];
    entries.forEach((entry, i) => {
      this.bySdnId.set(entry.sdnId, i);
      const individual = entry.type === 'individual';
      names.push({ entry: i, field: 'name', text: displayOrder(entry.name, entry.type), individual });
      for (const alias of entry.aliases)
        names.push({ entry: i, field: alias.strength === 'weak' ? 'weak_alias' : 'alias', text: displayOrder(alias.name, entry.type), individual });
      for (const wallet of entry.wallets) {
        const key = normaliseWallet(wallet.address);
        const holders = this.wallets.get(key) ?? [];
        if (!holders.includes(i)) holders.push(i);
        this.wallets.set(key, holders);
      }
    });
    this.index = new NameIndex(names, thresholds.review, weighting);
  }

  entry(sdnId: number): SanctionsEntry | undefined {
    const i = this.bySdnId.get(sdnId);
    return i === undefined ? undefined : this.entries[i];
  }

  /** Every normalised wallet address on the list with the SDN ids that hold it. */
  listedWallets(): ReadonlyMap<string, readonly number[]> {
    return new Map([...this.wallets].map(([address, holders]) => [address, holders.map((i) => this.entries[i]!.sdnId)]));
  }

  /** The matches at or above review, in no particular order; the outcome each would have under `outcomes`. */
  matches(subject: ScreeningSubject, mode: 'indexed' | 'exhaustive', outcomes: ListOutcomes): ScreeningMatch[] {
    const matches: ScreeningMatch[] = [];
    const walletHits = new Set<number>();
    for (const wallet of subject.wallets ?? []) {
      for (const i of this.wallets.get(normaliseWallet(wallet)) ?? []) {
        if (walletHits.has(i)) continue;
        walletHits.add(i);
        const entry = this.entries[i]!;
        const address = entry.wallets.find((listed) => normaliseWallet(listed.address) === normaliseWallet(wallet))!;
        matches.push(
          this.match(
            entry,
            1,
            'address',
            `${address.currency} ${address.address}`,
            { dateOfBirth: 'not_compared', country: 'not_compared', type: 'not_compared' },
            outcomes,
            wallet,
          ),
        );
      }
    }
    if (subject.name) {
      for (const [i, found] of this.nameMatches(subject.name, mode)) {
        if (walletHits.has(i)) continue;
        const entry = this.entries[i]!;
        const { factor, evidence, corroborated } = compareFacts(entry, subject);
        // Weak a.k.a.s are broad (OFAC's own word): they count only where another fact confirms them.
        const best = found.weak && corroborated && found.weak.score > (found.strong?.score ?? 0) ? found.weak : found.strong;
        if (!best) continue;
        const score = best.score * factor;
        if (score >= this.thresholds.review) matches.push(this.match(entry, Math.min(score, 1), best.field, best.matchedName, evidence, outcomes));
      }
    }
    return matches;
  }

  /** Forgets what the index remembers between queries, so a benchmark can time first lookups. */
  forgetCaches(): void {
    this.index.forgetNearTokens();
  }

  private match(
    entry: SanctionsEntry,
    score: number,
    matchedOn: ScreeningMatch['matchedOn'],
    matchedName: string,
    facts: MatchEvidence['facts'],
    outcomes: ListOutcomes,
    wallet?: string,
  ): ScreeningMatch {
    let entryHash = this.entryHashes.get(entry.sdnId);
    if (entryHash === undefined) this.entryHashes.set(entry.sdnId, (entryHash = entryHashOf(entry)));
    const rounded = Math.round(score * 1e4) / 1e4;
    const outcome = matchedOn === 'address' && rounded >= this.thresholds.block ? outcomes[this.list].wallet : outcomes[this.list].name;
    return {
      sdnId: entry.sdnId,
      name: entry.name,
      programs: entry.programs,
      score: rounded,
      matchedOn,
      list: this.list,
      outcome,
      evidence: { matchedName, entryHash, facts, ...(wallet === undefined ? {} : { wallet }) },
    };
  }

  /** Best score per entry over every spelling variant of the query: of its name and strong aliases, and of its weak aliases. */
  private nameMatches(name: string, mode: 'indexed' | 'exhaustive'): Map<number, { strong?: EntryMatch; weak?: EntryMatch }> {
    const best = new Map<number, { strong?: EntryMatch; weak?: EntryMatch }>();
    const variants = tokenVariants(name);
    const queryParts = new Set(variants[0]).size;
    const abjad = isAbjad(name);
    for (const variant of variants) {
      const queryTokens = [...new Set(variant)];
      let formIds: Iterable<number>;
      let similarityOf: (q: number, tokenId: number) => number;
      if (mode === 'indexed') {
        const near: TokenMatches[] = queryTokens.map((token) => this.index.nearTokens(token, abjad));
        formIds = this.index.candidates(near, this.thresholds.review, queryTokens, queryParts);
        similarityOf = (q, tokenId) => near[q]!.get(tokenId) ?? 0;
      } else {
        formIds = this.index.forms.keys();
        const keys = queryTokens.map((token) => (abjad ? abjadKeyOf(token) : ''));
        similarityOf = (q, tokenId) =>
          tokenSimilarity(
            queryTokens[q]!,
            this.index.tokens[tokenId]!,
            undefined,
            abjad ? { query: keys[q]!, listed: this.index.abjadKey(tokenId) } : undefined,
          );
      }
      for (const formId of formIds) {
        const score = this.index.score(formId, queryTokens, queryParts, similarityOf);
        if (score <= 0) continue;
        const form = this.index.forms[formId]!;
        let slot = best.get(form.entry);
        if (!slot) best.set(form.entry, (slot = {}));
        const kind = form.field === 'weak_alias' ? 'weak' : 'strong';
        const current = slot[kind];
        if (!current || score > current.score || (score === current.score && form.field === 'name' && current.field !== 'name')) {
          slot[kind] = { score, field: form.field, matchedName: form.text };
        }
      }
    }
    return best;
  }
}

/** How the subject's other facts compare with the entry's: a factor ≤ 1 and what an officer needs to see. */
function compareFacts(entry: SanctionsEntry, subject: ScreeningSubject): { factor: number; evidence: MatchEvidence['facts']; corroborated: boolean } {
  let factor = 1;
  let corroborated = false;
  let type: MatchEvidence['facts']['type'] = 'not_compared';
  if (subject.type) {
    const listedIndividual = entry.type === 'individual';
    type = (subject.type === 'individual') === listedIndividual ? 'match' : 'conflict';
    if (type === 'conflict') factor *= TYPE_CONFLICT;
  }
  let dateOfBirth: MatchEvidence['facts']['dateOfBirth'] = 'not_compared';
  const dob = subject.dateOfBirth?.trim();
  if (dob && entry.datesOfBirth.length > 0 && /^\d{4}(-\d{2}-\d{2})?$/.test(dob)) {
    const [from, to] = dob.length === 4 ? [`${dob}-01-01`, `${dob}-12-31`] : [dob, dob];
    const year = Number(dob.slice(0, 4));
    if (entry.datesOfBirth.some((listed) => listed.exactDay && listed.from === dob)) dateOfBirth = 'exact';
    else if (entry.datesOfBirth.some((listed) => listed.from <= to && from <= listed.to)) dateOfBirth = 'compatible';
    else if (entry.datesOfBirth.some((listed) => Number(listed.from.slice(0, 4)) - 1 <= year && year <= Number(listed.to.slice(0, 4)) + 1))
      dateOfBirth = 'near';
    else dateOfBirth = 'conflict';
    if (dateOfBirth === 'exact' || dateOfBirth === 'compatible') corroborated = true;
    if (dateOfBirth === 'near') factor *= DOB_NEAR;
    if (dateOfBirth === 'conflict') factor *= DOB_CONFLICT;
  }
  let country: MatchEvidence['facts']['country'] = 'not_compared';
  const code = subject.country ? countryCodeOf(subject.country) : undefined;
  if (code && entry.countries.length > 0) {
    country = entry.countries.includes(code) ? 'match' : 'conflict';
    if (country === 'match') corroborated = true;
    else factor *= COUNTRY_CONFLICT;
  }
  return { factor, evidence: { dateOfBirth, country, type }, corroborated };
}
