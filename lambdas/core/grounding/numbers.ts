/**
 * Numeral parsing for financial prose and table cells: `$296.3M`, `$1.2bn`, `(1,234)`, `152 cents`,
 * `12%`, `twelve percent`, `40 bps`, `2.5 percentage points`, `3.1x`, `doubled`. Every figure comes
 * back in base units with its sign, the unit it was stated in and the tolerance its stated precision
 * allows (half a unit of the last digit shown), so a correct rounding always matches.
 */

/** What a figure measures, as far as its own spelling tells. `plain` is a bare number. */
export type FigureUnit = 'usd' | 'pct' | 'pp' | 'x' | 'shares' | 'plain';

export interface Figure {
  /** Character span in the text the figure was read from. */
  start: number;
  end: number;
  raw: string;
  /** Signed value in base units (USD, percent, percentage points, shares). */
  value: number;
  /** The number as written, before the scale word (`296.3` in `$296.3M`), signed. */
  mantissa: number;
  /** The scale the text stated (1e6 for `M`/`million`), 1 when none. */
  scale: number;
  scaleStated: boolean;
  unit: FigureUnit;
  /** Half a unit of the last digit shown, in base units. */
  tolerance: number;
  /** True when the sign came from the spelling itself: `-`, `(…)`. */
  signMarked: boolean;
  /** `doubled`, `tripled`, `halved`: a change stated as a multiple, never an exact figure. */
  multiple?: boolean;
}

const SCALE_WORDS: Record<string, number> = {
  trillion: 1e12,
  tn: 1e12,
  t: 1e12,
  billion: 1e9,
  bn: 1e9,
  b: 1e9,
  bil: 1e9,
  million: 1e6,
  mn: 1e6,
  mm: 1e6,
  m: 1e6,
  mil: 1e6,
  thousand: 1e3,
  k: 1e3,
};

export function scaleOfWord(word: string | undefined): number {
  if (!word) return 1;
  return SCALE_WORDS[word.toLowerCase()] ?? 1;
}

const SMALL: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const SMALL_RE = Object.keys(SMALL).join('|');
const TENS_RE = Object.keys(TENS).join('|');
const WORD_NUMBER = String.raw`(?:(?:${TENS_RE})(?:[-\s](?:${Object.keys(SMALL).slice(1, 10).join('|')}))?|${SMALL_RE})(?:\s(?:hundred))?(?:\s(?:and\s)?(?:(?:${TENS_RE})(?:[-\s](?:${Object.keys(SMALL).slice(1, 10).join('|')}))?|${SMALL_RE}))?`;

/** `twenty-five` → 25, `three hundred and ten` → 310; undefined when the words are not a number. */
export function wordsToNumber(words: string): number | undefined {
  let total = 0;
  let current = 0;
  let seen = false;
  for (const w of words.toLowerCase().split(/[\s-]+/)) {
    if (w === 'and' || w === '') continue;
    if (w in SMALL) current += SMALL[w]!;
    else if (w in TENS) current += TENS[w]!;
    else if (w === 'hundred') current = (current || 1) * 100;
    else return undefined;
    seen = true;
  }
  total += current;
  return seen ? total : undefined;
}

const NUMERAL = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+`;
const UNIT = String.raw`%|\s?(?:percentage\s+points?|percent(?:age)?\b|per\s?cent\b|pct\b|pp\b|ppts?\b|bps\b|basis\s+points?\b|cents?\b|times\b|x\b|shares\b|dollars\b)`;

/**
 * One figure: optional sign, currency, parenthesis, numeral, scale (attached abbreviation or word)
 * and unit. Abbreviated scales (`M`, `bn`, `k`) must touch the numeral or follow a currency sign, so
 * "12 m" in running text is not read as twelve million.
 */
const FIGURE_RE = new RegExp(
  String.raw`(?<![\w.,])(?<sign>[-−–](?=\s?[$€£\d.(]))?\s?(?<cur>US\$|\$|€|£|USD\s)?\s?(?<paren>\()?(?<num>${NUMERAL})(?<close>\))?(?:(?<abbr>bn|mn|mm|tn|[BMKbmk])\b|\s?(?<word>trillion|billion|million|thousand)\b)?(?<unit>${UNIT})?(?<close2>\))?`,
  'g',
);
const WORD_FIGURE_RE = new RegExp(
  String.raw`\b(?<num>${WORD_NUMBER})(?:\s(?<word>trillion|billion|million|thousand))?(?<unit>\s(?:percentage\s+points?|percent\b|per\s?cent\b|basis\s+points?\b|cents?\b|dollars\b|shares\b))?`,
  'gi',
);
const WORD_UNIT_HINT_RE = /percent|per cent|points|cents|dollars|shares|trillion|billion|million|thousand/i;
const MULTIPLE_HINT_RE = /doubled|tripled|quadrupled|halved/i;
const MULTIPLE_RE = /\b(doubled|tripled|quadrupled|halved|more than doubled)\b/gi;

function decimalsOf(numeral: string): number {
  const dot = numeral.indexOf('.');
  return dot < 0 ? 0 : numeral.length - dot - 1;
}

function unitOf(unitText: string | undefined, currency: boolean): { unit: FigureUnit; factor: number } {
  const u = (unitText ?? '').trim().toLowerCase();
  if (u === '') return { unit: currency ? 'usd' : 'plain', factor: 1 };
  if (u === '%' || u.startsWith('percent') || u.startsWith('per cent') || u === 'pct') {
    return { unit: u.startsWith('percentage point') ? 'pp' : 'pct', factor: 1 };
  }
  if (u === 'pp' || u.startsWith('ppt')) return { unit: 'pp', factor: 1 };
  if (u === 'bps' || u.startsWith('basis point')) return { unit: 'pp', factor: 0.01 };
  if (u.startsWith('cent')) return { unit: 'usd', factor: 0.01 };
  if (u === 'x' || u === 'times') return { unit: 'x', factor: 1 };
  if (u === 'shares') return { unit: 'shares', factor: 1 };
  if (u === 'dollars') return { unit: 'usd', factor: 1 };
  return { unit: currency ? 'usd' : 'plain', factor: 1 };
}

/** A bare 1900–2100 integer with no currency, unit or scale: a year, which is a period, never a figure. */
export function isBareYear(f: Figure): boolean {
  return (
    f.unit === 'plain' &&
    !f.scaleStated &&
    !f.signMarked &&
    Number.isInteger(f.value) &&
    f.value >= 1900 &&
    f.value <= 2100 &&
    /^\d{4}$/.test(f.raw.trim())
  );
}

/** Every figure in a text, left to right. `masked` spans (dates, periods, identifiers) are skipped. */
export function readFigures(text: string, masked: Array<[number, number]> = []): Figure[] {
  const out: Figure[] = [];
  const inMask = (s: number, e: number) => masked.some(([a, b]) => s < b && e > a);
  FIGURE_RE.lastIndex = 0;
  if (/\d/.test(text))
    for (const m of text.matchAll(FIGURE_RE)) {
      const g = m.groups!;
      const numStart = m.index! + m[0].indexOf(g.num!);
      const start = m.index! + (m[0].length - m[0].trimStart().length);
      const end = m.index! + m[0].length;
      if (inMask(numStart, numStart + g.num!.length)) continue;
      const currency = g.cur !== undefined;
      // An abbreviation scale only counts after a currency sign or when upper case (`42.3M`), so "5 m" stays plain.
      let abbr = g.abbr;
      if (abbr && !currency && /^[bmk]$/.test(abbr)) abbr = undefined;
      const scaleWord = g.word ?? abbr;
      const scale = scaleOfWord(scaleWord);
      const { unit, factor } = unitOf(g.unit, currency);
      // Only a parenthesis that closes on the numeral itself marks a negative: `(1,234)`, `$(5.2) million`, `(12.5)%`;
      // "(2.5 percentage points)" in prose is an aside.
      const negative = g.sign !== undefined || (g.paren !== undefined && g.close !== undefined);
      const magnitude = Number(g.num!.replace(/,/g, ''));
      if (!Number.isFinite(magnitude)) continue;
      const sign = negative ? -1 : 1;
      const tol = 0.5 * 10 ** -decimalsOf(g.num!) * scale * factor;
      let rawEnd = end;
      // Do not swallow a closing parenthesis that belongs to the prose, only one that closes a negative.
      if (g.close2 !== undefined || (g.paren === undefined && g.close !== undefined)) rawEnd = end - 1;
      out.push({
        start,
        end: rawEnd,
        raw: text.slice(start, rawEnd),
        value: sign * magnitude * scale * factor,
        mantissa: sign * magnitude * factor,
        scale,
        scaleStated: scaleWord !== undefined,
        unit,
        tolerance: tol + Math.abs(magnitude * scale * factor) * 1e-9,
        signMarked: negative,
      });
    }
  const wordsPossible = WORD_UNIT_HINT_RE.test(text);
  if (wordsPossible)
    for (const m of text.matchAll(WORD_FIGURE_RE)) {
      const g = m.groups!;
      if (!g.word && !g.unit) continue; // "one of the", "two segments": not figures
      const start = m.index!;
      const end = start + m[0].length;
      if (inMask(start, end) || out.some((f) => start < f.end && end > f.start)) continue;
      const magnitude = wordsToNumber(g.num!);
      if (magnitude === undefined) continue;
      const scale = scaleOfWord(g.word);
      const { unit, factor } = unitOf(g.unit, false);
      out.push({
        start,
        end,
        raw: m[0],
        value: magnitude * scale * factor,
        mantissa: magnitude * factor,
        scale,
        scaleStated: g.word !== undefined,
        unit,
        tolerance: 0.5 * scale * factor,
        signMarked: false,
      });
    }
  if (MULTIPLE_HINT_RE.test(text))
    for (const m of text.matchAll(MULTIPLE_RE)) {
      const w = m[1]!.toLowerCase();
      const ratio = w.includes('doubled') ? 2 : w === 'tripled' ? 3 : w === 'quadrupled' ? 4 : 0.5;
      const pct = (ratio - 1) * 100;
      out.push({
        start: m.index!,
        end: m.index! + m[0].length,
        raw: m[0],
        value: pct,
        mantissa: pct,
        scale: 1,
        scaleStated: false,
        unit: 'pct',
        tolerance: w.startsWith('more than') ? Infinity : Math.abs(pct) * 0.1,
        signMarked: true,
        multiple: true,
      });
    }
  return out.sort((a, b) => a.start - b.start);
}

/** A table cell: `$ 1,452.4`, `(1,234)`, `12.5%`, `—`. Undefined when the cell is not a figure. */
export function parseCell(cell: string): Figure | undefined {
  const t = cell.replace(/\u00a0/g, ' ').trim();
  if (t === '' || /^[-–—\s%$]*$/.test(t) || /^n\/?a$/i.test(t)) return undefined;
  const figures = readFigures(t);
  if (figures.length !== 1) return undefined;
  const f = figures[0]!;
  // The cell must be mostly the figure (footnote marks and currency aside).
  const rest = t.slice(0, f.start) + t.slice(f.end);
  if (/[a-z]{3,}/i.test(rest.replace(/\b(?:USD|EUR|GBP)\b/g, ''))) return undefined;
  if (/%/.test(rest) && f.unit === 'plain') return { ...f, unit: 'pct' };
  if (/\$/.test(rest) && f.unit === 'plain') return { ...f, unit: 'usd' };
  return f;
}

/** Round-trip safe decimal count of a number as the writer would show it. */
export function decimals(n: number): number {
  const s = String(n);
  const e = s.indexOf('e');
  if (e >= 0) return Math.max(0, -Number(s.slice(e + 1)));
  return decimalsOf(s);
}
