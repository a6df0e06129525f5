/**
 * Calendar arithmetic on integer day numbers (days since 1970-01-01, UTC) and business-day
 * indexes. Daily events are keyed by business-day index, so "the previous business day" is just
 * `index - 1` and a scan back over a quarter is a loop over integers, not over Date objects.
 * Business days are Monday to Friday; the demo ignores exchange holidays.
 */
import type { IsoDate } from '../../../core/model';
import { InputValidationError } from '../../../core/errors';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day number of a `YYYY-MM-DD` date. @throws InputValidationError for anything else, including 2026-02-30. */
export function dayOf(date: IsoDate): number {
  const match = ISO_DATE.exec(date);
  if (!match) throw new InputValidationError(`as-of date must be YYYY-MM-DD, got ${JSON.stringify(date)}`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const result = month >= 1 && month <= 12 ? daysFromCivil(year, month, day) : NaN;
  const [y, m, d] = Number.isNaN(result) ? [0, 0, 0] : civilOf(result);
  if (y !== year || m !== month || d !== day) throw new InputValidationError(`as-of date ${date} is not a calendar date`);
  return result;
}

// Civil-date conversions in integer arithmetic (H. Hinnant's days_from_civil / civil_from_days):
// the demo converts dates tens of thousands of times per as-of, and Date objects are far slower.

function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** `[year, month (1–12), day]` of a day number. */
export function civilOf(dayNumber: number): [number, number, number] {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return [year, month, day];
}

const isoCache = new Map<number, IsoDate>();

/** `YYYY-MM-DD` of a day number. */
export function isoOf(day: number): IsoDate {
  const cached = isoCache.get(day);
  if (cached) return cached;
  const [y, m, d] = civilOf(day);
  const iso = `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
  // Bounded: a few years of days is all a process ever asks for.
  if (isoCache.size > 50_000) isoCache.clear();
  isoCache.set(day, iso);
  return iso;
}

/** Day number of `year-month-day`, where month and day may overflow (month 13 is next January, day 0 the last of the previous month). */
export function dayFromParts(year: number, month: number, day: number): number {
  const y = year + Math.floor((month - 1) / 12);
  const m = ((((month - 1) % 12) + 12) % 12) + 1;
  return daysFromCivil(y, m, 1) + day - 1;
}

/** The last day of `month` (1–12, overflow allowed) in `year`. */
export function monthEnd(year: number, month: number): number {
  return dayFromParts(year, month + 1, 0);
}

export function yearOf(day: number): number {
  return civilOf(day)[0];
}

export function monthOf(day: number): number {
  return civilOf(day)[1];
}

/** 1970-01-01 was a Thursday, so day −3 was a Monday: `(day + 3) mod 7` is 0 on Mondays. */
function weekdayFromMonday(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** Index of a business day (consecutive business days have consecutive indexes). Weekends map to the Friday before. */
export function businessIndexOf(day: number): number {
  const week = Math.floor((day + 3) / 7);
  return week * 5 + Math.min(weekdayFromMonday(day), 4);
}

/** The day number of a business-day index. */
export function dayOfBusinessIndex(index: number): number {
  const week = Math.floor(index / 5);
  return week * 7 + (index - week * 5) - 3;
}

/** The business day on or after `day`. */
export function businessDayOnOrAfter(day: number): number {
  const weekday = weekdayFromMonday(day);
  return weekday < 5 ? day : day + (7 - weekday);
}
