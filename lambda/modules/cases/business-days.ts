/**
 * OFAC's rule for blocked property (31 CFR 501.603): report within 10 business days of the blocking.
 * Business days here are Monday to Friday other than US federal holidays (5 U.S.C. 6103, with the
 * observed-day rule: a holiday on a Saturday is observed the Friday before, on a Sunday the Monday
 * after), counted on the calendar of Washington, DC, where OFAC is.
 */
export const BLOCKED_PROPERTY_REPORT_BUSINESS_DAYS = 10;

const OFAC_TIME_ZONE = 'America/New_York';

const iso = (date: Date) => date.toISOString().slice(0, 10);
const utcDate = (year: number, monthIndex: number, day: number) => new Date(Date.UTC(year, monthIndex, day));

/** The `nth` (1-based) given weekday of a month, or the last one for `nth` = -1. */
function nthWeekday(year: number, monthIndex: number, weekday: number, nth: number): Date {
  if (nth === -1) {
    const last = utcDate(year, monthIndex + 1, 0);
    return utcDate(year, monthIndex, last.getUTCDate() - ((last.getUTCDay() - weekday + 7) % 7));
  }
  const first = utcDate(year, monthIndex, 1);
  return utcDate(year, monthIndex, 1 + ((weekday - first.getUTCDay() + 7) % 7) + (nth - 1) * 7);
}

function observed(date: Date): Date {
  const day = date.getUTCDay();
  if (day === 6) return utcDate(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - 1);
  if (day === 0) return utcDate(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1);
  return date;
}

const holidayCache = new Map<number, ReadonlySet<string>>();

/** The observed US federal holidays that fall in `year` (New Year's Day of the next year may fall on 31 December). */
export function usFederalHolidays(year: number): ReadonlySet<string> {
  const cached = holidayCache.get(year);
  if (cached) return cached;
  const dates: Date[] = [];
  for (const y of [year, year + 1]) {
    dates.push(
      observed(utcDate(y, 0, 1)), // New Year's Day
      nthWeekday(y, 0, 1, 3), // Birthday of Martin Luther King, Jr.
      nthWeekday(y, 1, 1, 3), // Washington's Birthday
      nthWeekday(y, 4, 1, -1), // Memorial Day
      ...(y >= 2021 ? [observed(utcDate(y, 5, 19))] : []), // Juneteenth National Independence Day
      observed(utcDate(y, 6, 4)), // Independence Day
      nthWeekday(y, 8, 1, 1), // Labor Day
      nthWeekday(y, 9, 1, 2), // Columbus Day
      observed(utcDate(y, 10, 11)), // Veterans Day
      nthWeekday(y, 10, 4, 4), // Thanksgiving Day
      observed(utcDate(y, 11, 25)), // Christmas Day
    );
  }
  const holidays = new Set(dates.filter((date) => date.getUTCFullYear() === year).map(iso));
  holidayCache.set(year, holidays);
  return holidays;
}

export function isBusinessDay(date: string): boolean {
  const parsed = new Date(`${date}T00:00:00Z`);
  const day = parsed.getUTCDay();
  return day !== 0 && day !== 6 && !usFederalHolidays(parsed.getUTCFullYear()).has(date);
}

/** The date `days` business days after `date` (YYYY-MM-DD); the starting day itself does not count. */
export function addBusinessDays(date: string, days: number): string {
  let cursor = new Date(`${date}T00:00:00Z`);
  for (let counted = 0; counted < days;) {
    cursor = utcDate(cursor.getUTCFullYear(), cursor.getUTCMonth(), cursor.getUTCDate() + 1);
    if (isBusinessDay(iso(cursor))) counted++;
  }
  return iso(cursor);
}

/** The calendar date of an instant in Washington, DC. */
export function ofacDate(at: Date): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: OFAC_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const part = (type: string) => parts.find((candidate) => candidate.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** The last day to file the blocked-property report for property blocked at `blockedAt`. */
export function blockedPropertyReportDueBy(blockedAt: Date): string {
  return addBusinessDays(ofacDate(blockedAt), BLOCKED_PROPERTY_REPORT_BUSINESS_DAYS);
}
