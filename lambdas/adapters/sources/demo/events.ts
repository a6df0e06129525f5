/**
 * What happens to a company on a business day: a filing, an earnings release, other news, a
 * research note. Each is decided by a hash of (company, business-day index), so "the latest five
 * news items" is a short scan backwards over integers and no history is ever simulated.
 *
 * Rates are tuned so that between two consecutive business days about a fifth of the universe
 * gets a new news item or note and one or two percent a new filing (more in earnings season, when
 * post-earnings notes and releases cluster, as they do in reality).
 */
import { businessIndexOf, dayFromParts, dayOfBusinessIndex } from './calendar';
import { filingOn } from './financials';
import type { DemoFiling } from './financials';
import { mix, SALT, unit } from './random';
import type { DemoCompany } from './universe';

/**
 * Share of filings that come with a same-day press release. Real companies often release earnings
 * days before the 10-Q; here the release lands on the filing day so its figures are the filing's.
 * Kept below one so earnings-season days stay within the daily-change band.
 */
const EARNINGS_RELEASE_SHARE = 0.6;
/** Chance of a covering analyst publishing on each of the two business days after a filing. */
const POST_FILING_NOTE_CHANCE = 0.15;
/** Vendor records are refreshed at least this often (business days), so a normal record is never more than ten calendar days old. */
export const FUNDAMENTALS_MAX_GAP = 7;
/** How far back a scan looks before giving up (about eight years). */
export const SCAN_LIMIT = 2_000;

/** The last business day on which a stale-research company was covered: a fixed day in the first half of 2024. */
export function coverageEndIndex(company: DemoCompany): number {
  const offset = Math.floor(unit(mix(company.key, SALT.coverage)) * 150);
  return businessIndexOf(dayFromParts(2024, 1, 15) + offset);
}

/** The filing made on business day `index`, if any. */
export function filingOnIndex(company: DemoCompany, index: number): DemoFiling | undefined {
  return filingOn(company, dayOfBusinessIndex(index));
}

/** A research note on business day `index`: the broker's own cadence, or a reaction in the two days after a filing. */
export function hasNote(company: DemoCompany, index: number): boolean {
  const t = company.traits;
  if (t.brokers.length === 0) return false;
  if (company.hardCases.has('stale_research') && index > coverageEndIndex(company)) return false;
  if (unit(mix(company.key, SALT.note, index)) < t.noteRate) return true;
  if (unit(mix(company.key, SALT.postEarningsNote, index)) >= POST_FILING_NOTE_CHANCE) return false;
  const recent = filingOnIndex(company, index - 1) ?? filingOnIndex(company, index - 2);
  return recent !== undefined && recent.form !== '10-K/A';
}

/** An ordinary news item (not an earnings release) on business day `index`. */
export function hasNews(company: DemoCompany, index: number): boolean {
  return unit(mix(company.key, SALT.news, index)) < company.traits.newsRate;
}

/** A press release with the figures of the filing made that day. */
export function hasEarningsRelease(company: DemoCompany, index: number, filing: DemoFiling | undefined): boolean {
  return filing !== undefined && unit(mix(company.key, SALT.earningsNews, index)) < EARNINGS_RELEASE_SHARE;
}

function isEventDay(company: DemoCompany, index: number): boolean {
  // Cheapest checks first: most days have no event at all.
  return hasNews(company, index) || hasNote(company, index) || filingOnIndex(company, index) !== undefined;
}

/**
 * The business-day index of the vendor record in force on business day `index`.
 *
 * A record is refreshed on every day something happens to the company (a filing, news, a note:
 * the price and estimates move with them) and otherwise every `FUNDAMENTALS_MAX_GAP` business days
 * after the last such day. Between refreshes the record is byte-identical, so the skip-unchanged
 * path sees a quiet stock as quiet. Stale-data companies' records lag four to six weeks behind.
 */
export function fundamentalsRefreshIndex(company: DemoCompany, index: number): number {
  if (company.hardCases.has('stale_fundamentals')) {
    const lagged = index - 20 - (company.key % 6);
    const phase = company.key % 10;
    return lagged - ((((lagged + phase) % 10) + 10) % 10);
  }
  for (let back = 0; back < SCAN_LIMIT; back++) {
    const candidate = index - back;
    if (isEventDay(company, candidate)) return candidate + FUNDAMENTALS_MAX_GAP * Math.floor(back / FUNDAMENTALS_MAX_GAP);
  }
  return index - (((index % FUNDAMENTALS_MAX_GAP) + FUNDAMENTALS_MAX_GAP) % FUNDAMENTALS_MAX_GAP);
}

/** Whether a port is down for this company on this business day (outage hard cases only). */
export function isOutage(company: DemoCompany, source: 'fundamentals' | 'news', index: number): boolean {
  const hardCase = source === 'fundamentals' ? 'fundamentals_outage' : 'news_outage';
  if (!company.hardCases.has(hardCase)) return false;
  // Outages come in runs of a business week, like a vendor's bad week, not a coin flip per day:
  // a flapping source would change every affected stock's content every day.
  const week = Math.floor((index + (company.key % 5)) / 5);
  return unit(mix(company.key, SALT.outage, week, source === 'fundamentals' ? 1 : 2)) < 0.4;
}
