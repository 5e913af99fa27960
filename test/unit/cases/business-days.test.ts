import fc from 'fast-check';
import { addBusinessDays, blockedPropertyReportDueBy, isBusinessDay, ofacDate, usFederalHolidays } from '../../../lambda/modules/cases/business-days';

describe('US federal holidays (5 U.S.C. 6103)', () => {
  it('lists the eleven observed holidays of 2024', () => {
    expect([...usFederalHolidays(2024)].sort()).toEqual([
      '2024-01-01',
      '2024-01-15',
      '2024-02-19',
      '2024-05-27',
      '2024-06-19',
      '2024-07-04',
      '2024-09-02',
      '2024-10-14',
      '2024-11-11',
      '2024-11-28',
      '2024-12-25',
    ]);
  });

  it('observes a Saturday holiday the Friday before and a Sunday one the Monday after, across the year boundary too', () => {
    const in2021 = usFederalHolidays(2021);
    expect(in2021.has('2021-06-18')).toBe(true); // Juneteenth on a Saturday
    expect(in2021.has('2021-07-05')).toBe(true); // Independence Day on a Sunday
    expect(in2021.has('2021-12-24')).toBe(true); // Christmas on a Saturday
    expect(in2021.has('2021-12-31')).toBe(true); // New Year's Day 2022 on a Saturday
    expect([...usFederalHolidays(2022)].filter((date) => date.startsWith('2022-01'))).toEqual(['2022-01-17']);
    expect(usFederalHolidays(2022).has('2022-12-26')).toBe(true);
    expect(usFederalHolidays(2020).has('2020-06-19')).toBe(false); // Juneteenth is a federal holiday from 2021
  });
});

describe('the blocked-property report deadline: 10 business days', () => {
  it.each([
    ['a Friday: two full weeks', '2024-05-03', '2024-05-17'],
    ['before Thanksgiving', '2024-11-20', '2024-12-05'],
    ['before Christmas and New Year', '2024-12-20', '2025-01-07'],
    ['a Saturday, with Juneteenth in the way', '2024-06-15', '2024-07-01'],
  ])('counts from %s', (_when, blocked, due) => {
    expect(addBusinessDays(blocked, 10)).toBe(due);
  });

  it("dates the blocking on Washington's calendar: 03:00 UTC on 1 March is still 29 February there", () => {
    expect(ofacDate(new Date('2024-03-01T03:00:00Z'))).toBe('2024-02-29');
    expect(blockedPropertyReportDueBy(new Date('2024-03-01T03:00:00Z'))).toBe('2024-03-14');
    expect(blockedPropertyReportDueBy(new Date('2024-03-01T06:00:00Z'))).toBe('2024-03-15');
  });

  it('always lands on a business day, exactly n business days later', () => {
    const day = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 11, 31) }).map((ms) => new Date(ms).toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 40 }), (start, n) => {
        const due = addBusinessDays(start, n);
        expect(isBusinessDay(due)).toBe(true);
        let counted = 0;
        for (let cursor = new Date(`${start}T00:00:00Z`); cursor.toISOString().slice(0, 10) < due;) {
          cursor = new Date(cursor.getTime() + 86_400_000);
          if (isBusinessDay(cursor.toISOString().slice(0, 10))) counted++;
        }
        expect(counted).toBe(n);
      }),
    );
  });
});
