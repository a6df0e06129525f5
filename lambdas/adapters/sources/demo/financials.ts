/**
 * The numbers behind a company: its fiscal calendar, quarterly income statement, balance sheet,
 * share count and price, and its filing schedule. Every value is a closed-form function of
 * (company, quarter) or (company, day), so no history is simulated step by step: the figures for
 * fiscal 2026 cost the same whether or not 2019 was ever asked for.
 *
 * Integrity rules the rest of the demo relies on: a fiscal year is the sum of its quarters, a
 * year-to-date figure the sum of its quarters, gross profit is revenue minus cost of revenue, a
 * bank's net interest income is interest income minus interest expense, and EPS is net income
 * over weighted shares, rounded to cents. Restated years change only the annual figures reported
 * by filings made on or after the restatement.
 */
import { businessDayOnOrAfter, dayFromParts, monthEnd, yearOf } from './calendar';
import { gaussian, mix, SALT, unit } from './random';
import type { DemoCompany } from './universe';

/** Mid-2024: the reference point for levels that grow or drift over time. */
const REFERENCE_DAY = dayFromParts(2024, 7, 1);
const DAYS_PER_YEAR = 365.25;

export type QuarterNumber = 1 | 2 | 3 | 4;

export interface FiscalSpan {
  fy: number;
  fromQuarter: QuarterNumber;
  toQuarter: QuarterNumber;
  start: number;
  end: number;
}

/** Income-statement and cash-flow figures for a span of quarters, in USD (whole multiples of the reporting unit). */
export interface Flows {
  revenue: number;
  costOfRevenue: number;
  grossProfit: number;
  operatingIncome: number;
  netIncome: number;
  operatingCashFlow: number;
  interestIncome: number;
  interestExpense: number;
  netInterestIncome: number;
  noninterestIncome: number;
  provision: number;
  noninterestExpense: number;
}

export interface Statement extends Flows {
  span: FiscalSpan;
  basicShares: number;
  dilutedShares: number;
  epsBasic: number;
  epsDiluted: number;
  /** Dividends declared per share over the span; 0 for non-payers. */
  dividendsPerShare: number;
  /** True when these annual figures are the restated ones. */
  restated: boolean;
}

export interface Balance {
  end: number;
  assets: number;
  liabilities: number;
  equity: number;
  cash: number;
}

export type PeriodicForm = '10-K' | '10-Q' | '10-K/A';

export interface DemoFiling {
  accn: string;
  form: PeriodicForm;
  fy: number;
  fp: 'FY' | 'Q1' | 'Q2' | 'Q3';
  /** The last quarter the filing covers (4 for annual reports). */
  quarter: QuarterNumber;
  periodEnd: number;
  filed: number;
  /** Date of the cover-page share count. */
  coverDate: number;
}

// ---------------------------------------------------------------------------------------------
// Fiscal calendar.

/** Fiscal years are named for the calendar year they end in (FY2026 of a January filer ends 2026-01-31). */
export function fiscalYearEnd(company: DemoCompany, fy: number): number {
  return monthEnd(fy, company.profile.fiscalYearEndMonth);
}

export function quarterEnd(company: DemoCompany, fy: number, quarter: number): number {
  return monthEnd(fy - 1, company.profile.fiscalYearEndMonth + 3 * quarter);
}

export function quarterStart(company: DemoCompany, fy: number, quarter: number): number {
  return quarterEnd(company, fy, quarter - 1) + 1;
}

export function spanOf(company: DemoCompany, fy: number, fromQuarter: QuarterNumber, toQuarter: QuarterNumber): FiscalSpan {
  return { fy, fromQuarter, toQuarter, start: quarterStart(company, fy, fromQuarter), end: quarterEnd(company, fy, toQuarter) };
}

/** The fiscal year a day falls in. */
export function fiscalYearOf(company: DemoCompany, day: number): number {
  const year = yearOf(day);
  return day <= fiscalYearEnd(company, year) ? year : year + 1;
}

// ---------------------------------------------------------------------------------------------
// Quarterly figures.

function yearsSinceReference(day: number): number {
  return (day - REFERENCE_DAY) / DAYS_PER_YEAR;
}

/** Annualised revenue level at a day: trend growth plus a slow business cycle. */
function revenueLevel(company: DemoCompany, day: number): number {
  const t = company.traits;
  const years = yearsSinceReference(day);
  return t.revenueBase * Math.exp(t.growth * years + t.cycleAmplitude * Math.sin((2 * Math.PI * years) / t.cycleYears + t.cyclePhase));
}

function quarterIndex(fy: number, quarter: number): number {
  return fy * 4 + quarter - 1;
}

function roundTo(value: number, step: number): number {
  return Math.round(value / step) * step;
}

const quarterCache = new WeakMap<DemoCompany, Map<number, Flows>>();

/** One fiscal quarter's figures, as originally reported. */
export function quarterFlows(company: DemoCompany, fy: number, quarter: QuarterNumber): Flows {
  let cache = quarterCache.get(company);
  if (!cache) {
    cache = new Map();
    quarterCache.set(company, cache);
  }
  const index = quarterIndex(fy, quarter);
  const cached = cache.get(index);
  if (cached) return cached;
  const flows = computeQuarter(company, fy, quarter);
  // Bounded: a company's cache holds the quarters ever asked for, a few dozen in practice.
  if (cache.size > 256) cache.clear();
  cache.set(index, flows);
  return flows;
}

function computeQuarter(company: DemoCompany, fy: number, quarter: QuarterNumber): Flows {
  const t = company.traits;
  const u = t.reportingUnit;
  const index = quarterIndex(fy, quarter);
  const noise = (salt: number) => gaussian(mix(company.key, SALT.quarter, index, salt));
  const mid = Math.round((quarterStart(company, fy, quarter) + quarterEnd(company, fy, quarter)) / 2);
  const revenue = Math.max(u, roundTo((revenueLevel(company, mid) / 4) * t.seasonality[quarter - 1]! * (1 + 0.02 * noise(1)), u));
  const zero = { interestIncome: 0, interestExpense: 0, netInterestIncome: 0, noninterestIncome: 0, provision: 0, noninterestExpense: 0 };
  if (t.bank) {
    const netInterestIncome = roundTo(revenue * (t.netInterestShare + 0.015 * noise(2)), u);
    const noninterestIncome = revenue - netInterestIncome;
    const interestIncome = roundTo(netInterestIncome * (t.interestIncomeMultiple + 0.03 * noise(3)), u);
    const provision = Math.max(0, roundTo(revenue * (t.provisionRate + 0.01 * noise(4)), u));
    const noninterestExpense = roundTo(revenue * (t.efficiencyRatio + 0.012 * noise(5)), u);
    const pretax = revenue - provision - noninterestExpense;
    const netIncome = roundTo(pretax * (1 - t.taxRate), u);
    return {
      revenue,
      costOfRevenue: 0,
      grossProfit: 0,
      operatingIncome: 0,
      netIncome,
      operatingCashFlow: roundTo(netIncome * (1.05 + 0.15 * noise(6)), u),
      interestIncome,
      interestExpense: interestIncome - netInterestIncome,
      netInterestIncome,
      noninterestIncome,
      provision,
      noninterestExpense,
    };
  }
  const grossMargin = t.grossMargin + 0.008 * noise(2);
  const costOfRevenue = roundTo(revenue * (1 - grossMargin), u);
  const operatingMargin = t.operatingMargin + 0.01 * noise(3);
  const operatingIncome = roundTo(revenue * operatingMargin, u);
  // Loss makers stay loss makers; profitable companies keep a positive pre-tax margin.
  const preTax =
    operatingMargin < 0
      ? operatingIncome - revenue * t.interestBurden
      : Math.max(revenue * 0.002, operatingIncome - revenue * t.interestBurden);
  const netIncome = roundTo(preTax < 0 ? preTax : preTax * (1 - t.taxRate), u);
  const operatingCashFlow = roundTo(netIncome + revenue * t.depreciationRate * (1 + 0.2 * noise(4)), u);
  return { revenue, costOfRevenue, grossProfit: revenue - costOfRevenue, operatingIncome, netIncome, operatingCashFlow, ...zero };
}

function sumFlows(parts: Flows[]): Flows {
  const out: Flows = { ...parts[0]! };
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i]!;
    out.revenue += p.revenue;
    out.costOfRevenue += p.costOfRevenue;
    out.grossProfit += p.grossProfit;
    out.operatingIncome += p.operatingIncome;
    out.netIncome += p.netIncome;
    out.operatingCashFlow += p.operatingCashFlow;
    out.interestIncome += p.interestIncome;
    out.interestExpense += p.interestExpense;
    out.netInterestIncome += p.netInterestIncome;
    out.noninterestIncome += p.noninterestIncome;
    out.provision += p.provision;
    out.noninterestExpense += p.noninterestExpense;
  }
  return out;
}

/** Shares outstanding at a day (drifting with buybacks or issuance). */
export function sharesAt(company: DemoCompany, day: number): number {
  const t = company.traits;
  return t.sharesBase * Math.exp(t.shareDrift * yearsSinceReference(day));
}

/** Whether fiscal year `fy`'s annual figures are ever restated, and when the restatement is filed. */
export function restatementOf(company: DemoCompany, fy: number): { filed: number; via: 'amendment' | 'comparative' } | undefined {
  const r = company.traits.restatement;
  if (!r || ((fy % 2) + 2) % 2 !== r.parity) return undefined;
  const filed = r.via === 'amendment' ? amendmentFiled(company, fy) : annualFiled(company, fy + 1);
  return { filed, via: r.via };
}

function perShare(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The quarterly dividend per share declared in fiscal year `fy` (0 for non-payers). */
export function quarterlyDividend(company: DemoCompany, fy: number): number {
  const d = company.traits.dividend;
  if (!d) return 0;
  return Math.max(0.01, perShare(d.quarterly * Math.pow(1 + d.growth, fy - 2024)));
}

const statementCache = new WeakMap<DemoCompany, Map<number, Statement>>();

/**
 * Figures for a span of quarters as a filing made on `reportedOn` states them. Memoised per
 * company (a few dozen spans each); callers must not mutate the result.
 */
export function statementFor(company: DemoCompany, span: FiscalSpan, reportedOn: number): Statement {
  const annual = span.fromQuarter === 1 && span.toQuarter === 4;
  const restatement = annual ? restatementOf(company, span.fy) : undefined;
  const restated = restatement !== undefined && reportedOn >= restatement.filed;
  const key = ((span.fy * 10 + span.fromQuarter) * 10 + span.toQuarter) * 2 + (restated ? 1 : 0);
  let cache = statementCache.get(company);
  if (!cache) {
    cache = new Map();
    statementCache.set(company, cache);
  }
  const cached = cache.get(key);
  if (cached) return cached;
  const statement = computeStatement(company, span, restated);
  if (cache.size > 512) cache.clear();
  cache.set(key, statement);
  return statement;
}

function computeStatement(company: DemoCompany, span: FiscalSpan, restated: boolean): Statement {
  const quarters: Flows[] = [];
  for (let q = span.fromQuarter; q <= span.toQuarter; q++) quarters.push(quarterFlows(company, span.fy, q as QuarterNumber));
  const flows = sumFlows(quarters);
  const t = company.traits;
  if (restated) {
    const u = t.reportingUnit;
    const change = roundTo(flows.revenue * t.restatement!.revenueChange, u) || u;
    flows.revenue += change;
    if (t.bank) flows.noninterestIncome += change;
    else {
      flows.grossProfit = t.reportsGrossProfit ? flows.grossProfit + change : 0;
      flows.operatingIncome += change;
    }
    flows.netIncome += roundTo(change * (1 - t.taxRate), u);
  }
  if (!t.reportsGrossProfit) {
    flows.grossProfit = 0;
    flows.costOfRevenue = 0;
  }
  const mid = Math.round((span.start + span.end) / 2);
  const basicShares = Math.round(sharesAt(company, mid) / 1000) * 1000;
  const dilutedShares = Math.round((basicShares * (1 + t.dilution)) / 1000) * 1000;
  const epsBasic = perShare(flows.netIncome / basicShares);
  // Options are anti-dilutive in a loss year, so diluted EPS equals basic EPS.
  const epsDiluted = flows.netIncome < 0 ? epsBasic : perShare(flows.netIncome / dilutedShares);
  const dividendsPerShare = perShare(quarterlyDividend(company, span.fy) * (span.toQuarter - span.fromQuarter + 1));
  return {
    revenue: flows.revenue,
    costOfRevenue: flows.costOfRevenue,
    grossProfit: flows.grossProfit,
    operatingIncome: flows.operatingIncome,
    netIncome: flows.netIncome,
    operatingCashFlow: flows.operatingCashFlow,
    interestIncome: flows.interestIncome,
    interestExpense: flows.interestExpense,
    netInterestIncome: flows.netInterestIncome,
    noninterestIncome: flows.noninterestIncome,
    provision: flows.provision,
    noninterestExpense: flows.noninterestExpense,
    span,
    basicShares,
    dilutedShares: flows.netIncome < 0 ? basicShares : dilutedShares,
    epsBasic,
    epsDiluted,
    dividendsPerShare,
    restated,
  };
}

/** Balance sheet at the end of fiscal quarter `quarter` (4 = year end). */
export function balanceAt(company: DemoCompany, fy: number, quarter: QuarterNumber): Balance {
  const t = company.traits;
  const u = t.reportingUnit;
  const end = quarterEnd(company, fy, quarter);
  const noise = (salt: number) => gaussian(mix(company.key, SALT.instant, quarterIndex(fy, quarter), salt));
  const assets = roundTo(revenueLevel(company, end) * t.assetsToRevenue * (1 + 0.02 * noise(1)), u);
  const liabilities = roundTo(assets * Math.min(0.95, t.liabilitiesToAssets + 0.01 * noise(2)), u);
  const cash = roundTo(assets * t.cashToAssets * (1 + 0.08 * noise(3)), u);
  return { end, assets, liabilities, equity: assets - liabilities, cash };
}

// ---------------------------------------------------------------------------------------------
// Price.

/** Closing share price on a day: drift plus slow and fast swings plus a little daily noise. */
export function priceAt(company: DemoCompany, day: number): number {
  const t = company.traits;
  const years = yearsSinceReference(day);
  const phase = unit(mix(company.key, SALT.price)) * 2 * Math.PI;
  const swing =
    0.6 * Math.sin((2 * Math.PI * years) / 2.7 + phase) +
    0.3 * Math.sin((2 * Math.PI * years) / 0.9 + 2 * phase) +
    0.1 * Math.sin((2 * Math.PI * years) / 0.23 + 3 * phase);
  const daily = 0.012 * gaussian(mix(company.key, SALT.price, day));
  return Math.max(0.5, perShare(t.priceBase * Math.exp(t.priceDrift * years + t.priceSwing * swing + daily)));
}

// ---------------------------------------------------------------------------------------------
// Filing schedule.

function jitter(company: DemoCompany, fy: number, quarter: number, span: number): number {
  return Math.floor(unit(mix(company.key, SALT.filingLag, fy, quarter)) * span);
}

function annualFiled(company: DemoCompany, fy: number): number {
  return businessDayOnOrAfter(fiscalYearEnd(company, fy) + company.traits.lag10K + jitter(company, fy, 4, 7) - 3);
}

function amendmentFiled(company: DemoCompany, fy: number): number {
  return businessDayOnOrAfter(annualFiled(company, fy) + 95 + jitter(company, fy, 5, 36));
}

function accessionNumber(company: DemoCompany, filed: number, formCode: number): string {
  const year = yearOf(filed);
  const dayOfYear = filed - dayFromParts(year, 1, 1) + 1;
  // Self-filed: the filer's own CIK, the filing year, then a sequence that is unique per filing day and form.
  return `${company.profile.cik}-${String(year % 100).padStart(2, '0')}-${String(dayOfYear * 10 + formCode).padStart(6, '0')}`;
}

function filingOf(company: DemoCompany, fy: number, quarter: QuarterNumber, form: PeriodicForm): DemoFiling {
  const periodEnd = quarterEnd(company, fy, quarter);
  const filed =
    form === '10-K/A'
      ? amendmentFiled(company, fy)
      : form === '10-K'
        ? annualFiled(company, fy)
        : businessDayOnOrAfter(periodEnd + company.traits.lag10Q + jitter(company, fy, quarter, 7) - 3);
  return {
    accn: accessionNumber(company, filed, form === '10-Q' ? 1 : form === '10-K' ? 2 : 3),
    form,
    fy,
    fp: form === '10-Q' ? (`Q${quarter}` as 'Q1' | 'Q2' | 'Q3') : 'FY',
    quarter,
    periodEnd,
    filed,
    coverDate: filed - 4 - jitter(company, fy, quarter + 10, 12),
  };
}

const scheduleCache = new WeakMap<DemoCompany, Map<number, DemoFiling[]>>();

/** The periodic filings for fiscal year `fy`: three 10-Qs, the 10-K, and a 10-K/A when that year is restated by amendment. */
export function filingsOfYear(company: DemoCompany, fy: number): DemoFiling[] {
  let cache = scheduleCache.get(company);
  if (!cache) {
    cache = new Map();
    scheduleCache.set(company, cache);
  }
  const cached = cache.get(fy);
  if (cached) return cached;
  const filings = [
    filingOf(company, fy, 1, '10-Q'),
    filingOf(company, fy, 2, '10-Q'),
    filingOf(company, fy, 3, '10-Q'),
    filingOf(company, fy, 4, '10-K'),
  ];
  if (restatementOf(company, fy)?.via === 'amendment') filings.push(filingOf(company, fy, 4, '10-K/A'));
  if (cache.size > 64) cache.clear();
  cache.set(fy, filings);
  return filings;
}

/** Every periodic filing made on or before `day` within the last `years` fiscal years, oldest first. */
export function filingsUpTo(company: DemoCompany, day: number, years = 6): DemoFiling[] {
  const lastFy = fiscalYearOf(company, day);
  const out: DemoFiling[] = [];
  for (let fy = lastFy - years; fy <= lastFy + 1; fy++) for (const f of filingsOfYear(company, fy)) if (f.filed <= day) out.push(f);
  return out.sort((a, b) => a.filed - b.filed || a.quarter - b.quarter);
}

/** How many 10-K/10-Q filings the companyfacts payload reaches back over: three fiscal years. */
export const COMPANY_FACTS_FILINGS = 12;

/**
 * The filings whose facts the companyfacts payload holds on `day`: the latest twelve 10-K/10-Q
 * filings and any amendment filed since the oldest of them. Counting filings rather than days means
 * the payload changes only when a new filing arrives.
 */
export function companyFactsWindow(company: DemoCompany, day: number): DemoFiling[] {
  const all = filingsUpTo(company, day);
  const periodic = all.filter((f) => f.form !== '10-K/A');
  const kept = periodic.slice(-COMPANY_FACTS_FILINGS);
  const oldest = kept[0]?.filed ?? day;
  return all.filter((f) => f.filed >= oldest && (f.form === '10-K/A' || kept.includes(f)));
}

/** The filing made on business day `day`, if any. */
export function filingOn(company: DemoCompany, day: number): DemoFiling | undefined {
  const fy = fiscalYearOf(company, day);
  for (const year of [fy - 1, fy, fy + 1]) for (const f of filingsOfYear(company, year)) if (f.filed === day) return f;
  return undefined;
}

/** The latest 10-K or 10-Q filed on or before `day`. */
export function latestPeriodicFiling(company: DemoCompany, day: number): DemoFiling | undefined {
  const fy = fiscalYearOf(company, day);
  let best: DemoFiling | undefined;
  for (const year of [fy - 2, fy - 1, fy]) {
    for (const f of filingsOfYear(company, year)) if (f.form !== '10-K/A' && f.filed <= day && (!best || f.filed > best.filed)) best = f;
  }
  return best;
}

/** The latest 10-K filed on or before `day`. */
export function latestAnnualFiling(company: DemoCompany, day: number): DemoFiling | undefined {
  const fy = fiscalYearOf(company, day);
  for (const year of [fy, fy - 1, fy - 2]) {
    const annual = filingsOfYear(company, year).find((f) => f.form === '10-K');
    if (annual && annual.filed <= day) return annual;
  }
  return undefined;
}
