/**
 * How the demo writes numbers in prose. Filings write money the way 10-Ks do ("$1,234.5 million",
 * "$391.04 billion"); press and notes use the house style of the summaries (`formatUsd`). Either
 * way the printed figure is the XBRL value rounded, never a different number.
 */
import { MONTH_NAMES } from '../../../core/facts/format';
import { civilOf } from './calendar';

/**
 * `1,234.5` for (1234.51, 1): what `toLocaleString('en-US', …)` prints, without its cost (Intl
 * formatting is slow enough to dominate text generation). Non-negative input.
 */
export function grouped(value: number, decimals: number): string {
  const fixed = (Math.round(value * 10 ** decimals) / 10 ** decimals).toFixed(decimals);
  const dot = fixed.indexOf('.');
  const whole = dot < 0 ? fixed : fixed.slice(0, dot);
  const fraction = dot < 0 ? '' : fixed.slice(dot);
  let out = '';
  for (let i = 0; i < whole.length; i++) {
    if (i > 0 && (whole.length - i) % 3 === 0) out += ',';
    out += whole[i];
  }
  return out + fraction;
}

const SCALES: Array<[word: string, factor: number]> = [
  ['trillion', 1e12],
  ['billion', 1e9],
  ['million', 1e6],
  ['thousand', 1e3],
];

/** Filing style: thousands below $1 million, millions with one decimal up to $100 billion, then billions. */
export function filingUsd(value: number): string {
  const abs = Math.abs(value);
  if (abs < 1e6) return `$${grouped(abs / 1e3, 0)} thousand`;
  if (abs < 1e11) return `$${grouped(abs / 1e6, 1)} million`;
  return `$${grouped(abs / 1e9, 2)} billion`;
}

/** Press style, the same as the summaries' `formatUsd`: `$1.23 billion`, `$456.7 million`. */
export function pressUsd(value: number): string {
  const abs = Math.abs(value);
  for (const [word, factor] of SCALES) if (abs >= factor) return `$${grouped(abs / factor, factor >= 1e9 ? 2 : 1)} ${word}`;
  return `$${grouped(abs, 0)}`;
}

export function perShareUsd(value: number): string {
  return `$${grouped(Math.abs(value), 2)}`;
}

export function percent(value: number, decimals = 1): string {
  return `${grouped(Math.abs(value), decimals)}%`;
}

/** Percentage change from `prior` to `current`; undefined when the base is not positive. */
export function changePercent(current: number, prior: number): number | undefined {
  if (prior <= 0) return undefined;
  return ((current - prior) / prior) * 100;
}

/** "increased 8.2% to", "decreased 3.1% to" or "was" when no meaningful change can be computed. */
export function movedTo(current: number, prior: number): string {
  const change = changePercent(current, prior);
  if (change === undefined) return 'was';
  if (Math.abs(change) < 0.05) return 'was unchanged at';
  return `${change > 0 ? 'increased' : 'decreased'} ${percent(change)} to`;
}

/** `March 3, 2026` for a day number. */
export function longDate(day: number): string {
  const [year, month, date] = civilOf(day);
  return `${MONTH_NAMES[month - 1]} ${date}, ${year}`;
}

/** "net income of $12.3 million" or "a net loss of $4.5 million". */
export function netIncomePhrase(value: number, money: (v: number) => string = filingUsd): string {
  return value < 0 ? `a net loss of ${money(value)}` : `net income of ${money(value)}`;
}

/** "$1.23 per diluted share" or "a loss of $0.45 per diluted share". */
export function epsPhrase(value: number): string {
  return value < 0 ? `a loss of ${perShareUsd(value)} per diluted share` : `${perShareUsd(value)} per diluted share`;
}
