/**
 * Claim extraction: the figures, dates and fiscal periods a sentence states. Deterministic and
 * conservative: anything that looks like a number is a claim that must be grounded.
 */
import { MONTH_NAMES, scaleFactor } from '../facts/format';

export type ClaimKind = 'money' | 'per_share_or_money' | 'percent' | 'ratio' | 'shares' | 'number';

export interface NumericClaim {
  kind: ClaimKind;
  /** The value the text states, in base units, always non-negative (words carry the sign). */
  value: number;
  /** Half a unit of the last digit shown, in base units: how far a correct rounding can be off. */
  tolerance: number;
  text: string;
}

export interface SentenceClaims {
  numbers: NumericClaim[];
  /** ISO dates stated in the sentence. */
  dates: string[];
  /** Fiscal years the sentence names ("fiscal 2026", "FY2026"). */
  fiscalYears: number[];
  /** Quarters the sentence names ("third quarter"), 1–4. */
  quarters: number[];
}

const NUM = String.raw`(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)`;
const SCALE = String.raw`(trillion|billion|million|thousand)`;
const MONTH = `(${MONTH_NAMES.join('|')})`;

const PATTERNS: Array<[ClaimKind, RegExp]> = [
  ['shares', new RegExp(String.raw`${NUM}(?:\s${SCALE})?\sshares`, 'gi')],
  ['money', new RegExp(String.raw`\$\s?${NUM}\s${SCALE}`, 'gi')],
  ['per_share_or_money', new RegExp(String.raw`\$\s?${NUM}`, 'g')],
  ['percent', new RegExp(String.raw`${NUM}\s?(?:%|percent\b)`, 'gi')],
  ['ratio', new RegExp(String.raw`${NUM}x\b`, 'g')],
  ['number', new RegExp(String.raw`(?<![\w.])${NUM}(?:\s${SCALE})?(?![\w])`, 'gi')],
];

const QUARTER_WORDS: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4 };

function decimalsOf(numeral: string): number {
  const dot = numeral.indexOf('.');
  return dot < 0 ? 0 : numeral.length - dot - 1;
}

function mask(text: string, start: number, length: number): string {
  return text.slice(0, start) + ' '.repeat(length) + text.slice(start + length);
}

export function extractClaims(sentence: string): SentenceClaims {
  let rest = sentence;
  const dates: string[] = [];
  const fiscalYears: number[] = [];
  const quarters: number[] = [];

  // Dates and period references first, so their digits are not read as figures.
  for (const m of sentence.matchAll(new RegExp(String.raw`${MONTH}\s(\d{1,2}),\s(\d{4})`, 'g'))) {
    const month = MONTH_NAMES.indexOf(m[1]!) + 1;
    dates.push(`${m[3]}-${String(month).padStart(2, '0')}-${m[2]!.padStart(2, '0')}`);
    rest = mask(rest, m.index!, m[0].length);
  }
  for (const m of rest.matchAll(/\b(\d{4})-(\d{2})-(\d{2})\b/g)) {
    dates.push(m[0]);
    rest = mask(rest, m.index!, m[0].length);
  }
  for (const m of rest.matchAll(/\b(?:fiscal(?:\syear)?\s|FY\s?)(\d{4})\b/gi)) {
    fiscalYears.push(Number(m[1]));
    rest = mask(rest, m.index!, m[0].length);
  }
  for (const m of rest.matchAll(/\b(first|second|third|fourth)\squarter\b|\bQ([1-4])\b/gi)) {
    quarters.push(m[1] ? QUARTER_WORDS[m[1].toLowerCase()]! : Number(m[2]));
    rest = mask(rest, m.index!, m[0].length);
  }
  // A bare four-digit year (1900–2099) is a period reference, not a figure.
  for (const m of rest.matchAll(/(?<![\d$.,])\b(19|20)\d{2}\b(?![\d%x.,])/g)) {
    if (!/^\s(?:trillion|billion|million|thousand|shares)/i.test(rest.slice(m.index! + 4))) rest = mask(rest, m.index!, 4);
  }

  const numbers: NumericClaim[] = [];
  for (const [kind, pattern] of PATTERNS) {
    for (const m of rest.matchAll(pattern)) {
      const numeral = m[1]!;
      const factor = scaleFactor(m[2]);
      numbers.push({
        kind,
        value: Number(numeral.replace(/,/g, '')) * factor,
        tolerance: 0.5 * 10 ** -decimalsOf(numeral) * factor + 1e-9,
        text: m[0].trim(),
      });
      rest = mask(rest, m.index!, m[0].length);
    }
  }
  return { numbers, dates, fiscalYears, quarters };
}
