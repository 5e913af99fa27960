import { ScreeningEngine, type ListChange, type ScreeningOutcome, type ScreeningSubject } from '../../../lambda/modules/screening';
import { diffLists } from '../../../lambda/modules/screening/diff';
import { buildLabelledSet, seededRandom } from '../../../bench/screening/labelled-set';
import { LIST_2023_12_28, realList } from '../../helpers/ofac-data';

/**
 * The real list change, 2023-12-28 → 2024-05-03 (1,256 entries added, 112 removed, changed ones
 * besides): a book screened against the old version, then re-screened against the new one fully
 * and by delta (previous results carried forward, the book screened against the added and changed
 * entries only). Every outcome must be the same.
 */
const before = realList(LIST_2023_12_28);
const after = realList();
const diff = diffLists(before, after);
const oldEngine = new ScreeningEngine(before);
// The new version keeps the weighting its chain began with, as the list refresh records it.
const newList = { ...after, weighting: oldEngine.weightingOf('ofac-sdn', before.version.id) };
const change: ListChange = { list: 'ofac-sdn', fromVersion: before.version.id, toVersion: after.version.id, diff };
const newEngine = new ScreeningEngine(newList, { changes: [change] });

/** Names near the change (added, removed, changed entries and their variants), common names, listed wallets, facts. */
function book(): ScreeningSubject[] {
  const random = seededRandom(1703);
  const touched = new Set([...diff.added, ...diff.removed, ...diff.changed]);
  const near = [...before.entries, ...after.entries].filter((entry) => touched.has(entry.sdnId));
  const set = buildLabelledSet(near, { seed: 17, positivesPerKind: 120, negatives: 600 });
  const wallets = [...before.entries, ...after.entries].flatMap((entry) => entry.wallets.map((wallet) => wallet.address));
  const subjects: ScreeningSubject[] = [...set.positives, ...set.negatives].map(({ query }) => ({
    ...query,
    ...(random() < 0.3 ? { dateOfBirth: `19${50 + Math.floor(random() * 50)}-01-01`, country: random() < 0.5 ? 'IR' : 'US' } : {}),
  }));
  for (let i = 0; i < 120; i++) subjects.push({ name: subjects[i]!.name, wallets: [wallets[Math.floor(random() * wallets.length)]!] });
  return subjects;
}

describe('delta re-screen on the real 2023-12-28 → 2024-05-03 change', () => {
  const subjects = book();
  const previous: ScreeningOutcome[] = subjects.map((subject) => oldEngine.screen(subject));

  it('gives every investor the outcome a full re-screen gives, "no hit" included', () => {
    const different = subjects.filter((subject, i) => JSON.stringify(newEngine.rescreen(subject, previous[i]!)) !== JSON.stringify(newEngine.screen(subject)));
    expect(different).toEqual([]);
  });

  it('is not vacuous: the change moves outcomes both ways, and most investors are carried forward', () => {
    const fresh = subjects.map((subject) => newEngine.screen(subject));
    const ids = (outcome: ScreeningOutcome) => outcome.matches.map((match) => match.sdnId);
    expect(fresh.filter((outcome, i) => ids(outcome).some((id) => diff.added.includes(id) && !ids(previous[i]!).includes(id))).length).toBeGreaterThan(50);
    expect(previous.filter((outcome, i) => ids(outcome).some((id) => diff.removed.includes(id) && !ids(fresh[i]!).includes(id))).length).toBeGreaterThan(10);
    expect(fresh.filter((outcome) => outcome.verdict === 'clear').length).toBeGreaterThan(100);
    const carried = previous.filter((outcome) => outcome.matches.length < 10).length;
    expect(carried / previous.length).toBeGreaterThan(0.95);
  });

  it('falls back to a full screening for a result of another engine, another version, or one cut at ten matches', () => {
    const subject = { name: 'Nicolas Maduro Moros' };
    const full = newEngine.screen(subject);
    expect(newEngine.rescreen(subject, { ...previous[0]!, engineVersion: 'engine-0' })).toEqual(full);
    expect(newEngine.rescreen(subject, { verdict: 'clear', listVersion: 'ofac-sdn:2020-01-01:0', matches: [] })).toEqual(full);
  });
});
