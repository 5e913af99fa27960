import anyAscii from 'any-ascii';

/**
 * Names in other scripts, as KYC vendors read them off documents (Cyrillic, Greek, Arabic,
 * Persian, Hebrew, Chinese, Korean, ...), written in Latin letters the way OFAC writes its
 * entries. any-ascii does the letters (see docs/ARCHITECTURE.md for why this library); the
 * few rules here only put word breaks where the script has none and keep what any-ascii drops.
 */

/** A letter of any script but Latin. */
const NON_LATIN = /[^\p{Script=Latin}\P{L}]/u;
/** Scripts that leave short vowels unwritten: a name in them is compared by its consonants. */
const ABJAD = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}]/u;

const HAN_RUN = /\p{Script=Han}+/gu;
const HANGUL_RUN = /\p{Script=Hangul}+/gu;
/** The Arabic article at the start of a word; OFAC writes it AL- (AL-ZAWAHIRI). */
const ARABIC_ARTICLE = /(^|[^\p{L}])ال(?=\p{L})/gu;
/** Taa marbuta (ة), the feminine ending read -a (Usama, Fatima); any-ascii writes it h. */
const TAA_MARBUTA = /ة/g;

/**
 * Russian legal forms, written out or abbreviated, in the English OFAC's entries use (PUBLIC JOINT
 * STOCK COMPANY ALROSA): transliterated, they would be long words no entry shares.
 */
const CYRILLIC_LEGAL_FORMS: ReadonlyArray<readonly [RegExp, string]> = [
  [/публичное акционерное общество/giu, 'public joint stock company'],
  [/открытое акционерное общество/giu, 'open joint stock company'],
  [/закрытое акционерное общество/giu, 'closed joint stock company'],
  [/акционерное общество/giu, 'joint stock company'],
  [/общество с ограниченной ответственностью/giu, 'limited liability company'],
  [/(?<!\p{L})ПАО(?!\p{L})/gu, 'PJSC'],
  [/(?<!\p{L})ОАО(?!\p{L})/gu, 'OJSC'],
  [/(?<!\p{L})ЗАО(?!\p{L})/gu, 'CJSC'],
  [/(?<!\p{L})АО(?!\p{L})/gu, 'JSC'],
  [/(?<!\p{L})ООО(?!\p{L})/gu, 'LLC'],
];

export function hasNonLatinLetters(text: string): boolean {
  return NON_LATIN.test(text);
}

export function isAbjad(text: string): boolean {
  return ABJAD.test(text);
}

/**
 * Chinese writes a name without spaces, one syllable a character. A name of two to four
 * characters is a person's (surname first, then the given name as one word: 严晓兵 → Yan Xiaobing,
 * as OFAC writes YAN, Xiaobing); a longer run keeps one word a syllable.
 */
function spaceHan(run: string): string {
  const syllables = [...run].map((character) => anyAscii(character).toLowerCase());
  const words = syllables.length >= 2 && syllables.length <= 4 ? [syllables[0]!, syllables.slice(1).join('')] : syllables;
  return ` ${words.join(' ')} `;
}

/** Korean names are written a syllable a word in OFAC's lists (KIM, Jong Un). */
function spaceHangul(run: string): string {
  return ` ${[...run].map((character) => anyAscii(character).toLowerCase()).join(' ')} `;
}

/** The name in Latin letters, or the name itself when it has no letter of another script. */
export function romanise(text: string): string {
  if (!NON_LATIN.test(text)) return text;
  const prepared = CYRILLIC_LEGAL_FORMS.reduce((written, [form, english]) => written.replace(form, english), text)
    .replace(HAN_RUN, spaceHan)
    .replace(HANGUL_RUN, spaceHangul)
    .replace(ARABIC_ARTICLE, '$1al-')
    .replace(TAA_MARBUTA, 'a');
  return anyAscii(prepared).replace(/\s+/g, ' ').trim();
}
