/**
 * How numbers and periods are written in summaries. The writer, the facts-only fallback and the
 * verifier share these rules, so a correctly copied figure always verifies and a mangled one never does.
 */
import type { Fact, FactUnit, FiscalPeriod } from '../model';

const SCALE_WORDS: Array<[word: string, factor: number]> = [
  ['trillion', 1e12],
  ['billion', 1e9],
  ['million', 1e6],
  ['thousand', 1e3],
];

export function scaleFactor(word: string | undefined): number {
  if (!word) return 1;
  return SCALE_WORDS.find(([w]) => w === word.toLowerCase())?.[1] ?? 1;
}

/** `1234567.891` → `1,234,567.89`. Plain arithmetic: Intl formatting was a measurable share of a batch. */
function grouped(value: number, decimals: number): string {
  const [whole, fraction] = value.toFixed(decimals).split('.') as [string, string | undefined];
  const withCommas = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? withCommas : `${withCommas}.${fraction}`;
}

/** `$1,234.5 million`, `$12.3 billion`; the sign is left to the words around it ("a loss of"). */
export function formatUsd(value: number): string {
  const abs = Math.abs(value);
  for (const [word, factor] of SCALE_WORDS) {
    // Billions and up keep two decimals so $1,234.5 million does not read as a vague $1.2 billion.
    if (abs >= factor) return `$${grouped(abs / factor, factor >= 1e9 ? 2 : 1)} ${word}`;
  }
  return `$${grouped(abs, 0)}`;
}

export function formatPerShare(value: number): string {
  return `$${grouped(Math.abs(value), 2)}`;
}

export function formatPercent(value: number): string {
  return `${grouped(Math.abs(value), 1)}%`;
}

export function formatShares(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${grouped(abs / 1e9, 2)} billion shares`;
  if (abs >= 1e6) return `${grouped(abs / 1e6, 1)} million shares`;
  return `${grouped(abs, 0)} shares`;
}

export function formatRatio(value: number): string {
  return `${grouped(value, 1)}x`;
}

export function formatFactValue(value: number, unit: FactUnit): string {
  switch (unit) {
    case 'USD':
      return formatUsd(value);
    case 'USD/share':
      return formatPerShare(value);
    case 'percent':
      return formatPercent(value);
    case 'shares':
      return formatShares(value);
    case 'ratio':
      return formatRatio(value);
  }
}

export function formatFact(fact: Pick<Fact, 'value' | 'unit'>): string {
  return formatFactValue(fact.value, fact.unit);
}

/** `fiscal 2026`, `the third quarter of fiscal 2026`, or the date for point-in-time values. */
export function formatPeriod(period: FiscalPeriod): string {
  switch (period.fiscalPeriod) {
    case 'FY':
      return `fiscal ${period.fiscalYear}`;
    case 'spot':
      return `as of ${formatDate(period.end)}`;
    default: {
      const ordinal = { Q1: 'first', Q2: 'second', Q3: 'third', Q4: 'fourth' }[period.fiscalPeriod];
      return `the ${ordinal} quarter of fiscal ${period.fiscalYear}`;
    }
  }
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `March 3, 2026` from `2026-03-03`. */
export function formatDate(isoDate: string): string {
  const [y, m, d] = isoDate.slice(0, 10).split('-').map(Number);
  return `${MONTHS[(m ?? 1) - 1]} ${d}, ${y}`;
}

export const MONTH_NAMES = MONTHS;

/** How a metric is named in prose. */
export const METRIC_LABELS: Record<string, string> = {
  revenue: 'revenue',
  net_income: 'net income',
  operating_income: 'operating income',
  gross_profit: 'gross profit',
  eps_diluted: 'diluted EPS',
  eps_basic: 'basic EPS',
  total_assets: 'total assets',
  total_liabilities: 'total liabilities',
  stockholders_equity: "stockholders' equity",
  cash: 'cash',
  operating_cash_flow: 'operating cash flow',
  shares_outstanding: 'shares outstanding',
  dividends_per_share: 'dividends per share',
  net_interest_income: 'net interest income',
  price: 'share price',
  market_cap: 'market value',
  consensus_eps: 'consensus EPS',
  consensus_revenue: 'consensus revenue',
  price_target: 'price target',
};

/** How a source is named in prose. */
export const SOURCE_LABELS: Record<string, string> = {
  filings: 'the filing',
  fundamentals: 'vendor data',
  research: 'research notes',
  news: 'the news',
};
