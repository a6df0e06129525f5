/**
 * Fiscal periods from XBRL dates. In companyfacts, `fy`/`fp` describe the FILING an entry came from,
 * not the period it measures (a FY2024 10-K carries FY2023 comparatives tagged fy=2024), so the
 * period is read from `start`/`end` instead: the length says what kind of period it is, and the end
 * date plus the company's fiscal year end say which fiscal year and quarter.
 *
 * Why not `frame` for the quarter number: frames are CALENDAR periods (`CY2024Q2` is the calendar
 * quarter within 30 days of the period). For a fiscal year ending in May, the quarter ending
 * 31 May is fiscal Q4 but its frame is CY…Q2, and mapping the calendar quarter back to a fiscal one
 * is off by one for every company whose quarters end in Feb/May/Aug/Nov. The end date is exact for
 * all of them, so the frame only confirms what kind of period an entry is.
 */
import type { FiscalPeriod, IsoDate } from '../../../core/model';

export type PeriodKind = 'year' | 'quarter' | 'nine_months' | 'instant' | 'other';

const DAY_MS = 86_400_000;

/** Whole days from `start` to `end` (a calendar year is 364 or 365, a 13-week quarter 90 or 91). */
export function daysBetween(start: IsoDate, end: IsoDate): number {
  return Math.round((Date.parse(end) - Date.parse(start)) / DAY_MS);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return new Date(Date.parse(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * What kind of period an entry measures. Years are 350–380 days (52/53-week years included),
 * quarters 80–100 (13/14-week quarters included), nine-month year-to-date figures 260–285; half
 * years and other lengths are `other`. An entry with no start is an instant (balance sheet, shares).
 * A frame, when present, decides between year, quarter and instant (SEC assigns it from the same
 * dates); the day count still decides the rest.
 */
export function classifyPeriod(start: IsoDate | undefined, end: IsoDate, frame?: string): PeriodKind {
  if (start === undefined) return 'instant';
  if (frame !== undefined) {
    if (/^CY\d{4}$/.test(frame)) return 'year';
    if (/^CY\d{4}Q[1-4]$/.test(frame)) return 'quarter';
    if (/^CY\d{4}Q[1-4]I$/.test(frame)) return 'instant';
  }
  const days = daysBetween(start, end);
  if (days >= 350 && days <= 380) return 'year';
  if (days >= 80 && days <= 100) return 'quarter';
  if (days >= 260 && days <= 285) return 'nine_months';
  return 'other';
}

/**
 * The month a period really ends in. 52/53-week calendars end on a weekday near the month end and
 * sometimes spill into the first days of the next month (Apple: 2022-09-24 and 2017-09-30; a
 * retailer: 2025-02-01), so an end in the first half of a month belongs to the month before.
 */
export function nominalMonthEnd(end: IsoDate): { year: number; month: number } {
  const year = Number(end.slice(0, 4));
  const month = Number(end.slice(5, 7));
  const day = Number(end.slice(8, 10));
  if (day > 15) return { year, month };
  return month === 1 ? { year: year - 1, month: 12 } : { year, month: month - 1 };
}

/**
 * Fiscal year and quarter for a period ending on `end`, for a fiscal year ending in
 * `fiscalYearEndMonth`. The fiscal year is named after the calendar year it ends in (Apple's year
 * to September 2025 is FY2025; Walmart's to January 2026 is FY2026), shifted by `labelOffset`
 * for the companies that name a year after the year it starts in (−1).
 */
export function fiscalPositionOf(
  end: IsoDate,
  fiscalYearEndMonth: number,
  labelOffset = 0,
): { fiscalYear: number; quarter: 1 | 2 | 3 | 4 } {
  const { year, month } = nominalMonthEnd(end);
  const fiscalYear = (month <= fiscalYearEndMonth ? year : year + 1) + labelOffset;
  const monthsIntoYear = ((month - fiscalYearEndMonth - 1 + 24) % 12) + 1;
  const quarter = Math.ceil(monthsIntoYear / 3);
  return { fiscalYear, quarter: quarter === 1 ? 1 : quarter === 2 ? 2 : quarter === 3 ? 3 : 4 };
}

/** The model's `FiscalPeriod` for a classified period, or undefined for kinds we do not report. */
export function fiscalPeriodOf(
  kind: PeriodKind,
  start: IsoDate | undefined,
  end: IsoDate,
  fiscalYearEndMonth: number,
  labelOffset = 0,
): FiscalPeriod | undefined {
  const { fiscalYear, quarter } = fiscalPositionOf(end, fiscalYearEndMonth, labelOffset);
  if (kind === 'instant') return { fiscalYear, fiscalPeriod: 'spot', end };
  if (start === undefined) return undefined;
  if (kind === 'year') return { fiscalYear, fiscalPeriod: 'FY', start, end };
  if (kind === 'quarter') return { fiscalYear, fiscalPeriod: `Q${quarter}`, start, end };
  return undefined;
}

/** The most common value; of values tied on count, the one that reached that count last (the most recent, for date-ordered input). */
export function mostCommon<T>(values: readonly T[]): T | undefined {
  const counts = new Map<T, number>();
  let best: T | undefined;
  let bestCount = 0;
  for (const value of values) {
    const count = (counts.get(value) ?? 0) + 1;
    counts.set(value, count);
    if (count >= bestCount) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}
