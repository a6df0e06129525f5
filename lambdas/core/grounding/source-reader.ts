/**
 * Sources in, facts out: turns filing prose, pipe/markdown tables, TAT-QA style 2-D arrays and
 * FactSnapshot facts into one index of period-bound figures (value, unit, scale, label, period,
 * basis, source), plus the source sentences the entailment check compares claims with. Tables
 * honour their stated scale ("(in thousands)", "$'000", "€m"), column years ("2019", "Fiscal 2024",
 * "Three months ended …"), section rows and parenthesised negatives.
 */
import type { Fact, FactConflict } from '../model';
import { METRIC_LABELS } from '../facts/format';
import {
  findMetrics,
  contentTokens,
  NON_LABEL_RE,
  SOURCE_ESTIMATE_RE,
  METRIC_BY_ID,
  NEGATION_RE,
  RATING_RE,
  RATING_CONTEXT_RE,
  ratingOf,
} from './lexicon';
import type { MetricMention, Rating } from './lexicon';
import { isBareYear, parseCell as parseCellRaw, readFigures } from './numbers';
import type { Figure, FigureUnit } from './numbers';
import { findPeriods, identifierSpans } from './periods';
import type { PeriodRef } from './periods';

export interface SourceInput {
  id: string;
  text: string;
  title?: string;
  date?: string;
  /** Lower is more trusted (filings 0 … news 3); decides which side of a conflict wins. */
  rank?: number;
  /** Tables as 2-D arrays of cell strings (TAT-QA shape); pipe tables inside `text` are read too. */
  tables?: string[][][];
}

export interface PeriodKey {
  year: number;
  quarter?: number;
  half?: number;
  /** The day the period ends, when the source names it ("July 27, 2019"). */
  date?: string;
  /** A year-end date early in a calendar year (January 31, 2020) often closes the fiscal year named for the year before. */
  altYear?: number;
}

export interface SourceFigure {
  id: number;
  sourceId: string;
  /** Signed value in base units, the table's scale applied. */
  value: number;
  /** The value as written, before the table's scale. */
  mantissa: number;
  /** Half a unit of the last digit the source shows, in base units (scale applied). */
  precision: number;
  unit: FigureUnit;
  /** False when the table states no scale: the claim's own scale is then assumed for it. */
  scaleKnown: boolean;
  label: string;
  labelTokens: string[];
  /** Distinct label tokens. */
  labelSize: number;
  /** Section, column-group and title words: they help choose between equal labels. */
  contextTokens: string[];
  metric?: string;
  /** The label names a loss ("Net loss"): a positive figure is a negative result. */
  lossNamed: boolean;
  period?: PeriodKey;
  basis: 'reported' | 'estimate';
  origin: 'table' | 'prose' | 'fact';
  /** Figures of one line item share a series key (label + section + column group). */
  series: string;
  snippet: string;
  factId?: string;
  /** A figure in an undated column of a table whose other columns are dated ("Change", "% Change"). */
  undated?: boolean;
  /** Column of an undated table: filings put the most recent period first, so column order stands in for time. */
  column?: number;
  /** A parenthesised figure on a deduction line ("Forfeited (12,632)"): stating its magnitude is right too. */
  deduction?: boolean;
  /** Set on the losing candidates of a FactSnapshot conflict. */
  conflictLoser?: { winnerValue: number; winnerSourceId: string };
  rank: number;
}

export interface SourceSentence {
  id: number;
  sourceId: string;
  text: string;
  tokens: string[];
  negated: boolean;
  ratings: Rating[];
}

export interface SourceIndex {
  figures: SourceFigure[];
  /** Label token (and `#metric`) → figure ids. */
  byToken: Map<string, number[]>;
  /** Figure ids sorted by |value|, for value look-ups. */
  byValue: Array<{ abs: number; id: number }>;
  /** Figures with no stated scale, by |mantissa|. */
  byMantissa: Array<{ abs: number; id: number }>;
  sentences: SourceSentence[];
  sentenceByToken: Map<string, number[]>;
  /** Inverse document frequency per token over the source sentences. */
  idf: Map<string, number>;
  /** All source text, lower-cased, for entity look-ups. */
  lowerText: string;
  /** All source text as written, for case-sensitive ticker look-ups. */
  rawText: string;
  sources: Map<string, SourceInput>;
  /** Series key → figure ids, for derived values. */
  bySeries: Map<string, number[]>;
  /** Table figures whose row label is only a date or a stop word ("At 31 December"): the table's own subject. */
  unlabeled: number[];
  /** Sources that state periods for (some of) their figures: a figure of theirs with none cannot confirm a period. */
  periodSources: Set<string>;
}

const SCALE_MARKERS: Array<[RegExp, number]> = [
  [/\b(?:in\s+|\()?(?:\$|us\$|€|£)?\s?billions?\b|\$\s?bn\b|€bn|£bn|\busd\s?bn\b/i, 1e9],
  [
    /\b(?:in\s+|\()?(?:\$|us\$|€|£)?\s?millions?\b|(?:\$|€|£|us\$|usd|eur|gbp|rmb|hk\$)\s?m\b|\$mn\b|\bmn\b|\(\$m\)|\bm\$|\bmillion\b/i,
    1e6,
  ],
  [/\b(?:in\s+|\()?(?:\$|us\$|€|£)?\s?thousands?\b|['’]000s?\b|\$\s?000s?\b|\b000s\b|\(000\)|\$k\b|\bthousand\b/i, 1e3],
];

export function scaleMarker(text: string): number | undefined {
  for (const [re, scale] of SCALE_MARKERS) if (re.test(text)) return scale;
  return undefined;
}

/** Lines whose parenthesised figures are deductions shown as such, not negative results. */
const DEDUCTION_RE =
  /\b(forfeit\w*|vested|exercised|cancel\w*|expired|repurchase\w*|purchase\w*|paid|payments?|dividends?|depreciation|amortization|amortisation|impairment\w*|write-?offs?|written off|expenses?|costs?|taxes|tax expense|settlements?|redemptions?|repayments?|distributions?|withdrawals?|disposals?|deductions?|less|reclassif\w*|charge-?offs?|used in|capital expenditures?|additions to|acquisitions? of|transfers? out)\b/i;

const PER_SHARE_RE = /\bper (?:diluted |basic |common )?share\b|\beps\b|\bearnings \(loss\) per\b|\bdividends? per\b/i;
const PCT_HEADER_RE = /%|\bpercent\b|\bpercentage\b(?! points)|\bper cent\b/i;

const LOSS_LABEL_RE = /\b(loss|losses|deficit)\b/i;
const PROFIT_LABEL_RE = /\b(income|profit|earnings|gain|gains)\b/i;

export function isLossNamed(label: string): boolean {
  return LOSS_LABEL_RE.test(label) && !PROFIT_LABEL_RE.test(label);
}

class IndexBuilder {
  figures: SourceFigure[] = [];
  sentences: SourceSentence[] = [];

  add(f: Omit<SourceFigure, 'id' | 'lossNamed' | 'series' | 'labelSize'> & { series?: string; lossNamed?: boolean }): void {
    // Filled in place (no spread): the reader adds tens of thousands of figures per batch.
    const fig = f as SourceFigure;
    fig.id = this.figures.length;
    fig.lossNamed = f.lossNamed ?? isLossNamed(f.label);
    fig.series = f.series ?? `${f.sourceId}|${f.labelTokens.join(' ')}|${f.contextTokens.join(' ')}|${f.unit}`;
    fig.labelSize = new Set(f.labelTokens).size;
    this.figures.push(fig);
  }
}

function labelTokensOf(label: string): { tokens: string[]; metric?: string; key: string } {
  const metrics = findMetrics(label);
  const tokens = contentTokens(label);
  // The longest metric phrase names the line item; shorter ones inside it ("income" in "net interest income") do not.
  const metric = [...metrics].sort((a, b) => b.end - b.start - (a.end - a.start))[0]?.id;
  if (metric) tokens.push(`#${metric}`);
  return { tokens, metric, key: tokens.join(' ') };
}

const ORDINAL_QUARTERS = ['first', 'second', 'third', 'fourth'];

function periodKeyOf(text: string, yearHint?: number): PeriodKey | undefined {
  const all = findPeriods(text);
  const p = all.find((x) => Number.isFinite(x.year));
  if (!p) {
    // "Third Quarter" under a table that names its year elsewhere ("Fiscal 2019").
    const q = all.find((x) => x.quarter || x.half);
    return q && yearHint !== undefined ? { year: yearHint, quarter: q.quarter, half: q.half } : undefined;
  }
  const month = p.date ? Number(p.date.slice(5, 7)) : 0;
  return {
    year: p.year,
    quarter: p.quarter,
    half: p.half,
    date: p.date,
    altYear: month >= 1 && month <= 2 && !p.quarter ? p.year - 1 : undefined,
  };
}

/** A TAT-QA style table: header rows (years, groups, scale) above data rows (label, figures…). */
export function readTable(rows: string[][], source: SourceInput, b: IndexBuilder, title = ''): void {
  // Extracted tables sometimes space out a year's digits ("2 0 1 8").
  const clean = rows.map((r) =>
    r.map((c) =>
      String(c ?? '')
        .replace(/\s+/g, ' ')
        .trim()
        .replace(/\b([12]) (\d) (\d) (\d)\b/g, '$1$2$3$4'),
    ),
  );
  // Each cell is parsed once: the data-row test, the scale search and the figures share the result.
  const cellCache = new Map<string, Figure | undefined>();
  const parseCell = (c: string): Figure | undefined => {
    if (cellCache.has(c)) return cellCache.get(c);
    const f = parseCellRaw(c);
    cellCache.set(c, f);
    return f;
  };
  const width = Math.max(0, ...clean.map((r) => r.length));
  const isDataRow = (r: string[]) =>
    r.slice(1).some((c) => {
      const f = parseCell(c);
      return f !== undefined && !isBareYear(f) && !/^(?:19|20)\d{2}\b/.test(c);
    });
  let firstData = clean.findIndex(isDataRow);
  if (firstData < 0) firstData = clean.length;
  const header = clean.slice(0, firstData);
  const scale =
    scaleMarker([title, ...header.flat(), ...clean.map((r) => r[0] ?? '')].join(' | ')) ??
    scaleMarker(
      clean
        .flat()
        .filter((c) => !parseCell(c))
        .join(' | '),
    );
  // Column headers: group headers ("Domestic", "Fiscal") spread right over the empty cells they span.
  const colText: string[] = Array.from({ length: width }, () => '');
  const periodMemo = new Map<string, boolean>();
  const namesPeriod = (t: string) => {
    let v = periodMemo.get(t);
    if (v === undefined) periodMemo.set(t, (v = findPeriods(t).length > 0));
    return v;
  };
  const scaleMemo = new Map<string, boolean>();
  const isScaleCell = (cell: string) => {
    let v = scaleMemo.get(cell);
    if (v === undefined)
      scaleMemo.set(
        cell,
        (v = cell !== '' && scaleMarker(cell) !== undefined && cell.replace(/[^a-z]/gi, '').length < 40 && !namesPeriod(cell)),
      );
    return v;
  };
  header.forEach((row, h) => {
    let carry = '';
    for (let c = 1; c < width; c++) {
      const cell = row[c] ?? '';
      if (cell !== '') carry = isScaleCell(cell) ? '' : cell;
      // A group header spans the empty cells to its right that a deeper header row splits ("2019" over "Amount | %").
      const split =
        cell === '' && carry !== '' && header.slice(h + 1).some((deeper) => (deeper[c] ?? '') !== '' && !isScaleCell(deeper[c] ?? ''));
      const text = cell !== '' ? (isScaleCell(cell) ? '' : cell) : carry === '' ? '' : split || !namesPeriod(carry) ? carry : '';
      if (text) colText[c] = `${colText[c]} ${text}`.trim();
    }
  });
  const headerYears = [
    ...new Set(
      findPeriods([title, ...header.flat()].join(' | '))
        .filter((p) => Number.isFinite(p.year))
        .map((p) => p.year),
    ),
  ];
  const tableYear = headerYears.length === 1 ? headerYears[0] : undefined;
  const colPeriod = colText.map((t) => periodKeyOf(t, tableYear));
  // "First | Second | Third | Fourth" over a year's rows: quarter columns of the year each section row names.
  const ordinal = colText.map((t) => ORDINAL_QUARTERS.indexOf(t.toLowerCase().replace(/\s+quarter$/, '')) + 1);
  const colQuarter = ordinal.filter((q) => q > 0).length >= 3 ? ordinal : [];
  const columnTokens = (t: string) => {
    let stripped = t;
    for (const p of [...findPeriods(t)].reverse()) stripped = `${stripped.slice(0, p.start)} ${stripped.slice(p.end)}`;
    stripped = stripped.replace(/\b(?:19|20)\d{2}\b|\b(?:FY|Q[1-4]|H[12])\s?'?\d{2,4}\b/gi, ' ');
    return contentTokens(stripped).filter((w) => !/^(?:in|thousand|million|billion|usd|eur|gbp)$/.test(w));
  };
  const colTokens = colText.map(columnTokens);
  const columnInfo = (t: string, tokens: string[]) => ({
    pct: PCT_HEADER_RE.test(t),
    estimate: SOURCE_ESTIMATE_RE.test(t),
    key: tokens.join(' '),
    labelPart: tokens.length ? `(${t})` : '',
    seriesPart: '',
  });
  const colInfo = colText.map((t, c) => columnInfo(t, colTokens[c] ?? []));
  let section = '';
  let sectionPeriod: PeriodKey | undefined;
  // A header row with only a first cell ("As at 31 December 2019") opens a section, like one between data rows.
  for (const row of header) {
    if ((row[0] ?? '') !== '' && row.slice(1).every((c) => c === '')) {
      section = row[0]!.replace(/:$/, '');
      sectionPeriod = periodKeyOf(section);
    }
  }
  const datedColumns = colPeriod.some((p) => p !== undefined);
  // The header's first cell often names the table's subject ("Industrial (in millions)", "Domestic plans").
  const tableSubject = contentTokens(
    header
      .map((row) => row[0] ?? '')
      .filter((c) => c && !isScaleCell(c) && !namesPeriod(c))
      .join(' '),
  );
  // A column's group words ("Domestic", "Amount") tell its line item apart only where another column has the same period.
  const periodCount = new Map<string, number>();
  const pk = (p: PeriodKey | undefined) => (p ? `${p.year}|${p.quarter ?? ''}|${p.half ?? ''}` : '');
  for (const p of colPeriod) if (p) periodCount.set(pk(p), (periodCount.get(pk(p)) ?? 0) + 1);
  // The first column of each period is its main figure ("2018 | Change | % Change" under one year): it joins the
  // line item's series; the period's other columns keep their words apart.
  const seenPeriod = new Set<string>();
  colInfo.forEach((info, c) => {
    const key = colPeriod[c] ? pk(colPeriod[c]) : undefined;
    if (key !== undefined && !seenPeriod.has(key)) {
      seenPeriod.add(key);
      info.seriesPart = '';
    } else info.seriesPart = info.key;
  });
  // A roll-forward ("Balance at December 31, 2018 … Granted, Vested, Forfeited … Balance at December 31, 2019"):
  // the movement rows between two dated balance rows belong to the period the later balance closes.
  const movementPeriod = new Map<number, PeriodKey>();
  if (!datedColumns) {
    const dated = clean.map((row, r) =>
      r >= firstData && /\b(?:balance|at|as of|outstanding|non-?vested|beginning|end)\b/i.test(row[0] ?? '')
        ? periodKeyOf(row[0] ?? '')
        : undefined,
    );
    let last = -1;
    for (let r = firstData; r < clean.length; r++) {
      if (!dated[r]) continue;
      if (last >= 0) for (let k = last + 1; k < r; k++) movementPeriod.set(k, dated[r]!);
      last = r;
    }
  }
  const impliedTotals = impliedTotalLabels(clean, firstData, parseCell);
  let afterFigures = false;
  for (let r = firstData; r < clean.length; r++) {
    const row = clean[r]!;
    const rawLabel = row[0] || impliedTotals.get(r) || '';
    const label = rawLabel
      .replace(/\(\d\)|\[\d\]|\*+$/g, '')
      .replace(/\(?\s*in\s+(?:\$\s?)?(?:thousands|millions|billions)[^)]*\)?|\$'?000s?|\(\$m\)/gi, '')
      .replace(/:$/, '')
      .trim();
    const cells = row.slice(1).map((c) => parseCell(c));
    // A header row again below data rows (two years' roll-forwards stacked in one table): its columns
    // name new periods for the rows under it.
    if (
      cells.every((c) => c === undefined) &&
      afterFigures &&
      (rawLabel === '' || isScaleCell(rawLabel)) &&
      row.slice(1).filter((c) => c !== '' && namesPeriod(c)).length >= 2
    ) {
      afterFigures = false;
      const restated = new Set<string>();
      for (let c = 1; c < width; c++) {
        const t = row[c] ?? '';
        if (t === '' || isScaleCell(t)) continue;
        colText[c] = t;
        colPeriod[c] = periodKeyOf(t, tableYear);
        colTokens[c] = columnTokens(t);
        colInfo[c] = columnInfo(t, colTokens[c] ?? []);
        const key = colPeriod[c] ? pk(colPeriod[c]) : undefined;
        if (key !== undefined && !restated.has(key)) restated.add(key);
        else colInfo[c]!.seriesPart = colInfo[c]!.key;
      }
      continue;
    }
    afterFigures = cells.some((c) => c !== undefined);
    if (!afterFigures) {
      if (label) {
        section = label;
        sectionPeriod = periodKeyOf(label);
      }
      continue;
    }
    // A row's own period ("2019", "Balance at December 31, 2019"), else the period its section row named.
    const ownPeriod = periodKeyOf(label);
    const rowPeriod = ownPeriod ?? movementPeriod.get(r) ?? sectionPeriod;
    // A short label that is its period ("2019", "At 31 Dec 2019") names no line item; "Total" under a dated section does.
    const lt = labelTokensOf(ownPeriod && label.replace(/[^a-z]/gi, '').length < 12 ? '' : label);
    const sectionTokens = section ? [...tableSubject, ...contentTokens(section)] : tableSubject;
    // Rates and per-share rows are never scaled: "(in millions, except per share data)".
    const rowRate = /%|\brates?\b|\bmargins?\b|\bratios?\b|\bpercent/i.test(label) || PER_SHARE_RE.test(label);
    // Row-level facts once per row, column-level once per table (below): the cell loop only combines them.
    const labelPct = PCT_HEADER_RE.test(label);
    const rowLoss = isLossNamed(label);
    const rowDeduction = DEDUCTION_RE.test(label);
    const sectionKey = sectionTokens.join(' ');
    for (let c = 1; c <= cells.length; c++) {
      const f = cells[c - 1];
      if (!f) continue;
      const col = colInfo[c]!;
      const quarter = colQuarter[c];
      const period = colPeriod[c] ?? (quarter && rowPeriod ? { year: rowPeriod.year, quarter: quarter as 1 | 2 | 3 | 4 } : rowPeriod);
      const pctCell = f.unit === 'pct' || (f.unit === 'plain' && (col.pct || labelPct));
      const cellScale = pctCell || rowRate ? 1 : (scale ?? 1);
      const labelTokens = lt.tokens.length > 0 ? lt.tokens : (colTokens[c] ?? []);
      b.add({
        sourceId: source.id,
        value: f.value * cellScale,
        mantissa: f.mantissa,
        precision: f.tolerance * cellScale,
        unit: f.unit === 'plain' && (col.pct || labelPct) ? 'pct' : f.unit,
        lossNamed: rowLoss,
        undated: datedColumns && !period,
        column: !datedColumns && !period ? c : undefined,
        series: `${source.id}|${lt.tokens.length > 0 ? lt.key : col.key}|${sectionKey}|${col.seriesPart}|${pctCell ? 'pct' : 'level'}`,
        deduction: f.signMarked && rowDeduction,
        scaleKnown: scale !== undefined || f.unit === 'pct' || f.scaleStated,
        label: section
          ? col.labelPart
            ? `${section} ${label} ${col.labelPart}`
            : `${section} ${label}`
          : col.labelPart
            ? `${label} ${col.labelPart}`
            : label,
        labelTokens,
        contextTokens:
          lt.tokens.length > 0
            ? sectionTokens.length
              ? [...sectionTokens, ...(colTokens[c] ?? [])]
              : (colTokens[c] ?? [])
            : sectionTokens,
        metric: lt.metric,
        period,
        basis: col.estimate || SOURCE_ESTIMATE_RE.test(label) ? 'estimate' : 'reported',
        origin: 'table',
        snippet: `${label || colText[c]} | ${colText[c] ?? ''} | ${row[c] ?? ''}`,
        rank: source.rank ?? 0,
      });
    }
  }
}

/**
 * Reports often leave a total row unlabeled: a row with no label under labelled rows, whose every
 * figure is the sum of the figures above it (up to the previous total or section row). It is named
 * "Total" plus the words its parts share ("Total dividend"), so a claim about the total finds it.
 */
function impliedTotalLabels(rows: string[][], firstData: number, cellOf: (c: string) => Figure | undefined): Map<number, string> {
  const out = new Map<number, string>();
  let block: number[] = [];
  for (let r = firstData; r < rows.length; r++) {
    const row = rows[r]!;
    const cells = row.slice(1).map(cellOf);
    if (!cells.some((c) => c !== undefined)) {
      block = [];
      continue;
    }
    if ((row[0] ?? '') !== '') {
      block.push(r);
      continue;
    }
    const sums =
      block.length >= 2 &&
      cells.every((cell, i) => {
        if (!cell) return true;
        const parts = block.map((b) => cellOf(rows[b]![i + 1] ?? ''));
        if (parts.some((p) => !p)) return false;
        const total = parts.reduce((a, p) => a + p!.value, 0);
        return Math.abs(total - cell.value) <= cell.tolerance * block.length + 1e-9;
      });
    if (sums && cells.filter(Boolean).length > 0) {
      // The parts' heads ("Final dividend for the year …", "Interim dividend for the half year …") share the total's noun.
      const heads = block.map((b) => (rows[b]![0] ?? '').split(/\s+(?:for|of|on|in|at|to|from)\s+|[(,:–-]/i)[0]!);
      const shared = heads.map((h) => new Set(contentTokens(h))).reduce((a, t) => new Set([...a].filter((w) => t.has(w))));
      const words = heads[0]!.split(/\s+/).filter((w) => shared.has(contentTokens(w)[0] ?? ''));
      out.set(r, ['Total', ...new Set(words.map((w) => w.toLowerCase()))].join(' '));
    }
    block = [];
  }
  return out;
}

/** Pipe/markdown tables inside a text: returns the rows and the text with the tables blanked out. */
export function extractPipeTables(text: string): { tables: string[][][]; prose: string } {
  const lines = text.split('\n');
  const tables: string[][][] = [];
  let current: string[][] = [];
  const proseLines: string[] = [];
  const flush = () => {
    if (current.length >= 2) tables.push(current);
    else if (current.length === 1) proseLines.push(current[0]!.join(' '));
    current = [];
  };
  for (const line of lines) {
    const pipes = (line.match(/\|/g) ?? []).length;
    if (pipes >= 2) {
      if (/^\s*\|?\s*:?-{2,}/.test(line)) continue;
      current.push(
        line
          .replace(/^\s*\|/, '')
          .replace(/\|\s*$/, '')
          .split('|')
          .map((c) => c.trim()),
      );
      proseLines.push('');
    } else {
      flush();
      proseLines.push(line);
    }
  }
  flush();
  return { tables, prose: proseLines.join('\n') };
}

const SENTENCE_SPLIT_RE = /(?<=[.!?;])\s+(?=[A-Z0-9"“(\[$])|\n\s*\n|\n(?=\s*[-*•]\s)/g;
const ABBREV_END_RE = /\b(?:Inc|Corp|Co|Ltd|No|vs|U\.S|Mr|Ms|Dr|St|approx|e\.g|i\.e|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.$/;

/** Sentences with their offsets; abbreviations ("Inc.", "U.S.") do not end a sentence. */
export function splitSentences(text: string): Array<{ start: number; end: number; text: string }> {
  const out: Array<{ start: number; end: number; text: string }> = [];
  let start = 0;
  const push = (end: number) => {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const t = raw.trim();
    if (t) out.push({ start: start + lead, end: start + lead + t.length, text: t });
  };
  for (const m of text.matchAll(SENTENCE_SPLIT_RE)) {
    const before = text.slice(Math.max(0, m.index! - 12), m.index!);
    if (ABBREV_END_RE.test(before)) continue;
    push(m.index!);
    start = m.index! + m[0].length;
  }
  push(text.length);
  return out;
}

/** Figures stated in prose: each bound to the words before it, the nearest period and the sentence's basis. */
function readProse(text: string, source: SourceInput, b: IndexBuilder, hasTables = false): void {
  // A sentence that names no period speaks of the one the sentence before it named.
  let carried: PeriodKey | undefined;
  for (const s of splitSentences(text)) {
    const periods = findPeriods(s.text);
    const named = periods.find((p) => Number.isFinite(p.year));
    const masked: Array<[number, number]> = [...periods.map((p): [number, number] => [p.start, p.end]), ...identifierSpans(s.text)];
    const figures = readFigures(s.text, masked).filter((f) => !isBareYear(f) && !f.multiple);
    const tokens = contentTokens(s.text);
    b.sentences.push({
      id: b.sentences.length,
      sourceId: source.id,
      text: s.text,
      tokens,
      negated: NEGATION_RE.test(s.text),
      ratings: RATING_CONTEXT_RE.test(s.text) ? [...s.text.matchAll(RATING_RE)].map((m) => ratingOf(m[1]!)!).filter(Boolean) : [],
    });
    if (figures.length === 0) {
      if (named) carried = { year: named.year, quarter: named.quarter, half: named.half };
      continue;
    }
    const metrics = findMetrics(s.text);
    const basis = SOURCE_ESTIMATE_RE.test(s.text) ? 'estimate' : 'reported';
    const dated = periods.filter((p) => Number.isFinite(p.year));
    const listed = listedFigures(s.text, figures, dated);
    const positional = respectivePeriods(s.text, figures, dated, listed);
    let prevEnd = 0;
    let prev: ProseLabel | undefined;
    for (const [i, f] of figures.entries()) {
      // A figure listed after another ("$290.2 million in 2019, $239.6 million in 2018") shares its label.
      const own =
        listed[i] && prev
          ? prev
          : proseLabel(s.text, f, Math.min(prevEnd, Math.max(0, s.text.lastIndexOf(' ', Math.max(0, f.start - 40)))), metrics);
      prev = own;
      const { labelText, labelTokens, metric } = own;
      const nearest = positional[i] ?? followingPeriod(s.text, f, dated) ?? nearestPeriod(f, dated);
      // A change ("up 12% from …") belongs to the sentence's main period, a level to the period nearest it.
      const isChange =
        (f.unit === 'pct' || f.unit === 'pp') &&
        /\b(?:up|down|rose|fell|grew|increased|decreased|declined|gained|dropped)\s*(?:by\s*)?$/i.test(
          s.text.slice(Math.max(0, f.start - 16), f.start),
        );
      const main = periods.find((p) => Number.isFinite(p.year));
      const chosen = isChange ? main : nearest;
      const period = chosen ? { year: chosen.year, quarter: chosen.quarter, half: chosen.half } : carried;
      const down = /\b(?:down|fell|decreased|declined|dropped|lower|decline|decrease|slipped|shrank)\s*(?:by\s*)?$/i.test(
        s.text.slice(Math.max(0, f.start - 16), f.start),
      );
      const value = down ? -Math.abs(f.value) : f.value;
      // In a report with tables, "$17" in the text is usually in the tables' unit: its scale is the claim's to state.
      const perShare = /^\s*(?:a|per)\s+(?:diluted\s+|basic\s+)?share/i.test(s.text.slice(f.end, f.end + 20));
      const scaleKnown = f.scaleStated || f.unit === 'pct' || f.unit === 'pp' || f.unit === 'x' || perShare || !hasTables;
      b.add({
        sourceId: source.id,
        value,
        mantissa: down ? -Math.abs(f.mantissa) : f.mantissa,
        precision: f.tolerance,
        unit: f.unit,
        scaleKnown,
        label: labelText.trim().split(/\s+/).slice(-6).join(' '),
        labelTokens,
        contextTokens: tokens.length > 12 ? tokens.slice(0, 12) : tokens,
        metric,
        period,
        basis: metric && METRIC_BY_ID.get(metric)?.family === 'estimate' ? 'estimate' : basis,
        origin: 'prose',
        snippet: s.text,
        series: `${source.id}|${metric ?? labelTokens.join(' ')}|${f.unit}`,
        rank: source.rank ?? 0,
      });
      prevEnd = f.end;
    }
    if (named) carried = { year: named.year, quarter: named.quarter, half: named.half };
  }
}

interface ProseLabel {
  labelText: string;
  labelTokens: string[];
  metric?: string;
}

/** A prose figure's label: the stretch since the previous figure (at least the five words before this one), and its line item. */
function proseLabel(text: string, f: Figure, windowStart: number, metrics: MetricMention[]): ProseLabel {
  const labelText = text.slice(windowStart, f.start);
  const metric =
    [...metrics].reverse().find((m) => m.end <= f.start && m.start >= windowStart - 30)?.id ??
    metrics.find((m) => m.start >= f.end && m.start - f.end < 25)?.id ??
    metrics.find((m) => m.end <= f.start)?.id;
  const labelTokens = contentTokens(labelText)
    .filter((t) => !NON_LABEL_RE.test(t))
    .slice(-8);
  if (metric) labelTokens.push(`#${metric}`);
  return { labelText, labelTokens, metric };
}

/** Words that join the figures of a list: "$5.1 million in 2019, $4.8 million in 2018 and $4.2 million in 2017". */
const LIST_GAP_RE = /^[\s,;:()]*(?:(?:and|or|in|for|during|of|at|as of|as at|versus|vs\.?|compared (?:to|with)|respectively)[\s,;:()]*)*$/i;

/** For each figure, whether it continues a list begun by the figure before it (only periods and connectives between). */
function listedFigures(text: string, figures: Figure[], dated: PeriodRef[]): boolean[] {
  return figures.map((f, i) => {
    const before = figures[i - 1];
    if (!before || before.unit !== f.unit) return false;
    let gap = '';
    let at = before.end;
    for (const p of dated) {
      if (p.start < before.end || p.end > f.start) continue;
      gap += text.slice(at, p.start);
      at = p.end;
    }
    gap += text.slice(at, f.start);
    return LIST_GAP_RE.test(gap);
  });
}

/** "87%, 85% and 84% in 2019, 2018 and 2017, respectively": the n-th figure of the list is of the n-th period after it. */
function respectivePeriods(text: string, figures: Figure[], dated: PeriodRef[], listed: boolean[]): Array<PeriodRef | undefined> {
  const out: Array<PeriodRef | undefined> = figures.map(() => undefined);
  if (!/\brespectively\b/i.test(text)) return out;
  for (let i = 0; i < figures.length; i++) {
    let j = i;
    while (j + 1 < figures.length && listed[j + 1]) j++;
    const run = j - i + 1;
    const after = dated.filter((p) => p.start >= figures[j]!.end);
    if (run >= 2 && after.length >= run) for (let k = 0; k < run; k++) out[i + k] = after[k];
    i = j;
  }
  return out;
}

/** "$239.6 million in 2018": the period right after a figure, joined by a preposition, is its own. */
function followingPeriod(text: string, f: Figure, dated: PeriodRef[]): PeriodRef | undefined {
  const next = dated.find((p) => p.start >= f.end);
  return next && /^\s*(?:in|for|during|at|as of|as at)?\s*(?:the\s+)?$/i.test(text.slice(f.end, next.start)) ? next : undefined;
}

/** The dated period closest to a figure, either side. */
function nearestPeriod(f: Figure, dated: PeriodRef[]): PeriodRef | undefined {
  const distance = (p: PeriodRef) => Math.min(Math.abs(p.start - f.end), Math.abs(p.end - f.start));
  let best: PeriodRef | undefined;
  for (const p of dated) if (!best || distance(p) < distance(best)) best = p;
  return best;
}

/** How the snapshot's metrics read as line-item labels: the prose names, plus the derived ratios. */
const SNAPSHOT_LABELS: Record<string, string> = {
  ...METRIC_LABELS,
  market_cap: 'market cap',
  gross_margin: 'gross margin',
  operating_margin: 'operating margin',
  net_margin: 'net margin',
  revenue_growth: 'revenue growth',
  pe_ratio: 'P/E',
};
const FACT_UNIT: Record<Fact['unit'], FigureUnit> = { USD: 'usd', 'USD/share': 'usd', shares: 'shares', percent: 'pct', ratio: 'x' };

function factFigure(
  fact: Fact,
  value: number,
  sourceId: string,
  rank: number,
  b: IndexBuilder,
  loser?: SourceFigure['conflictLoser'],
): void {
  const label = SNAPSHOT_LABELS[fact.metric] ?? fact.metric.replace(/_/g, ' ');
  const tokens = contentTokens(label);
  tokens.push(`#${fact.metric}`);
  const p = fact.period;
  const period =
    p.fiscalPeriod === 'spot'
      ? undefined
      : { year: p.fiscalYear, quarter: p.fiscalPeriod === 'FY' ? undefined : Number(p.fiscalPeriod.slice(1)) };
  b.add({
    sourceId,
    value,
    mantissa: value / (fact.reportedScale || 1),
    precision: 0,
    unit: FACT_UNIT[fact.unit],
    scaleKnown: true,
    label,
    labelTokens: tokens,
    contextTokens: [],
    metric: fact.metric,
    period,
    basis: fact.metric.startsWith('consensus_') || fact.metric === 'price_target' ? 'estimate' : 'reported',
    origin: 'fact',
    snippet: `${label} ${p.fiscalPeriod === 'spot' ? `as of ${p.end}` : `${p.fiscalPeriod} ${p.fiscalYear}`} = ${value} (${fact.id})`,
    factId: fact.id,
    series: `fact|${fact.metric}|${fact.unit}`,
    rank,
    conflictLoser: loser,
  });
}

const SOURCE_RANKS: Record<string, number> = { filings: 0, fundamentals: 1, research: 2, news: 3 };

/** Build the index once per text: sources, structured facts and the losing sides of conflicts. */
export function readSources(sources: SourceInput[], facts: Fact[] = [], conflicts: FactConflict[] = []): SourceIndex {
  const b = new IndexBuilder();
  const byId = new Map<string, SourceInput>();
  const raw: string[] = [];
  for (const s of sources) {
    byId.set(s.id, s);
    raw.push(s.title ?? '', s.text);
    const { tables, prose } = extractPipeTables(s.text);
    for (const t of [...(s.tables ?? []), ...tables]) readTable(t, s, b, s.title);
    readProse(prose, s, b, (s.tables?.length ?? 0) + tables.length > 0);
    for (const t of s.tables ?? []) raw.push(t.map((r) => r.join(' | ')).join('\n'));
  }
  const factById = new Map(facts.map((f) => [f.id, f]));
  for (const f of facts) factFigure(f, f.value, f.docId, SOURCE_RANKS[f.source] ?? 0, b);
  for (const c of conflicts) {
    const winner = factById.get(c.candidates[0]?.factId ?? '');
    if (!winner) continue;
    for (const loser of c.candidates.slice(1)) {
      factFigure(winner, loser.value, loser.docId, SOURCE_RANKS[loser.source] ?? 3, b, {
        winnerValue: c.candidates[0]!.value,
        winnerSourceId: c.candidates[0]!.docId,
      });
    }
  }
  const byToken = new Map<string, number[]>();
  const bySeries = new Map<string, number[]>();
  for (const f of b.figures) {
    f.labelTokens.forEach((t, i) => {
      if (f.labelTokens.indexOf(t) !== i) return;
      (byToken.get(t) ?? byToken.set(t, []).get(t)!).push(f.id);
    });
    (bySeries.get(f.series) ?? bySeries.set(f.series, []).get(f.series)!).push(f.id);
  }
  const byValue = b.figures.map((f) => ({ abs: Math.abs(f.value), id: f.id })).sort((x, y) => x.abs - y.abs);
  const byMantissa = b.figures
    .filter((f) => !f.scaleKnown)
    .map((f) => ({ abs: Math.abs(f.mantissa), id: f.id }))
    .sort((x, y) => x.abs - y.abs);
  const sentenceByToken = new Map<string, number[]>();
  for (const s of b.sentences) for (const t of new Set(s.tokens)) (sentenceByToken.get(t) ?? sentenceByToken.set(t, []).get(t)!).push(s.id);
  const n = Math.max(1, b.sentences.length);
  const idf = new Map<string, number>();
  for (const [t, ids] of sentenceByToken) idf.set(t, Math.log(1 + n / ids.length));
  const rawText = raw.join('\n');
  const periodSources = new Set(b.figures.filter((f) => f.period).map((f) => f.sourceId));
  const unlabeled = b.figures.filter((f) => f.origin === 'table' && f.labelSize === 0).map((f) => f.id);
  return {
    unlabeled,
    periodSources,
    figures: b.figures,
    byToken,
    byValue,
    byMantissa,
    sentences: b.sentences,
    sentenceByToken,
    idf,
    lowerText: rawText.toLowerCase(),
    rawText,
    sources: byId,
    bySeries,
  };
}

/** Figure ids whose |value| lies within [lo, hi]. */
export function figuresInRange(sorted: Array<{ abs: number; id: number }>, lo: number, hi: number): number[] {
  let a = 0;
  let z = sorted.length;
  while (a < z) {
    const mid = (a + z) >> 1;
    if (sorted[mid]!.abs < lo) a = mid + 1;
    else z = mid;
  }
  const out: number[] = [];
  for (let i = a; i < sorted.length && sorted[i]!.abs <= hi; i++) out.push(sorted[i]!.id);
  return out;
}
