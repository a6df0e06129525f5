/**
 * Period mentions: fiscal and calendar years (FY25, FY2026, fiscal 2024, "in 2023"), quarters
 * (Q3 FY2026, "the third quarter of fiscal 2026", "the quarter ended March 31, 2025"), halves,
 * month-years ("December 2027") and dates. Each comes back with its span so its digits are never
 * read as figures.
 */

export interface PeriodRef {
  start: number;
  end: number;
  text: string;
  year: number;
  quarter?: 1 | 2 | 3 | 4;
  /** First or second half. */
  half?: 1 | 2;
  fiscal: boolean;
  /** ISO date, when the text names a day or a month (month → last day). */
  date?: string;
  kind: 'year' | 'quarter' | 'half' | 'month' | 'date' | 'ytd';
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH_ABBR = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_RE = String.raw`(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?`;
const ORD: Record<string, 1 | 2 | 3 | 4> = { first: 1, second: 2, third: 3, fourth: 4, '1st': 1, '2nd': 2, '3rd': 3, '4th': 4 };

function monthIndex(word: string): number {
  const w = word.toLowerCase().replace(/\.$/, '');
  const full = MONTHS.indexOf(w);
  return full >= 0 ? full : MONTH_ABBR.indexOf(w.slice(0, 3));
}

function lastDay(year: number, month0: number): number {
  return new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
}

function iso(year: number, month0: number, day: number): string {
  return `${year}-${String(month0 + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function year2(y: string): number {
  const n = Number(y);
  return y.length === 2 ? 2000 + n : n;
}

const YEAR = String.raw`(?:19|20)\d{2}`;
const FY = String.raw`(?:F(?:Y\s?)?'?(${YEAR}|\d{2})\b|fiscal\s+(?:year\s+)?(${YEAR})|(${YEAR})\s+fiscal\s+year)`;

// Order matters: longer, more specific forms first; later patterns skip spans already taken.
const PATTERNS: Array<{
  re: RegExp;
  needsDigit?: boolean;
  hint?: RegExp;
  read: (m: RegExpMatchArray) => Omit<PeriodRef, 'start' | 'end' | 'text'> | undefined;
}> = [
  {
    // "the quarter ended March 31, 2025", "three months ended June 30, 2024", "fiscal year ended September 28, 2024"
    re: new RegExp(
      String.raw`\b(?:the\s+)?(quarter|three\s+months|six\s+months|nine\s+months|twelve\s+months|(?:fiscal\s+)?year|period)\s+end(?:ed|ing)\s+(${MONTH_RE})\s+(\d{1,2}),?\s+(${YEAR})`,
      'gi',
    ),
    read: (m) => {
      const y = Number(m[4]);
      const mo = monthIndex(m[2]!);
      const date = iso(y, mo, Number(m[3]));
      const what = m[1]!.toLowerCase();
      if (what.startsWith('quarter') || what.startsWith('three'))
        return { year: y, quarter: (Math.floor(mo / 3) + 1) as 1 | 2 | 3 | 4, fiscal: true, date, kind: 'quarter' };
      if (what.includes('year') || what.startsWith('twelve')) return { year: y, fiscal: true, date, kind: 'year' };
      return { year: y, fiscal: true, date, kind: 'ytd' };
    },
  },
  {
    re: new RegExp(String.raw`\bQ([1-4])\s*(?:of\s+)?(?:${FY}|(${YEAR})|'(\d{2}))`, 'gi'),
    read: (m) => ({
      year: year2(m[2] ?? m[3] ?? m[4] ?? m[5] ?? m[6]!),
      quarter: Number(m[1]) as 1 | 2 | 3 | 4,
      fiscal: !m[5] && !m[6],
      kind: 'quarter',
    }),
  },
  {
    re: new RegExp(String.raw`\b(?:${FY})\s*Q([1-4])\b`, 'gi'),
    read: (m) => ({ year: year2(m[1] ?? m[2] ?? m[3]!), quarter: Number(m[4]) as 1 | 2 | 3 | 4, fiscal: true, kind: 'quarter' }),
  },
  {
    re: new RegExp(String.raw`\b(first|second|third|fourth|1st|2nd|3rd|4th)[\s-]quarter(?:\s+(?:of\s+)?(?:${FY}|(${YEAR})))?`, 'gi'),
    read: (m) => {
      const y = m[2] ?? m[3] ?? m[4] ?? m[5];
      return y
        ? { year: year2(y), quarter: ORD[m[1]!.toLowerCase()]!, fiscal: !m[5], kind: 'quarter' }
        : { year: NaN, quarter: ORD[m[1]!.toLowerCase()]!, fiscal: true, kind: 'quarter' };
    },
  },
  {
    re: new RegExp(String.raw`\b(?:H([12])|(first|second)\s+half)(?:\s+(?:of\s+)?(?:${FY}|(${YEAR})))?`, 'gi'),
    read: (m) => {
      const y = m[3] ?? m[4] ?? m[5] ?? m[6];
      const half = (m[1] ? Number(m[1]) : m[2]!.toLowerCase() === 'first' ? 1 : 2) as 1 | 2;
      return { year: y ? year2(y) : NaN, half, fiscal: !m[6], kind: 'half' };
    },
  },
  {
    re: new RegExp(String.raw`\b${FY}`, 'gi'),
    read: (m) => ({ year: year2(m[1] ?? m[2] ?? m[3]!), fiscal: true, kind: 'year' }),
  },
  {
    re: new RegExp(String.raw`\b(${MONTH_RE})\s+(\d{1,2}),?\s+(${YEAR})\b`, 'g'),
    read: (m) => {
      const mo = monthIndex(m[1]!);
      return mo < 0 ? undefined : { year: Number(m[3]), fiscal: false, date: iso(Number(m[3]), mo, Number(m[2])), kind: 'date' };
    },
  },
  {
    // "31 December 2019"
    re: new RegExp(String.raw`\b(\d{1,2})\s+(${MONTH_RE})\s+(${YEAR})\b`, 'g'),
    read: (m) => {
      const mo = monthIndex(m[2]!);
      return mo < 0 ? undefined : { year: Number(m[3]), fiscal: false, date: iso(Number(m[3]), mo, Number(m[1])), kind: 'date' };
    },
  },
  {
    re: new RegExp(String.raw`\b(${YEAR})-(\d{2})-(\d{2})\b`, 'g'),
    read: (m) => ({ year: Number(m[1]), fiscal: false, date: `${m[1]}-${m[2]}-${m[3]}`, kind: 'date' }),
  },
  {
    re: new RegExp(String.raw`\b(${MONTH_RE})\s+(${YEAR})\b`, 'g'),
    read: (m) => {
      const mo = monthIndex(m[1]!);
      const y = Number(m[2]);
      return mo < 0 ? undefined : { year: y, fiscal: false, date: iso(y, mo, lastDay(y, mo)), kind: 'month' };
    },
  },
  {
    // A bare year: "in 2023", "2019 from 2018", "In 2023, …" — never a figure.
    re: new RegExp(
      String.raw`(?<![\d$€£.,])\b(${YEAR})\b(?![\d%]|\.\d|,\d{3}|\s?(?:trillion|billion|million|thousand|shares|bn|mn)\b)`,
      'g',
    ),
    read: (m) => ({ year: Number(m[1]), fiscal: false, kind: 'year' }),
  },
];

// Every pattern but the spelled-out quarter and half needs a digit; each has a cheap hint that must match first.
for (const p of PATTERNS) p.needsDigit = !/first\|second/.test(p.re.source);
const HINTS: RegExp[] = [
  /end(?:ed|ing)/i,
  /Q[1-4]/i,
  /F(?:Y|iscal)?\s?'?\d|fiscal/i,
  /quarter/i,
  /half|H[12]/i,
  /F(?:Y|\d)|fiscal/i,
  /Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec/i,
  /Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec/i,
  /\d{4}-\d\d-\d\d/,
  /Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec/i,
  /(?:19|20)\d\d/,
];
PATTERNS.forEach((p, i) => (p.hint = HINTS[i]));

/** Period mentions in a text, left to right. A mention inside a longer one is not repeated. The array is shared: do not mutate it. */
const MAY_HAVE_PERIOD_RE = /\d|quarter|half/i;

// Table headers and labels repeat ("FY2024", "Net sales"): short texts are read once. Results are shared, never mutate them.
const CACHE = new Map<string, PeriodRef[]>();
const CACHE_MAX_TEXT = 80;

export function findPeriods(text: string): PeriodRef[] {
  if (text.length > CACHE_MAX_TEXT) return scanPeriods(text);
  let hit = CACHE.get(text);
  if (!hit) {
    if (CACHE.size > 20_000) CACHE.clear();
    CACHE.set(text, (hit = scanPeriods(text)));
  }
  return hit;
}

function scanPeriods(text: string): PeriodRef[] {
  const out: PeriodRef[] = [];
  // Most sentences name no period: one cheap test spares the ten patterns below.
  if (!MAY_HAVE_PERIOD_RE.test(text)) return out;
  const hasDigit = /\d/.test(text);
  const taken = (s: number, e: number) => out.some((p) => s < p.end && e > p.start);
  for (const { re, read, needsDigit, hint } of PATTERNS) {
    if (needsDigit && !hasDigit) continue;
    if (hint && !hint.test(text)) continue;
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) {
      const start = m.index!;
      const end = start + m[0].length;
      if (taken(start, end)) continue;
      const r = read(m);
      if (!r) continue;
      out.push({ start, end, text: m[0], ...r });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Calendar-approximate last day of a period, for the as-of checks. */
export function approximateEnd(p: Pick<PeriodRef, 'year' | 'quarter' | 'half' | 'date' | 'kind'>): string | undefined {
  if (!Number.isFinite(p.year)) return undefined;
  if (p.date) return p.date;
  if (p.quarter) return iso(p.year, p.quarter * 3 - 1, lastDay(p.year, p.quarter * 3 - 1));
  if (p.half) return iso(p.year, p.half * 6 - 1, lastDay(p.year, p.half * 6 - 1));
  return `${p.year}-12-31`;
}

/** Spans of identifiers whose digits are not figures: form names, items, notes, indices, citations. */
const IDENTIFIER_RE =
  /\b(?:Form\s+)?\d{1,2}-[KQ](?:\/A)?\b|\b(?:Item|Note|Notes|Section|Rule|Part|Page|Exhibit|Schedule|ASC|ASU|Topic|Level|Tier)\s+\d+[A-Z]?(?:\.\d+)?(?:-\d+)?\b|\bS&P\s+\d+\b|\bRussell\s+\d+\b|\bNasdaq[- ]100\b|\bFTSE\s+\d+\b|\[[\w.:#|-]+\]|\b\d+(?:st|nd|rd|th)\b|\b(?:19|20)\d{2}\/\d{2}\b|\bCOVID-19\b|\b[A-Z]{1,5}\d+[A-Z]*\b/gi;

export function identifierSpans(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  if (!/\d|\[/.test(text)) return out;
  for (const m of text.matchAll(IDENTIFIER_RE)) out.push([m.index!, m.index! + m[0].length]);
  return out;
}
