import { IntMultiMap, hashSkipping } from './int-multimap';
import { LOW_INFORMATION_TOKENS, abjadKeyOf, nameTokens, skeletonOf } from './normalize';
import type { TokenWeighting } from './list';
import { jaroWinkler } from './similarity';

export type NameField = 'name' | 'alias' | 'weak_alias';

/** One way an entry can be written: its primary name, an alias, or a joined-up variant of either. */
export interface NameForm {
  readonly entry: number;
  readonly field: NameField;
  readonly text: string;
  /** A person's name: any one of its tokens alone (a surname, a kunya like ABU) is not enough. */
  readonly individual: boolean;
  /** Tokens of the name as written, before any joining-up variant. */
  readonly parts: number;
  readonly tokens: Int32Array;
  readonly weightSum: number;
  readonly informativeCount: number;
}

/** Token pairs below this similarity count as unmatched (numbers and tokens of 3 letters or fewer must be equal). */
export const TOKEN_MATCH_FLOOR = 0.8;
/** Same-skeleton pairs from this Jaro-Winkler up gain this much. */
const SKELETON_LIFT_FROM = 0.72;
const SKELETON_LIFT = 0.1;
/** A listed name matched on one meaningful token only (a surname alone) stays below any review threshold. */
const SINGLE_TOKEN_CAP = 0.7;
/** How much an unmatched listed token costs, by its share of the listed name's weight. */
const LISTED_GAP_PENALTY = 0.35;
/** How much an unmatched query token costs (extra middle names are common, so less) ... */
const QUERY_GAP_PENALTY = 0.15;
/** ... unless the listed name has a single meaningful token: then the query must be mostly that token. */
const QUERY_GAP_PENALTY_SINGLE = 0.45;
/**
 * A token of a name written in Arabic or Hebrew script carries its consonants only: one whose
 * consonant key equals a listed token's (MHMD / MUHAMMAD) is that close, never exact.
 */
export const ABJAD_SIMILARITY = 0.9;
/** Keys of one consonant (AWAD → d) say too little to match on. */
const MIN_ABJAD_KEY = 2;
/** Low-information tokens (legal forms, particles) weigh this share of their frequency weight. */
const LOW_INFORMATION_FACTOR = 0.25;

const isLowInformation = (token: string) => token.length === 1 || LOW_INFORMATION_TOKENS.has(token);

const PARTICLES = new Set(['al', 'el', 'ul', 'ud', 'ur', 'abd', 'abdul', 'abdel', 'abu', 'bin', 'ibn', 'bint', 'ben']);

/**
 * The token lists a name is compared by: its tokens, plus joined-up variants where spelling
 * habitually varies (AL-ZOMOR / Alzomor, Abd Al Aziz / Abdulaziz).
 */
export function tokenVariants(text: string): string[][] {
  const base = nameTokens(text);
  if (base.length === 0) return [];
  const variants = [base];
  if (text.includes('-') && /\p{L}-\p{L}/u.test(text)) {
    const hyphenJoined = nameTokens(text.replace(/(\p{L})-(?=\p{L})/gu, '$1'));
    if (hyphenJoined.join(' ') !== base.join(' ')) variants.push(hyphenJoined);
  }
  if (base.length > 1 && base.some((token, i) => PARTICLES.has(token) && i < base.length - 1)) {
    // A particle joins the next token unless that is a legal form or function word (AL CORP stays two tokens).
    const joins = (i: number) => PARTICLES.has(base[i]!) && i < base.length - 1 && (PARTICLES.has(base[i + 1]!) || !isLowInformation(base[i + 1]!));
    const glued: string[] = [];
    let pending = '';
    base.forEach((token, i) => {
      if (joins(i)) pending += token;
      else {
        glued.push(pending + token);
        pending = '';
      }
    });
    if (glued.join(' ') !== base.join(' ')) variants.push(glued);
  }
  return variants;
}

/** A token in more forms than this is common: its postings are cut to the forms it may bring to review alone. */
const COMMON_POSTINGS = 64;

/** Query tokens whose near tokens are remembered (oldest forgotten first): a few MB at most. */
const NEAR_CACHE_SIZE = 20_000;

function popcount(mask: number): number {
  let count = 0;
  for (let rest = mask >>> 0; rest !== 0; rest &= rest - 1) count++;
  return count;
}

/** Tokens sharing their first letters are compared; JW rewards a shared prefix anyway. */
const PREFIX = 4;

/** Keys of the first letters live beside the skeleton keys, told apart by a marker no token contains. */
const prefixKey = (token: string) => hashSkipping(`^${token.slice(0, PREFIX)}`, -1);

/** Numbers and tokens of up to 3 letters (initials, CRP, BNC) match only exactly: one letter changes them entirely. */
const fuzzy = (token: string) => token.length > 3 && !/\d/.test(token);

/**
 * True when one deletion from each (or none) makes the two equal: one substitution, insertion,
 * deletion or adjacent swap apart. The index finds exactly these pairs through deletion keys.
 */
export function oneEditApart(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  const variants = (text: string) => {
    const set = new Set([text]);
    for (let i = 0; i < text.length; i++) set.add(text.slice(0, i) + text.slice(i + 1));
    return set;
  };
  const fromA = variants(a);
  for (const variant of variants(b)) if (fromA.has(variant)) return true;
  return false;
}

/**
 * Similarity of a query token and a listed token, 0 when they do not match. A pair is compared
 * only if it is one edit apart, shares a consonant skeleton (a transliteration) or its first four
 * letters; the index reaches exactly those pairs, so indexed and exhaustive screening agree.
 * Jaro-Winkler scores the pair; a shared skeleton lifts a near miss (Mohammed/Muhammad).
 */
export function tokenSimilarity(
  query: string,
  listed: string,
  skeletons?: { query: string; listed: string },
  abjad?: { query: string; listed: string },
): number {
  if (query === listed) return 1;
  // Letters of a consonant script carry no vowels to compare: its tokens meet by consonant key alone.
  if (abjad) return abjad.query.length >= MIN_ABJAD_KEY && abjad.query === abjad.listed ? ABJAD_SIMILARITY : 0;
  return latinSimilarity(query, listed, skeletons);
}

function latinSimilarity(query: string, listed: string, skeletons?: { query: string; listed: string }): number {
  if (!fuzzy(query) || !fuzzy(listed)) return 0;
  const similarity = jaroWinkler(query, listed);
  if (similarity < SKELETON_LIFT_FROM) return 0;
  const sameSkeleton = (skeletons?.query ?? skeletonOf(query)) === (skeletons?.listed ?? skeletonOf(listed));
  if (similarity < TOKEN_MATCH_FLOOR) return sameSkeleton && similarity + SKELETON_LIFT >= TOKEN_MATCH_FLOOR ? similarity + SKELETON_LIFT : 0;
  if (!sameSkeleton && !query.startsWith(listed.slice(0, PREFIX)) && !oneEditApart(query, listed)) return 0;
  // Jaro-Winkler forgives a long tail after a shared prefix (PETER/PETERSON, PETROV/PETROVICH): a
  // different name, not a misspelling, unless the consonants agree (YUSUF/YOUSSEF).
  const shorter = Math.min(query.length, listed.length);
  const longer = Math.max(query.length, listed.length);
  const scaled = longer - shorter >= 2 && !sameSkeleton ? similarity * (shorter / longer) : similarity;
  return scaled >= TOKEN_MATCH_FLOOR ? scaled : 0;
}

/** A query token's candidate listed tokens, each with its similarity. */
export type TokenMatches = ReadonlyMap<number, number>;

/**
 * Every listed name, tokenised, with an inverted index from tokens to names and blocking keys from
 * spellings to tokens: single deletions (one typo, insertion, deletion or adjacent swap away) and
 * consonant skeletons (transliterations). A query touches only the names that share a near token.
 */
export class NameIndex {
  readonly forms: readonly NameForm[];
  readonly tokens: string[] = [];
  private readonly tokenIds = new Map<string, number>();
  private weights = new Float64Array(0);
  private informative = new Uint8Array(0);
  /** Form ids of token `t`: postingData[postingOffsets[t] .. postingOffsets[t + 1]). */
  private readonly postingOffsets: Int32Array;
  private readonly postingData: Int32Array;
  /** Hashes of each token and of its single deletions → token ids. */
  private deletionKeys = new IntMultiMap(16);
  /** Hashes of consonant skeletons and of first letters → token ids. */
  private skeletonKeys = new IntMultiMap(16);
  private skeletons: string[] = [];
  /** Consonant keys of every token → token ids, for queries written in Arabic or Hebrew script. */
  private abjadKeys = new IntMultiMap(16);
  private abjadKeysOf: string[] = [];
  /** Tokens in more than COMMON_POSTINGS forms, and for them the postings of the forms they alone may bring to review. */
  private commonToken = new Uint8Array(0);
  private reachableOffsets = new Int32Array(1);
  private reachableData = new Int32Array(0);
  /** Per form: its weight, and the weight of its tokens whose postings are not walked into it (common tokens, unless it is reachable by them). */
  private formWeightSums = new Float64Array(0);
  private formUnwalkedWeights = new Float64Array(0);
  /** The review threshold the common tokens' postings were cut for; a lower one walks every posting. */
  private readonly builtFor: number;
  private readonly nearCache = new Map<string, TokenMatches>();
  private weightingUsed?: TokenWeighting;
  private counted?: ReadonlyMap<string, number>;
  private countedForms = 1;
  // Per-query scratch space, reused: the engine is single-threaded.
  private bound = new Float64Array(0);
  private touched = new Int32Array(0);
  private nearSimilarity = new Float64Array(0);
  private nearMask = new Int32Array(0);
  private nearInformative = new Uint8Array(0);

  constructor(names: readonly { entry: number; field: NameField; text: string; individual: boolean }[], minScore = 0.84, weighting?: TokenWeighting) {
    this.builtFor = minScore;
    const forms: { -readonly [K in keyof NameForm]: NameForm[K] }[] = [];
    for (const name of names) {
      const variants = tokenVariants(name.text);
      const parts = new Set(variants[0]).size;
      for (const variant of variants) {
        const ids = new Set<number>();
        for (const token of variant) ids.add(this.intern(token));
        forms.push({
          entry: name.entry,
          field: name.field,
          text: name.text,
          individual: name.individual,
          parts,
          tokens: Int32Array.from(ids),
          weightSum: 0,
          informativeCount: 0,
        });
      }
    }
    const vocabulary = this.tokens.length;
    // Postings in one flat array (compressed rows): one allocation instead of one per token.
    const offsets = new Int32Array(vocabulary + 1);
    for (const form of forms) for (const id of form.tokens) offsets[id + 1]!++;
    for (let id = 0; id < vocabulary; id++) offsets[id + 1]! += offsets[id]!;
    const postings = new Int32Array(offsets[vocabulary]!);
    const fill = offsets.slice(0, vocabulary);
    forms.forEach((form, formId) => {
      for (const id of form.tokens) postings[fill[id]!++] = formId;
    });

    // Weighted by the given counts (those a delta re-screen's chain began with), else by this index's own.
    const counted = weighting ? new Map(weighting.frequencies) : undefined;
    const total = weighting ? weighting.forms : forms.length;
    this.counted = counted;
    this.countedForms = total;
    this.weightingUsed = weighting;
    this.weights = new Float64Array(vocabulary);
    this.informative = new Uint8Array(vocabulary);
    for (let id = 0; id < vocabulary; id++) {
      const token = this.tokens[id]!;
      // A token the counts have never seen is as rare as a token can be.
      const frequency = counted ? (counted.get(token) ?? 1) : offsets[id + 1]! - offsets[id]!;
      const idf = Math.log(1 + total / frequency);
      const lowInformation = isLowInformation(token);
      this.weights[id] = lowInformation ? idf * LOW_INFORMATION_FACTOR : idf;
      this.informative[id] = lowInformation ? 0 : 1;
    }
    for (const form of forms) {
      for (const id of form.tokens) {
        form.weightSum += this.weights[id]!;
        form.informativeCount += this.informative[id]!;
      }
    }
    this.forms = forms;
    this.postingOffsets = offsets;
    this.postingData = postings;

    this.deletionKeys = new IntMultiMap(vocabulary * 8);
    this.skeletonKeys = new IntMultiMap(vocabulary * 2);
    this.skeletons = this.tokens.map((token) => (fuzzy(token) ? skeletonOf(token) : ''));
    this.tokens.forEach((token, id) => {
      if (!fuzzy(token)) return;
      this.deletionKeys.add(hashSkipping(token, -1), id);
      for (let i = 0; i < token.length; i++) this.deletionKeys.add(hashSkipping(token, i), id);
      this.skeletonKeys.add(hashSkipping(this.skeletons[id]!, -1), id);
      this.skeletonKeys.add(prefixKey(token), id);
    });
    this.abjadKeysOf = this.tokens.map((token) => abjadKeyOf(token));
    this.abjadKeys = new IntMultiMap(vocabulary);
    this.abjadKeysOf.forEach((key, id) => {
      if (key.length >= MIN_ABJAD_KEY) this.abjadKeys.add(hashSkipping(key, -1), id);
    });
    this.bound = new Float64Array(forms.length);
    this.touched = new Int32Array(forms.length);
    this.nearSimilarity = new Float64Array(vocabulary);
    this.nearMask = new Int32Array(vocabulary);
    this.nearInformative = new Uint8Array(vocabulary);
    this.cutCommonPostings(minScore);
  }

  /**
   * Marks the common tokens and keeps, for each, only the forms whose common tokens carry enough of
   * their weight to pass the listed-weight bound without any rare token (see `candidates`).
   */
  private cutCommonPostings(minScore: number): void {
    const vocabulary = this.tokens.length;
    this.commonToken = new Uint8Array(vocabulary);
    for (let id = 0; id < vocabulary; id++) if (this.postingOffsets[id + 1]! - this.postingOffsets[id]! > COMMON_POSTINGS) this.commonToken[id] = 1;
    const minShare = 1 - (1 - minScore) / LISTED_GAP_PENALTY;
    const reachable = new Uint8Array(this.forms.length);
    this.formWeightSums = new Float64Array(this.forms.length);
    this.formUnwalkedWeights = new Float64Array(this.forms.length);
    this.forms.forEach((form, formId) => {
      let commonWeight = 0;
      for (const id of form.tokens) if (this.commonToken[id]) commonWeight += this.weights[id]!;
      this.formWeightSums[formId] = form.weightSum;
      if (commonWeight >= minShare * form.weightSum - 1e-6) reachable[formId] = 1;
      // A reachable form's every token is walked; another's common tokens are not, and may add at most their weight.
      else this.formUnwalkedWeights[formId] = commonWeight;
    });
    const offsets = new Int32Array(vocabulary + 1);
    for (let id = 0; id < vocabulary; id++) {
      let count = 0;
      if (this.commonToken[id]) for (let p = this.postingOffsets[id]!; p < this.postingOffsets[id + 1]!; p++) count += reachable[this.postingData[p]!]!;
      offsets[id + 1] = offsets[id]! + count;
    }
    const data = new Int32Array(offsets[vocabulary]!);
    for (let id = 0, at = 0; id < vocabulary; id++) {
      if (!this.commonToken[id]) continue;
      for (let p = this.postingOffsets[id]!; p < this.postingOffsets[id + 1]!; p++) if (reachable[this.postingData[p]!]) data[at++] = this.postingData[p]!;
    }
    this.reachableOffsets = offsets;
    this.reachableData = data;
  }

  private intern(token: string): number {
    let id = this.tokenIds.get(token);
    if (id === undefined) {
      id = this.tokens.length;
      this.tokens.push(token);
      this.tokenIds.set(token, id);
    }
    return id;
  }

  /**
   * Weight of a query token: the list's own weight if the list uses it, else that of a token the
   * counts hold (a delta index holds few tokens, the counts all of them), else that of a rare token.
   * A legal form or particle weighs its low-information share however rare it is.
   */
  queryTokenWeight(token: string): number {
    const id = this.tokenIds.get(token);
    if (id !== undefined) return this.weights[id]!;
    const idf = Math.log(1 + this.countedForms / (this.counted?.get(token) ?? 1));
    return isLowInformation(token) ? idf * LOW_INFORMATION_FACTOR : idf;
  }

  /** The consonant key of a listed token (see abjadKeyOf). */
  abjadKey(tokenId: number): string {
    return this.abjadKeysOf[tokenId]!;
  }

  /**
   * Listed tokens near a query token, found through the blocking keys, with their similarity. A
   * token of a name written in Arabic or Hebrew script (`abjad`) also meets tokens of its consonant key.
   */
  nearTokens(token: string, abjad = false): TokenMatches {
    // Names repeat their tokens (MUHAMMAD, COMPANY, TRADING): each is looked up once, then remembered.
    const key = abjad ? `\u0001${token}` : token;
    let matches = this.nearCache.get(key);
    if (matches === undefined) {
      if (this.nearCache.size >= NEAR_CACHE_SIZE) this.nearCache.delete(this.nearCache.keys().next().value!);
      this.nearCache.set(key, (matches = this.findNearTokens(token, abjad)));
    }
    return matches;
  }

  /** The token counts this index weighs by: those it was given, else its own, as counted in `countedIn`. */
  weighting(countedIn: string): TokenWeighting {
    if (this.weightingUsed) return this.weightingUsed;
    const frequencies = this.tokens.map((token, id) => [token, this.postingOffsets[id + 1]! - this.postingOffsets[id]!] as const);
    return { countedIn, forms: this.forms.length, frequencies };
  }

  /** Forgets the remembered near tokens (benchmarks time first lookups with it). */
  forgetNearTokens(): void {
    this.nearCache.clear();
  }

  private findNearTokens(token: string, abjad: boolean): TokenMatches {
    const matches = new Map<number, number>();
    const exact = this.tokenIds.get(token);
    if (exact !== undefined) matches.set(exact, 1);
    const abjadKey = abjad ? abjadKeyOf(token) : '';
    if (abjad ? abjadKey.length < MIN_ABJAD_KEY : !fuzzy(token)) return matches;
    const candidates = new Set<number>();
    const add = (id: number) => candidates.add(id);
    const skeleton = !abjad && fuzzy(token) ? skeletonOf(token) : '';
    if (!abjad && fuzzy(token)) {
      this.deletionKeys.forEach(hashSkipping(token, -1), add);
      for (let i = 0; i < token.length; i++) this.deletionKeys.forEach(hashSkipping(token, i), add);
      this.skeletonKeys.forEach(hashSkipping(skeleton, -1), add);
      this.skeletonKeys.forEach(prefixKey(token), add);
    }
    if (abjadKey.length >= MIN_ABJAD_KEY) this.abjadKeys.forEach(hashSkipping(abjadKey, -1), add);
    for (const id of candidates) {
      if (matches.has(id)) continue;
      // Hash collisions only add candidates: the same rule as the exhaustive scan decides.
      const similarity = tokenSimilarity(
        token,
        this.tokens[id]!,
        !abjad && fuzzy(token) ? { query: skeleton, listed: this.skeletons[id]! } : undefined,
        abjad ? { query: abjadKey, listed: this.abjadKeysOf[id]! } : undefined,
      );
      if (similarity > 0) matches.set(id, similarity);
    }
    return matches;
  }

  /**
   * Forms that could reach `minScore`, and only those: every test below is a bound the scorer
   * cannot beat, so skipping a form never changes a result (indexed and exhaustive screening agree).
   *
   * Common tokens (MUHAMMAD, BANK, TRADING) are where the time goes: thousands of forms share them.
   * A form reaches the listed-weight bound through its common tokens alone only if they carry most
   * of its weight (few do: `commonlyReachable`); every other form needs one of its rare tokens near
   * the query. So a common token's postings are walked only into those few forms, rare tokens'
   * postings in full, and each form found is then bounded with all of its tokens.
   */
  candidates(queryMatches: readonly TokenMatches[], minScore: number, queryTokens?: readonly string[], queryParts = 2): number[] {
    if (minScore < this.builtFor || !queryTokens) return this.candidatesByFullPostings(queryMatches, minScore);
    const nearSimilarity = this.nearSimilarity;
    const nearMask = this.nearMask;
    const nearInformative = this.nearInformative;
    const seen = this.bound;
    const touched = this.touched;
    let touchedCount = 0;
    const nearIds: number[] = [];
    queryMatches.forEach((matches, q) => {
      const informativeQuery = !isLowInformation(queryTokens[q]!);
      for (const [id, similarity] of matches) {
        if (nearMask[id] === 0) nearIds.push(id);
        if (similarity > nearSimilarity[id]!) nearSimilarity[id] = similarity;
        nearMask[id]! |= 1 << (q % 31);
        if (informativeQuery) nearInformative[id] = 1;
      }
    });
    // Walking the postings sums what each form's walked tokens give; a form reached through a rare
    // token may owe the rest of its bound to common tokens not walked for it, at most their weight.
    const weights = this.weights;
    // What the common near tokens give together: at most what a form's unwalked tokens can add.
    let commonNear = 0;
    for (const id of nearIds) {
      const common = this.commonToken[id] === 1;
      const offsets = common ? this.reachableOffsets : this.postingOffsets;
      const data = common ? this.reachableData : this.postingData;
      const contribution = weights[id]! * nearSimilarity[id]!;
      if (common) commonNear += contribution;
      for (let p = offsets[id]!, end = offsets[id + 1]!; p < end; p++) {
        const formId = data[p]!;
        if (seen[formId] === 0) touched[touchedCount++] = formId;
        seen[formId]! += contribution;
      }
    }
    const queryWeights = queryTokens.map((token) => this.queryTokenWeight(token));
    const minShare = 1 - (1 - minScore) / LISTED_GAP_PENALTY;
    const result: number[] = [];
    const weightSums = this.formWeightSums;
    const unwalked = this.formUnwalkedWeights;
    for (let i = 0; i < touchedCount; i++) {
      const formId = touched[i]!;
      const walked = seen[formId]!;
      seen[formId] = 0;
      if (walked + Math.min(unwalked[formId]!, commonNear) < minShare * weightSums[formId]! - 1e-9) continue;
      if (this.mayReach(this.forms[formId]!, minScore, minShare, queryWeights, queryParts)) result.push(formId);
    }
    for (const id of nearIds) {
      nearSimilarity[id] = 0;
      nearMask[id] = 0;
      nearInformative[id] = 0;
    }
    // Forms of one entry may tie; a fixed order keeps which one is reported independent of the query's token order.
    return result.sort((a, b) => a - b);
  }

  /** The scorer's own limits, from what the query's near tokens can give this form at best. */
  private mayReach(form: NameForm, minScore: number, minShare: number, queryWeights: readonly number[], queryParts: number): boolean {
    let similarityWeight = 0;
    let touchedWeight = 0;
    let touchedTokens = 0;
    let informativeTouched = 0;
    let mask = 0;
    for (const id of form.tokens) {
      const similarity = this.nearSimilarity[id]!;
      if (similarity === 0) continue;
      similarityWeight += this.weights[id]! * similarity;
      touchedWeight += this.weights[id]!;
      touchedTokens++;
      if (this.informative[id] && this.nearInformative[id]) informativeTouched++;
      mask |= this.nearMask[id]!;
    }
    // Score ≤ 1 − LISTED_GAP_PENALTY × (unmatched listed weight share), with the similarities.
    if (similarityWeight < minShare * form.weightSum - 1e-9) return false;
    if (informativeTouched === 0) return false;
    if (minScore > SINGLE_TOKEN_CAP) {
      // A match on one meaningful token of several, or on one token of a person's longer name, is capped below review.
      if (form.informativeCount >= 2 && informativeTouched < 2) return false;
      const queryTouching = popcount(mask);
      if (form.individual && form.parts >= 2 && (queryParts === 1 || (Math.min(touchedTokens, queryTouching) === 1 && form.tokens.length >= 2))) return false;
    }
    // Query tokens near none of the form's tokens stay unmatched and cost their weight.
    // (Past 31 query tokens the mask wraps around: those count as matched, which only loosens the bound.)
    let unmatchedQuery = 0;
    for (let q = 0; q < queryWeights.length && q < 31; q++) if ((mask & (1 << q)) === 0) unmatchedQuery += queryWeights[q]!;
    const queryPenalty = form.informativeCount <= 1 ? QUERY_GAP_PENALTY_SINGLE : QUERY_GAP_PENALTY;
    const upper = 1 - LISTED_GAP_PENALTY * (1 - touchedWeight / form.weightSum) - queryPenalty * (unmatchedQuery / (touchedWeight + unmatchedQuery));
    return upper >= minScore - 1e-9;
  }

  /** Every posting of every near token: for a threshold below the one the index was built for. */
  private candidatesByFullPostings(queryMatches: readonly TokenMatches[], minScore: number): number[] {
    const bound = this.bound;
    const touched = this.touched;
    let touchedCount = 0;
    const best = new Map<number, number>();
    for (const matches of queryMatches) {
      for (const [id, similarity] of matches) best.set(id, Math.max(best.get(id) ?? 0, similarity));
    }
    for (const [id, similarity] of best) {
      const contribution = this.weights[id]! * similarity;
      for (let p = this.postingOffsets[id]!, end = this.postingOffsets[id + 1]!; p < end; p++) {
        const formId = this.postingData[p]!;
        if (bound[formId] === 0) touched[touchedCount++] = formId;
        bound[formId]! += contribution;
      }
    }
    const result: number[] = [];
    const minShare = 1 - (1 - minScore) / LISTED_GAP_PENALTY;
    for (let i = 0; i < touchedCount; i++) {
      const formId = touched[i]!;
      if (bound[formId]! >= minShare * this.forms[formId]!.weightSum - 1e-9) result.push(formId);
      bound[formId] = 0;
    }
    return result.sort((a, b) => a - b);
  }

  /**
   * Scores one listed form against the query tokens. Tokens pair one-to-one, best pairs first
   * (order-insensitive); unmatched listed tokens cost by their weight share, unmatched query tokens
   * less; a match on low-information tokens only scores 0 and one on a single meaningful token of
   * a longer name is capped below review.
   */
  score(formId: number, queryTokens: readonly string[], queryParts: number, similarityOf: (queryIndex: number, tokenId: number) => number): number {
    const form = this.forms[formId]!;
    const pairs: { q: number; t: number; s: number }[] = [];
    for (let q = 0; q < queryTokens.length; q++) {
      for (let t = 0; t < form.tokens.length; t++) {
        const s = similarityOf(q, form.tokens[t]!);
        if (s > 0) pairs.push({ q, t, s });
      }
    }
    if (pairs.length === 0) return 0;
    pairs.sort((a, b) => b.s - a.s || this.weights[form.tokens[b.t]!]! - this.weights[form.tokens[a.t]!]!);
    const usedQuery = new Uint8Array(queryTokens.length);
    const usedListed = new Uint8Array(form.tokens.length);
    let matchedWeight = 0;
    let matchedSimilarity = 0;
    let informativeMatched = 0;
    let matchedTokens = 0;
    for (const { q, t, s } of pairs) {
      if (usedQuery[q] || usedListed[t]) continue;
      usedQuery[q] = 1;
      usedListed[t] = 1;
      const id = form.tokens[t]!;
      matchedWeight += this.weights[id]!;
      matchedSimilarity += this.weights[id]! * s;
      // A meaningful listed token matched by a legal form or particle of the query does not count.
      if (this.informative[id] && !isLowInformation(queryTokens[q]!)) informativeMatched++;
      matchedTokens++;
    }
    if (informativeMatched === 0) return 0;
    // Numbers are kept because they tell names apart: VESSEL 7 is not VESSEL 8.
    const unmatchedNumber = (tokens: ArrayLike<string>, used: Uint8Array) =>
      Array.from({ length: tokens.length }, (_, i) => i).some((i) => !used[i] && /^\d+$/.test(tokens[i]!));
    const numberMismatch =
      unmatchedNumber(queryTokens, usedQuery) &&
      unmatchedNumber(
        Array.from(form.tokens, (id) => this.tokens[id]!),
        usedListed,
      );
    let unmatchedQueryWeight = 0;
    for (let q = 0; q < queryTokens.length; q++) {
      if (!usedQuery[q]) unmatchedQueryWeight += this.queryTokenWeight(queryTokens[q]!);
    }
    const quality = matchedSimilarity / matchedWeight;
    const listedGap = (form.weightSum - matchedWeight) / form.weightSum;
    const queryGap = unmatchedQueryWeight / (matchedWeight + unmatchedQueryWeight);
    const queryPenalty = form.informativeCount <= 1 ? QUERY_GAP_PENALTY_SINGLE : QUERY_GAP_PENALTY;
    let score = quality * (1 - LISTED_GAP_PENALTY * listedGap - queryPenalty * queryGap);
    const oneTokenOfMany =
      (informativeMatched === 1 && form.informativeCount >= 2) ||
      (form.individual && form.parts >= 2 && (queryParts === 1 || (matchedTokens === 1 && form.tokens.length >= 2)));
    if (oneTokenOfMany || numberMismatch) score = Math.min(score, SINGLE_TOKEN_CAP);
    return Math.max(0, score);
  }
}
