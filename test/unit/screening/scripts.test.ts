import { nameTokens } from '../../../lambda/modules/screening';
import { abjadKeyOf } from '../../../lambda/modules/screening/normalize';
import { romanise } from '../../../lambda/modules/screening/transliterate';
import { realEngine } from '../../helpers/ofac-data';

const engine = realEngine();
const review = engine.thresholds.review;
const scoreOf = (name: string, sdnId: number, extra: object = {}) =>
  engine.screen({ name, ...extra }).matches.find((match) => match.sdnId === sdnId)?.score ?? 0;

describe('names written in other scripts', () => {
  it('transliterates Cyrillic, Greek, Arabic, Persian and Chinese the way OFAC spells its entries', () => {
    expect(romanise('Владимир Владимирович Путин')).toBe('Vladimir Vladimirovich Putin');
    expect(romanise('Евгений Пригожин')).toBe('Evgeniy Prigozhin');
    expect(romanise('Κωνσταντίνος Σταυρίδης')).toBe('Konstantinos Stayridis');
    // Chinese: one syllable a character; a person's name is surname + given name as one word.
    expect(romanise('严晓兵')).toBe('yan xiaobing');
    expect(romanise('嚴曉兵')).toBe('yan xiaobing');
    // Arabic leaves short vowels out; the article and the feminine ending are kept as OFAC writes them.
    expect(romanise('أسامة بن لادن')).toBe("'sma bn ldn");
    expect(romanise('أيمن الظواهري')).toBe("'ymn al-dhwhry");
    expect(romanise('Nicolás Maduro')).toBe('Nicolás Maduro');
  });

  it('reads Russian legal forms written in Cyrillic as the English forms OFAC uses', () => {
    expect(nameTokens('Публичное акционерное общество «Алроса»')).toEqual(['pjsc', 'alrosa']);
    expect(nameTokens('Общество с ограниченной ответственностью «Ромашка»')).toEqual(['llc', 'romashka']);
    expect(nameTokens('ПАО «Сбербанк России»')).toEqual(['pjsc', 'sberbank', 'rossii']);
    expect(nameTokens('Раоул')).toEqual(['raoul']);
  });

  it('reads Arabic-script tokens by their consonants: every Latin spelling of a name meets one key', () => {
    for (const spelling of ['muhammad', 'mohammed', 'mohamed', 'mhmd']) expect(abjadKeyOf(spelling)).toBe('mhmt');
    expect(abjadKeyOf('ladin')).toBe(abjadKeyOf('ldn'));
    expect(abjadKeyOf('soleimani')).toBe(abjadKeyOf('slymny'));
    expect(abjadKeyOf('zawahiri')).toBe(abjadKeyOf('dhwhry'));
    expect(abjadKeyOf('ahmad')).not.toBe(abjadKeyOf('mhmd'));
  });

  // People and entities of the 2024-05-03 list, written as a document in their own script would have them.
  const listed: [string, string, number][] = [
    ['Cyrillic, person', 'Владимир Владимирович Путин', 35096],
    ['Cyrillic, person', 'Сергей Викторович Лавров', 35233],
    ['Cyrillic, person', 'Рамзан Ахматович Кадыров', 23343],
    ['Cyrillic, entity', 'Публичное акционерное общество «Алроса»', 34644],
    ['Cyrillic, entity', 'ПАО «Сбербанк России»', 17018],
    ['Greek, person', 'Κωνσταντίνος Σταυρίδης', 34956],
    ['Greek, person', 'Γεώργιος Μανίδης', 26684],
    ['Greek, entity', 'Αλρόσα', 34644],
    ['Arabic, person', 'أسامة بن لادن', 6365],
    ['Arabic, person', 'قاسم سليماني', 10481],
    ['Arabic, person', 'حسن نصرالله', 2686],
    ['Arabic, entity', 'بنك صادرات ايران', 10368],
    ['Persian, entity', 'بانک صادرات ایران', 10368],
    ['Chinese, person', '严晓兵', 25308],
    ['Chinese, entity', '珠海振戎公司', 27063],
  ];
  it.each(listed)('brings a listed name written in %s to review: %s', (_script, name, sdnId) => {
    expect(scoreOf(name, sdnId)).toBeGreaterThanOrEqual(review);
  });

  it('keeps the name as written and in Latin letters for the evidence, and only for names in another script', () => {
    expect(engine.screen({ name: 'Владимир Путин' }).transliteration).toEqual({ name: 'Владимир Путин', latin: 'Vladimir Putin' });
    expect(engine.screen({ name: 'Nicolás Maduro Moros' }).transliteration).toBeUndefined();
  });

  it('still needs more than one token and still lowers conflicting facts', () => {
    expect(scoreOf('Путин', 35096)).toBeLessThan(review);
    expect(scoreOf('لادن', 6365)).toBeLessThan(review);
    expect(scoreOf('Владимир Владимирович Путин', 35096, { dateOfBirth: '1990-01-01' })).toBeLessThan(scoreOf('Владимир Владимирович Путин', 35096));
  });

  it('gives an Arabic-script match less than an exact score: the vowels are a guess', () => {
    expect(scoreOf('أسامة بن لادن', 6365)).toBeLessThan(1);
    expect(engine.screen({ name: 'أسامة بن لادن' }).verdict).toBe('review');
  });
});
