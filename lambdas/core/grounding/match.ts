/**
 * Numeric matching: a claim's figure against the source figures of its line item and period —
 * directly (within the tolerance its stated precision allows) or as a value derived from them
 * (difference, percentage change, ratio, sum, average, margin, change in percentage points,
 * per-share), the program recorded in the evidence. The derived search is bounded to the figures
 * whose labels match the claim, in the claim's periods, so it never grows with the whole source.
 * When nothing supports a claim the matcher says why: the same line item and period hold another
 * value, or the value belongs to another period, line item, scale, sign, basis or conflict side.
 */
import type { NumericClaim } from './claims';
import { approximateEnd } from './periods';
import type { PeriodRef } from './periods';
import { figuresInRange } from './source-reader';
import type { SourceFigure, SourceIndex } from './source-reader';

export type FindingKind =
  | 'supported'
  | 'unsupported_number'
  | 'wrong_value'
  | 'wrong_scale'
  | 'wrong_period'
  | 'wrong_line_item'
  | 'wrong_sign'
  | 'estimate_as_reported'
  | 'conflict_loser'
  | 'quarter_full_year'
  | 'missing_period'
  | 'future_period'
  | 'stale_figure'
  | 'unknown_entity'
  | 'wrong_rating'
  | 'wrong_firm'
  | 'unsupported_text'
  | 'contradicted_text'
  | 'unknown_citation'
  | 'citation_mismatch'
  | 'missing_citation'
  | 'future_date'
  | 'promissory'
  | 'unsupported_superlative';

export type ClaimStatus = 'supported' | 'contradicted' | 'unsupported';

export interface Evidence {
  sourceId: string;
  quote: string;
  /** The value the source holds (or the derived value), in base units. */
  value?: number;
  /** How a derived value was computed from source figures, e.g. `(44.1 - 56.7) / 56.7 × 100`. */
  program?: string;
  factIds?: string[];
}

export interface Verdict {
  status: ClaimStatus;
  kind: FindingKind;
  reason: string;
  evidence?: Evidence;
  derived?: boolean;
  /** Supported only by a figure whose label barely matches, or without a period: riskier. */
  weak?: boolean;
  /** A statement most of whose content words appear nowhere in the sources. */
  absent?: boolean;
}

export interface MatchOptions {
  asOf?: string;
}

interface Scored {
  fig: SourceFigure;
  score: number;
  /** Where in the claim the label is first mentioned (orders "A minus B"). */
  at: number;
}

const fmtNum = (v: number) => {
  const a = Math.abs(v);
  const s =
    a >= 1e9
      ? `${+(a / 1e9).toFixed(3)} billion`
      : a >= 1e6
        ? `${+(a / 1e6).toFixed(3)} million`
        : a >= 1e4
          ? `${+a.toFixed(0)}`
          : `${+a.toFixed(4)}`;
  return v < 0 ? `-${s}` : s;
};

export function formatValue(v: number, unit: string): string {
  if (unit === 'pct') return `${fmtNum(v)}%`;
  if (unit === 'pp') return `${fmtNum(v)} percentage points`;
  if (unit === 'x') return `${fmtNum(v)}x`;
  if (unit === 'usd') return v < 0 ? `-$${fmtNum(-v)}` : `$${fmtNum(v)}`;
  return fmtNum(v);
}

function periodLabel(p: SourceFigure['period']): string {
  if (!p) return 'no stated period';
  return p.quarter ? `Q${p.quarter} ${p.year}` : p.half ? `H${p.half} ${p.year}` : `${p.year}`;
}

function periodRank(p: SourceFigure['period']): number {
  return p ? p.year * 10 + (p.quarter ?? (p.half ? p.half * 2 : 5)) : -1;
}

type PeriodFit = 'yes' | 'no' | 'unknown';

export function periodFit(periods: PeriodRef[], fig: SourceFigure, _index?: SourceIndex): PeriodFit {
  if (periods.length === 0) return 'unknown';
  // A source that dates its figures but not this one cannot confirm the period a claim names.
  if (!fig.period) return fig.undated ? 'no' : 'unknown';
  for (const p of periods) {
    // Both name the day the period ends: the day decides (a week apart at most, for 52/53-week years).
    if (p.date && fig.period.date && (p.kind === 'quarter' || p.kind === 'date' || p.kind === 'ytd' || p.kind === 'year')) {
      if (Math.abs(Date.parse(p.date) - Date.parse(fig.period.date)) <= 7 * 86_400_000) return 'yes';
      continue;
    }
    if (!Number.isFinite(p.year)) {
      if ((p.quarter ?? 0) === (fig.period.quarter ?? 0) && (p.half ?? 0) === (fig.period.half ?? 0)) return 'yes';
      continue;
    }
    if (p.year !== fig.period.year && p.year !== fig.period.altYear) continue;
    if (p.kind === 'date' || p.kind === 'month') return 'yes';
    if ((p.quarter ?? 0) === (fig.period.quarter ?? 0) && (p.half ?? 0) === (fig.period.half ?? 0)) return 'yes';
  }
  return 'no';
}

const CONFLICT_FRAMING_RE =
  /\b(?:disagree|disagreement|conflict|conflicting|differs?|discrepan\w*|against|versus|vs\.?|whereas|while (?:the )?(?:filing|vendor|consensus|notes?)|restated|restatement|previously reported)\b/i;

const RESTATED_TO_RE = /\b(?:restated|revised|corrected|adjusted)\s+(?:up(?:ward)?\s+|down(?:ward)?\s+)?to\s*$/i;

const LEVEL_UNITS = new Set(['usd', 'plain', 'shares']);

function unitFitsDirect(claimUnit: string, fig: SourceFigure, claimScaled = false): boolean {
  // "4,900 million" is an amount, never a percentage.
  if (claimUnit === 'plain' && claimScaled && fig.unit === 'pct') return false;
  if (claimUnit === 'pct') return fig.unit === 'pct' || (fig.unit === 'plain' && !fig.scaleKnown);
  if (claimUnit === 'pp') return fig.unit === 'pp';
  if (claimUnit === 'x') return fig.unit === 'x' || fig.unit === 'plain';
  if (claimUnit === 'usd') return fig.unit === 'usd' || fig.unit === 'plain';
  if (claimUnit === 'shares') return fig.unit === 'shares' || fig.unit === 'plain';
  return fig.unit !== 'pp';
}

/** The figure's value in the claim's terms: a table with no stated scale is taken at the claim's scale. */
function effective(claim: NumericClaim, fig: SourceFigure): number[] {
  if (!fig.scaleKnown && fig.unit !== 'pct') return [fig.mantissa * claim.figure.scale];
  if (!claim.figure.scaleStated && claim.figure.unit !== 'pct' && fig.mantissa !== fig.value) return [fig.value, fig.mantissa];
  return [fig.value];
}

/** A level stated under a loss name ("a net loss of $5M") is a negative result; so is a loss-named line. */
function levelResult(value: number, lossNamed: boolean, signMarked: boolean): number {
  if (!lossNamed) return value;
  return signMarked && value < 0 ? Math.abs(value) : -Math.abs(value);
}

function close(a: number, b: number, tol: number): boolean {
  return Math.abs(a - b) <= tol + Math.abs(b) * 1e-9;
}

/** Words that open many line items' labels ("Total assets", "Total liabilities"): they do not say which one. */
const LABEL_PREFIX_WORDS = new Set(['total', 'net', 'other', 'gross']);

const START_RE = /\b(?:beginning|start|opening|at the start)\b/i;
const END_RE = /\b(?:end|ending|closing)\b/i;

/** Which end of a period a text names ("beginning balance", "outstanding at end of period"), when it names one. */
function boundaryOf(text: string): 'start' | 'end' | undefined {
  const start = START_RE.test(text);
  const end = END_RE.test(text);
  return start === end ? undefined : start ? 'start' : 'end';
}

const COUNTS = new WeakMap<SourceIndex, Uint16Array>();
function countsFor(index: SourceIndex): Uint16Array {
  let counts = COUNTS.get(index);
  if (!counts) COUNTS.set(index, (counts = new Uint16Array(index.figures.length)));
  return counts;
}

function scoreCandidates(claim: NumericClaim, index: SourceIndex): Scored[] {
  const tokens = new Set(claim.tokens);
  // "end" and "period" are stop words, so "Outstanding at start of period" and "… at end of period" share every
  // content word: the boundary they name tells them apart.
  const claimBoundary = boundaryOf(claim.clause);
  // Counted in a typed array with a list of the ids touched: this runs for every numeric claim.
  const counts = countsFor(index);
  const touched: number[] = [];
  for (const t of tokens)
    for (const id of index.byToken.get(t) ?? []) {
      const seen = counts[id]!;
      counts[id] = seen + 1;
      if (seen === 0) touched.push(id);
    }
  const out: Scored[] = [];
  for (const id of touched) {
    const matched = counts[id]!;
    counts[id] = 0;
    const fig = index.figures[id]!;
    const labelSize = fig.labelSize;
    // Prose labels are the words before a figure: the last few count, so "Consumer net sales" is not "Industrial net sales".
    let score = fig.origin === 'prose' ? matched / Math.min(labelSize, 5) : matched / labelSize;
    // A claim that names one line item is not about a figure of another ("revenue" vs "#operating_income").
    if (claim.metric && fig.metric && claim.metric !== fig.metric && !tokens.has(`#${fig.metric}`)) score *= 0.5;
    if (fig.contextTokens.some((t) => tokens.has(t))) score += 0.1;
    if (claimBoundary && fig.origin === 'table') {
      const figBoundary = boundaryOf(fig.label);
      if (figBoundary && figBoundary !== claimBoundary) score *= 0.5;
    }
    score = Math.min(score, 1.1);
    if (score < 0.5) continue;
    // Where the claim names this figure: its label first, then its column words ("Mission Solutions"), so
    // "A, B and C" can be told apart whether A, B and C are rows or columns.
    // A line item the lexicon knows is named where the claim names it ("total liabilities"), not at the
    // first word it shares with others ("total"): so "A to B" tells A and B apart.
    let labelAt = fig.metric ? (claim.tokenPos.get(`#${fig.metric}`) ?? 1e6) : 1e6;
    // "Total prepaid expenses" is named where the claim says "total", apart from "prepaid expenses" before it.
    const lead = fig.labelTokens[0];
    if (labelAt === 1e6 && lead !== undefined && LABEL_PREFIX_WORDS.has(lead)) labelAt = claim.tokenPos.get(lead) ?? 1e6;
    if (labelAt === 1e6) {
      let generic = 1e6;
      for (const t of fig.labelTokens) {
        const p = claim.tokenPos.get(t);
        if (p === undefined) continue;
        if (LABEL_PREFIX_WORDS.has(t)) generic = Math.min(generic, p);
        else if (p < labelAt) labelAt = p;
      }
      if (labelAt === 1e6) labelAt = generic;
    }
    let contextAt = 1e6;
    for (const t of fig.contextTokens) {
      const p = claim.tokenPos.get(t);
      if (p !== undefined && p < contextAt) contextAt = p;
    }
    const at = labelAt * 1e7 + contextAt;
    out.push({ fig, score, at });
  }
  // Nothing in the sources is named like the claim's line item: a table whose rows are only dates
  // ("At 1 January", "At 31 December") is about the subject the claim names, so its rows stand in.
  if (out.length === 0 && tokens.size > 0) {
    for (const id of index.unlabeled) out.push({ fig: index.figures[id]!, score: 0.5, at: 0 });
  }
  return out.sort((a, b) => b.score - a.score);
}

/** Ratios defined from line items: numerator and denominator metric ids, multiplier, unit. */
const FORMULAS: Record<string, { num: string; den: string; times: number; unit: string }> = {
  gross_margin: { num: 'gross_profit', den: 'revenue', times: 100, unit: 'pct' },
  operating_margin: { num: 'operating_income', den: 'revenue', times: 100, unit: 'pct' },
  net_margin: { num: 'net_income', den: 'revenue', times: 100, unit: 'pct' },
  eps_diluted: { num: 'net_income', den: 'shares_outstanding', times: 1, unit: 'usd' },
  pe_ratio: { num: 'price', den: 'eps_diluted', times: 1, unit: 'x' },
  current_ratio: { num: 'current_assets', den: 'current_liabilities', times: 1, unit: 'x' },
  debt_to_assets: { num: 'total_liabilities', den: 'total_assets', times: 1, unit: 'x' },
  debt_to_equity: { num: 'total_liabilities', den: 'stockholders_equity', times: 1, unit: 'x' },
  return_on_equity: { num: 'net_income', den: 'stockholders_equity', times: 100, unit: 'pct' },
  return_on_assets: { num: 'net_income', den: 'total_assets', times: 100, unit: 'pct' },
  dividend_yield: { num: 'dividends_per_share', den: 'price', times: 100, unit: 'pct' },
};

interface Derivation {
  value: number;
  /** For ratios and percentage changes, the quotient of the operands: their rounding propagates relative to it. */
  quotient?: number;
  /** Built only for the derivation that matches: most candidates are discarded. */
  program: () => string;
  figs: SourceFigure[];
}

/** How far a derived value can be off from the sources' own rounding (first-order error propagation). */
function derivedSlack(claim: NumericClaim, d: Derivation): number {
  const ps = d.figs.map((f) => figPrecision(claim, f));
  const vs = d.figs.map((f) => Math.abs(effective(claim, f)[0]!) || 1);
  const rel = ps.reduce((a, p, i) => a + p / vs[i]!, 0);
  const abs = ps.reduce((a, b) => a + b, 0);
  // Sums and differences add the operands' rounding; ratios add it relatively. Never more than 1 % of the value.
  const spread = d.quotient !== undefined ? Math.abs(d.quotient) * rel : Math.max(abs, Math.abs(d.value) * rel);
  return Math.min(spread, Math.abs(d.value) * 0.01) + 1e-12;
}

const fmtOperand = (v: number) => `${+v.toPrecision(10)}`;

/** Values derived from a bounded set of figures, for the claim's unit. */
const YEAR_PAIR = String.raw`(?:fiscal\s+|FY\s?)?((?:19|20)\d{2})`;
const FROM_TO_RE = new RegExp(String.raw`\bfrom\s+${YEAR_PAIR}\s+to\s+${YEAR_PAIR}`, 'i');
const TARGET_FIRST_RE = new RegExp(String.raw`${YEAR_PAIR}\s+(?:from|compared\s+(?:to|with)|vs\.?|versus|over)\s+${YEAR_PAIR}`, 'i');

/** The period a change is measured to, when the claim says so ("from 2018 to 2019", "2019 from 2018"). */
function changeTarget(claim: NumericClaim): { target: number; base: number } | undefined {
  const a = FROM_TO_RE.exec(claim.clause);
  if (a) return { base: Number(a[1]), target: Number(a[2]) };
  const b = TARGET_FIRST_RE.exec(claim.clause);
  if (b) return { target: Number(b[1]), base: Number(b[2]) };
  return undefined;
}

function* derivations(
  claim: NumericClaim,
  set: Scored[],
  space: 'value' | 'mantissa' = 'value',
  magnitudes = false,
): Generator<Derivation> {
  const unit = claim.figure.unit;
  const stated = changeTarget(claim);
  const ev = (s: Scored) => {
    const v = space === 'mantissa' && s.fig.unit !== 'pct' ? s.fig.mantissa : effective(claim, s.fig)[0]!;
    // Deductions and losses shown in parentheses are combined as the magnitudes they present.
    return magnitudes && (s.fig.deduction || s.fig.lossNamed) ? Math.abs(v) : v;
  };
  for (let i = 0; i < set.length; i++) {
    for (let j = 0; j < set.length; j++) {
      if (i === j) continue;
      const a = set[i]!;
      const b = set[j]!;
      const va = ev(a);
      const vb = ev(b);
      const sameSeries = a.fig.series === b.fig.series;
      const ra = periodRank(a.fig.period);
      const rb = periodRank(b.fig.period);
      // Orientation: later minus earlier within a line item; first-named minus second-named across line items.
      // Across line items only when the claim names both, at different places ("A to B", "A minus B").
      if (!sameSeries && (a.at === b.at || a.score < 0.66 || b.score < 0.66 || ra !== rb)) continue;
      // Undated columns of one line item: the left one is the later period (most recent first), when the claim names two.
      const byColumn =
        sameSeries &&
        a.fig.column !== undefined &&
        b.fig.column !== undefined &&
        !a.fig.period &&
        !b.fig.period &&
        new Set(claim.periods.map((p) => p.year)).size === 2;
      if (claim.periods.length > 0 && (!a.fig.period || !b.fig.period) && !byColumn) continue;
      const timeOrder = byColumn
        ? a.fig.column! < b.fig.column!
        : stated && a.fig.period && b.fig.period && a.fig.period.year !== b.fig.period.year
          ? a.fig.period.year === stated.target && b.fig.period.year === stated.base
          : ra > rb;
      // "The difference between A and B" is read both ways; a change has a direction.
      const either = /\bdifference\b/i.test(claim.clause) && !stated && !claim.figure.signMarked;
      const oriented = either || (sameSeries ? timeOrder : ra === rb ? a.at < b.at : timeOrder);
      const both = { figs: [a.fig, b.fig] };
      if (unit === 'pct' || unit === 'plain') {
        if (oriented && vb !== 0 && a.fig.unit !== 'pct')
          yield {
            value: ((va - vb) / Math.abs(vb)) * 100,
            quotient: (va / vb) * 100,
            program: () => `(${fmtOperand(va)} - ${fmtOperand(vb)}) / ${fmtOperand(Math.abs(vb))} × 100`,
            ...both,
          };
        // With a negative base both conventions are in use: over |base| and over the base itself.
        if (oriented && vb < 0 && a.fig.unit !== 'pct')
          yield {
            value: ((va - vb) / vb) * 100,
            quotient: (va / vb) * 100,
            program: () => `(${fmtOperand(va)} - ${fmtOperand(vb)}) / ${fmtOperand(vb)} × 100`,
            ...both,
          };
        if (oriented && vb !== 0 && a.fig.unit === 'pct' && b.fig.unit === 'pct' && sameSeries)
          yield {
            value: ((va - vb) / Math.abs(vb)) * 100,
            quotient: (va / vb) * 100,
            program: () => `(${fmtOperand(va)}% - ${fmtOperand(vb)}%) / ${fmtOperand(Math.abs(vb))}% × 100`,
            ...both,
          };
        if (vb !== 0 && a.fig.unit !== 'pct' && b.fig.unit !== 'pct')
          yield {
            value: (va / vb) * 100,
            quotient: (va / vb) * 100,
            program: () => `${fmtOperand(va)} / ${fmtOperand(vb)} × 100`,
            ...both,
          };
        if (i < j && a.fig.unit === 'pct' && b.fig.unit === 'pct') {
          yield { value: (va + vb) / 2, program: () => `(${fmtOperand(va)}% + ${fmtOperand(vb)}%) / 2`, ...both };
          yield { value: va + vb, program: () => `${fmtOperand(va)}% + ${fmtOperand(vb)}%`, ...both };
        }
      }
      // Percentage-like: a percent cell, or a bare number under no stated scale (a "% of sales" table without the sign).
      const pctLike = (x: SourceFigure) => x.unit === 'pct' || (x.unit === 'plain' && !x.scaleKnown && Math.abs(x.mantissa) <= 100);
      if (unit === 'pp' || (unit === 'plain' && a.fig.unit === 'pct')) {
        if (oriented && (unit === 'pp' ? pctLike(a.fig) && pctLike(b.fig) : a.fig.unit === 'pct' && b.fig.unit === 'pct'))
          yield { value: va - vb, program: () => `${fmtOperand(va)}% - ${fmtOperand(vb)}% (percentage points)`, ...both };
      }
      const ratioOk =
        unit === 'x' ||
        (unit === 'plain' && !claim.figure.scaleStated && a.fig.unit !== 'pct' && b.fig.unit !== 'pct') ||
        (unit === 'usd' && b.fig.unit === 'shares');
      if (ratioOk) {
        if (vb !== 0) yield { value: va / vb, quotient: va / vb, program: () => `${fmtOperand(va)} / ${fmtOperand(vb)}`, ...both };
      }
      if (unit === 'usd' || unit === 'plain' || unit === 'shares') {
        if (a.fig.unit === 'pct' || b.fig.unit === 'pct') continue;
        if (oriented) yield { value: va - vb, program: () => `${fmtOperand(va)} - ${fmtOperand(vb)}`, ...both };
        // Adding a line item across periods only when the claim says so ("total for 2018 and 2019", "average").
        const sumOk = !sameSeries || claim.isSum || /\b(?:sum|combined|together|both|total|aggregate|cumulative)\b/i.test(claim.clause);
        if (i < j && sumOk) yield { value: va + vb, program: () => `${fmtOperand(va)} + ${fmtOperand(vb)}`, ...both };
        if (i < j && claim.isAverage) yield { value: (va + vb) / 2, program: () => `(${fmtOperand(va)} + ${fmtOperand(vb)}) / 2`, ...both };
      }
    }
  }
  // Sums and averages of three or more figures (a line item over the periods named, or parts of a total).
  const summed = claim.isSum || /\b(?:sum|combined|together|both|total|aggregate|cumulative|altogether)\b/i.test(claim.clause);
  if (set.length >= 3 && set.length <= 12 && unit !== 'x' && (summed || claim.isAverage)) {
    for (let i = 0; i < set.length; i++) {
      for (let j = i + 1; j < set.length; j++) {
        for (let k = j + 1; k < set.length; k++) {
          const vs = [set[i]!, set[j]!, set[k]!];
          // One line item over periods, or named parts of one period: never a mix.
          const oneSeries = vs.every((v) => v.fig.series === vs[0]!.fig.series);
          const onePeriod =
            vs.every((v) => periodRank(v.fig.period) === periodRank(vs[0]!.fig.period)) && new Set(vs.map((v) => v.at)).size === 3;
          if (!oneSeries && !onePeriod) continue;
          if (claim.periods.length > 0 && vs.some((v) => !v.fig.period)) continue;
          const pctAll = vs.every((s) => s.fig.unit === 'pct');
          if (unit === 'pct' && !pctAll) continue;
          if (unit !== 'pct' && vs.some((s) => s.fig.unit === 'pct') && unit !== 'plain') continue;
          const vals = vs.map(ev);
          const sum = vals.reduce((x, y) => x + y, 0);
          const figs = vs.map((s) => s.fig);
          // Only what the claim says it is: a total ("total", "combined", "sum") or an average.
          if (unit !== 'pct' && summed) yield { value: sum, program: () => vals.map(fmtOperand).join(' + '), figs };
          if (claim.isAverage) yield { value: sum / 3, program: () => `(${vals.map(fmtOperand).join(' + ')}) / 3`, figs };
        }
      }
    }
  }
}

/** A value computed from the sources speaks of every year the claim names: "A in 2018 as a share of B in 2019" uses both. */
function coversYears(years: Set<number>, figs: SourceFigure[]): boolean {
  if (years.size < 2 || figs.some((f) => !f.period)) return true;
  for (const y of years) if (!figs.some((f) => f.period?.year === y || f.period?.altYear === y)) return false;
  return true;
}

function evidenceOf(fig: SourceFigure, value?: number, program?: string): Evidence {
  return { sourceId: fig.sourceId, quote: fig.snippet, value: value ?? fig.value, program, factIds: fig.factId ? [fig.factId] : undefined };
}

/** The source's own rounding, in the claim's terms. */
function figPrecision(claim: NumericClaim, fig: SourceFigure): number {
  const p = !fig.scaleKnown && fig.unit !== 'pct' ? fig.precision * claim.figure.scale : fig.precision;
  // A coarse source figure ("5") cannot vouch for a finer claim ("5.35"): its rounding counts only up to 0.5 %.
  return Math.min(p, Math.abs(effective(claim, fig)[0]!) * 0.005);
}

function sameValue(claim: NumericClaim, fig: SourceFigure, signed: number, claimTol: number): boolean {
  const tol = claimTol + figPrecision(claim, fig);
  // Reporting a disagreement, writers quote each side's magnitude ("the filing shows $1 against $150.0 million").
  if (
    !claim.figure.signMarked &&
    !claim.direction &&
    CONFLICT_FRAMING_RE.test(claim.ctx.sentence) &&
    effective(claim, fig).some((v) => close(Math.abs(signed), Math.abs(v), tol))
  )
    return true;
  if (
    fig.deduction &&
    !claim.isChange &&
    !claim.figure.signMarked &&
    effective(claim, fig).some((v) => close(Math.abs(signed), Math.abs(v), tol))
  )
    return true;
  return effective(claim, fig).some((v) =>
    close(
      levelResult(signed, claim.lossNamed && !claim.isChange, claim.figure.signMarked),
      levelResult(v, fig.lossNamed && !claim.isChange, false),
      tol,
    ),
  );
}

function absSame(claim: NumericClaim, fig: SourceFigure, tol: number): boolean {
  return effective(claim, fig).some((v) => close(Math.abs(claim.signed), Math.abs(v), tol));
}

/** A loss-named line item is its profit line below zero. */
const PROFIT_OF_LOSS: Record<string, string> = { net_loss: 'net_income', operating_loss: 'operating_income' };

/** Ground one numeric claim. */
export function matchNumber(claim: NumericClaim, index: SourceIndex, options: MatchOptions = {}): Verdict {
  const f = claim.figure;
  const tol = f.tolerance;
  const scored = scoreCandidates(claim, index);
  const fitting = scored.filter((s) => periodFit(claim.periods, s.fig, index) !== 'no');
  const unitOk = (s: Scored) => unitFitsDirect(f.unit, s.fig, f.scaleStated);
  const basisOk = (s: Scored) => claim.basis !== 'reported' || s.fig.basis === 'reported';

  // 0. A small bare integer the sources use inside a name ("Scope 1", "aged 65", "10 largest") is a name, not a figure.
  const nameUse = partOfName(claim, index);
  if (nameUse) return nameUse;

  let pendingMissingPeriod: Verdict | undefined;
  // 1. Direct: the same line item, period and value. Only the best-named line items count: a label that
  // shares two words of three ("defined contribution schemes" for "defined benefit schemes") is another line.
  const bestFit = fitting[0]?.score ?? 0;
  const named = fitting.filter(
    (s) => s.score >= bestFit - 0.15 || (claim.metric !== undefined && s.fig.metric === claim.metric && s.score >= 0.5),
  );
  if (!claim.isChange || f.unit !== 'pp') {
    const direct = named.filter(
      (s) => unitOk(s) && (s.fig.origin !== 'prose' || s.score >= 0.66) && sameValue(claim, s.fig, claim.signed, tol),
    );
    const clean = direct.filter((s) => !s.fig.conflictLoser && basisOk(s));
    if (clean.length > 0) {
      const v = supportedDirect(claim, clean[0]!, scored, index, options);
      // An average, sum or ratio that names no period may be a derived value that merely equals one figure.
      if (v.kind !== 'missing_period') return v;
      pendingMissingPeriod = v;
    }
    const loser = pendingMissingPeriod ? undefined : direct.find((s) => s.fig.conflictLoser);
    // "restated to X" names the figure that now stands: the losing side there is stated as the winner.
    const statedAsCurrent =
      loser !== undefined &&
      RESTATED_TO_RE.test(claim.ctx.sentence.slice(0, Math.max(0, claim.span[0] - claim.ctx.sentenceSpan[0])).slice(-40));
    // A sentence that reports the disagreement itself ("the filing shows X against Y in vendor data") states the losing side as such.
    if (loser && !statedAsCurrent && CONFLICT_FRAMING_RE.test(claim.ctx.sentence)) {
      return {
        status: 'supported',
        kind: 'supported',
        reason: `${f.raw} is the other side of a source conflict (${loser.fig.sourceId}), stated as such`,
        evidence: evidenceOf(loser.fig),
      };
    }
    if (loser) {
      const w = loser.fig.conflictLoser!;
      return {
        status: 'contradicted',
        kind: 'conflict_loser',
        reason: `${f.raw} is the losing side of a source conflict: ${loser.fig.sourceId} says ${formatValue(loser.fig.value, loser.fig.unit)}, but the preferred source ${w.winnerSourceId} says ${formatValue(w.winnerValue, loser.fig.unit)}`,
        evidence: evidenceOf(loser.fig),
      };
    }
    const estimate = pendingMissingPeriod ? undefined : direct.find((s) => s.fig.basis === 'estimate');
    if (estimate) {
      return {
        status: 'contradicted',
        kind: 'estimate_as_reported',
        reason: `${f.raw} is an estimate (${estimate.fig.label}) stated as a reported figure`,
        evidence: evidenceOf(estimate.fig),
      };
    }
  }

  // 2. Derived: over the figures of the best-matching labels, in the claim's periods (plus the prior period for changes and averages).
  const best = fitting[0]?.score ?? 0;
  let pool = fitting.filter(
    (s) => s.score >= best - 0.15 && s.fig.unit !== 'pp' && s.fig.basis === (claim.basis === 'reported' ? 'reported' : s.fig.basis),
  );
  const namedYears = new Set(claim.periods.map((p) => p.year));
  if ((claim.isChange || claim.isAverage || f.unit === 'pct' || f.unit === 'pp') && namedYears.size === 1) {
    const [y] = namedYears;
    const extra = scored.filter(
      (s) => s.score >= best - 0.35 && s.fig.period?.year === y! - 1 && pool.some((p) => p.fig.series === s.fig.series),
    );
    pool = [...pool, ...extra];
  }
  // "the average over 2017 to 2019", "total for 2017-2019": every year of the range, not only its ends.
  // Only a range says so ("from 2017 to 2019", "2017-2019", "over the three years"); "2017 and 2019" names two years.
  const range =
    /\b(?:from|between)\s+(?:fiscal\s+(?:years?\s+)?|FY\s?)?\d{4}\s+(?:to|through)\b|\d{4}\s*[-–]\s*(?:FY\s?)?\d{2,4}\b|\bacross\b|\bover\s+the\b|\bthrough\b/i.test(
      claim.clause,
    );
  if (
    (claim.isAverage || claim.isSum || /\b(?:total|combined|sum|across)\b/i.test(claim.clause)) &&
    range &&
    !claim.isChange &&
    namedYears.size >= 2
  ) {
    const lo = Math.min(...namedYears);
    const hi = Math.max(...namedYears);
    const inRange = scored.filter(
      (s) =>
        s.score >= best - 0.35 &&
        s.fig.period &&
        s.fig.period.year > lo &&
        s.fig.period.year < hi &&
        !s.fig.period.quarter &&
        pool.some((p) => p.fig.series === s.fig.series) &&
        !pool.includes(s),
    );
    pool = [...pool, ...inRange];
  }
  pool = boundedPool(pool, 20);
  const spaces: Array<'value' | 'mantissa'> = !f.scaleStated && f.unit !== 'pct' ? ['value', 'mantissa'] : ['value'];
  const magnitudeModes = pool.some((s) => s.fig.value < 0 && (s.fig.deduction || s.fig.lossNamed)) ? [false, true] : [false];
  for (const magnitudes of magnitudeModes)
    for (const space of spaces)
      for (const d of derivations(claim, pool, space, magnitudes)) {
        if (
          close(claim.signed, d.value, tol + Math.abs(d.value) * 1e-6 + derivedSlack(claim, d)) &&
          (range || coversYears(namedYears, d.figs))
        ) {
          const fig = d.figs[0]!;
          return {
            status: 'supported',
            kind: 'supported',
            reason: `${f.raw} = ${d.program()} from ${d.figs.map((x) => `${x.label} ${periodLabel(x.period)}`).join(', ')}`,
            derived: true,
            evidence: {
              sourceId: fig.sourceId,
              quote: d.figs.map((x) => x.snippet).join(' ; '),
              value: d.value,
              program: d.program(),
              factIds: d.figs.flatMap((x) => (x.factId ? [x.factId] : [])),
            },
          };
        }
      }

  // 2a. The change of a two-year average ("the change between 2018 and 2019 average free cash flow"):
  // TAT-QA's reading is avg(latest two years) − avg(the two years before), so the year before the range counts too.
  const hiYear = Math.max(...namedYears);
  if (
    claim.isAverage &&
    claim.isChange &&
    namedYears.size >= 2 &&
    namedYears.has(hiYear - 1) &&
    [...namedYears].every((y) => y >= hiYear - 2)
  ) {
    const hi = hiYear;
    const seriesOf = new Set(pool.map((s) => s.fig.series));
    const bySeries = new Map<string, Map<number, SourceFigure>>();
    for (const s of scored) {
      const y = s.fig.period?.year;
      if (y === undefined || s.fig.period?.quarter || !seriesOf.has(s.fig.series) || y < hi - 2 || y > hi) continue;
      const years = bySeries.get(s.fig.series) ?? bySeries.set(s.fig.series, new Map()).get(s.fig.series)!;
      if (!years.has(y)) years.set(y, s.fig);
    }
    for (const years of bySeries.values()) {
      const [c, b, a] = [years.get(hi), years.get(hi - 1), years.get(hi - 2)];
      if (!c || !b || !a) continue;
      const [vc, vb, va] = [c, b, a].map((g) => effective(claim, g)[0]!) as [number, number, number];
      const d: Derivation = {
        value: (vc + vb) / 2 - (vb + va) / 2,
        program: () => `(${fmtOperand(vc)} + ${fmtOperand(vb)}) / 2 - (${fmtOperand(vb)} + ${fmtOperand(va)}) / 2`,
        figs: [c, b, a],
      };
      if (close(claim.signed, d.value, tol + Math.abs(d.value) * 1e-6 + derivedSlack(claim, d)))
        return {
          status: 'supported',
          kind: 'supported',
          reason: `${f.raw} = ${d.program()} from ${c.label} ${periodLabel(c.period)}, ${periodLabel(b.period)}, ${periodLabel(a.period)}`,
          derived: true,
          evidence: {
            sourceId: c.sourceId,
            quote: d.figs.map((x) => x.snippet).join(' ; '),
            value: d.value,
            program: d.program(),
            factIds: d.figs.flatMap((x) => (x.factId ? [x.factId] : [])),
          },
        };
    }
  }

  // 2b. Ratios the lexicon defines (margins, per-share), from the line items they are made of.
  const formula = claim.metric ? FORMULAS[claim.metric] : undefined;
  if (formula) {
    const byMetric = (m: string) =>
      (index.byToken.get(`#${m}`) ?? [])
        .map((id) => index.figures[id]!)
        .filter((g) => g.basis === 'reported' && g.unit !== 'pct' && periodFit(claim.periods, g, index) !== 'no');
    const nums = byMetric(formula.num);
    const dens = byMetric(formula.den);
    for (const n of nums) {
      for (const d of dens) {
        if (n.period?.year !== d.period?.year || (n.period?.quarter ?? 0) !== (d.period?.quarter ?? 0)) continue;
        const vn = effective(claim, n)[0]!;
        const vd = effective(claim, d)[0]!;
        if (vd === 0) continue;
        // A ratio may be stated as a multiple (0.78) or a percentage (78%).
        const times = claim.figure.unit === 'pct' && formula.unit === 'x' ? 100 : formula.times;
        const value = (vn / vd) * times;
        const program = `${fmtOperand(vn)} / ${fmtOperand(vd)}${formula.times !== 1 ? ` × ${formula.times}` : ''}`;
        if (close(claim.signed, value, tol + Math.abs(value) * 1e-6)) {
          return {
            status: 'supported',
            kind: 'supported',
            derived: true,
            reason: `${f.raw} = ${claim.metric} = ${program} (${n.label} / ${d.label}, ${periodLabel(n.period)})`,
            evidence: { sourceId: n.sourceId, quote: `${n.snippet} ; ${d.snippet}`, value, program },
          };
        }
        if (periodFit(claim.periods, n, index) === 'yes' && claim.figure.unit === formula.unit) {
          return {
            status: 'contradicted',
            kind: 'wrong_value',
            derived: true,
            reason: `expected ${formatValue(value, formula.unit)} (${claim.metric} = ${program}, ${periodLabel(n.period)}), found ${f.raw}`,
            evidence: { sourceId: n.sourceId, quote: `${n.snippet} ; ${d.snippet}`, value, program },
          };
        }
      }
    }
  }

  // 3. Not supported: say why.
  if (pendingMissingPeriod) return pendingMissingPeriod;
  return explainMismatch(claim, scored, fitting, index, options);
}

/** The best line items first, each with all its periods, up to `limit` figures. */
function boundedPool(pool: Scored[], limit: number): Scored[] {
  const bySeries = new Map<string, Scored[]>();
  for (const s of pool) (bySeries.get(s.fig.series) ?? bySeries.set(s.fig.series, []).get(s.fig.series)!).push(s);
  const ranked = [...bySeries.values()].sort((a, b) => Math.max(...b.map((x) => x.score)) - Math.max(...a.map((x) => x.score)));
  // Up to six line items, at most six periods each: enough for "A as a share of B" and a line item over a range.
  const out: Scored[] = [];
  for (const group of ranked.slice(0, 6)) {
    if (out.length >= limit) break;
    out.push(...group.slice(0, Math.min(6, limit - out.length)));
  }
  return out;
}

function partOfName(claim: NumericClaim, index: SourceIndex): Verdict | undefined {
  const f = claim.figure;
  if (f.unit !== 'plain' || f.scaleStated || f.signMarked || !Number.isInteger(f.value) || f.value > 100 || /[.,]/.test(f.raw))
    return undefined;
  const s = claim.ctx.sentence;
  const rel = claim.span[0] - claim.ctx.sentenceSpan[0];
  const before = /([A-Za-z]+)[\s(-]*$/.exec(s.slice(0, rel))?.[1];
  const after = /^[\s)-]*([A-Za-z]+)/.exec(s.slice(rel + f.raw.length))?.[1];
  const n = String(f.value);
  const hits = [before && `${before.toLowerCase()} ${n}`, after && `${n} ${after.toLowerCase()}`].filter(
    (x): x is string =>
      !!x && !/^(?:was|is|were|of|by|to|at) /.test(x) && !/ (?:was|is|were|of|by|to|at|percent|million|billion|thousand)$/.test(x),
  );
  const hit = hits.find((h) =>
    new RegExp(`\\b${h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(' ', '[\\s(-]+')}\\b`).test(index.lowerText),
  );
  if (!hit) return undefined;
  return { status: 'supported', kind: 'supported', reason: `${f.raw} is part of a name the sources use ("${hit}")`, weak: true };
}

function supportedDirect(claim: NumericClaim, hit: Scored, scored: Scored[], index: SourceIndex, options: MatchOptions): Verdict {
  const f = claim.figure;
  const fig = hit.fig;
  const series = (index.bySeries.get(fig.series) ?? []).map((id) => index.figures[id]!);
  // Stated as current, but the source has a later period for the same line item.
  if (claim.ctx.current && fig.period) {
    const later = series.filter((s) => periodRank(s.period) > periodRank(fig.period));
    if (later.length > 0) {
      const latest = later.sort((a, b) => periodRank(b.period) - periodRank(a.period))[0]!;
      return {
        status: 'contradicted',
        kind: 'stale_figure',
        reason: `${f.raw} is ${fig.label} for ${periodLabel(fig.period)}, stated as current; the latest is ${formatValue(latest.value, latest.unit)} for ${periodLabel(latest.period)}`,
        evidence: evidenceOf(latest),
      };
    }
  }
  // No period named, and the source holds the line item for several periods with different values.
  if (claim.periods.length === 0 && fig.period) {
    const periods = new Set(series.filter((s) => s.period && !close(s.value, fig.value, 1e-9)).map((s) => periodLabel(s.period)));
    if (periods.size > 0) {
      return {
        status: 'unsupported',
        kind: 'missing_period',
        reason: `${f.raw} matches ${fig.label} for ${periodLabel(fig.period)}, but the sentence names no period and the sources also hold ${[...periods].slice(0, 3).join(', ')}`,
        evidence: evidenceOf(fig),
        weak: true,
      };
    }
  }
  void scored;
  void options;
  return {
    status: 'supported',
    kind: 'supported',
    reason: `${f.raw} matches ${fig.label} (${periodLabel(fig.period)}) in ${fig.sourceId}`,
    evidence: evidenceOf(fig),
    weak: hit.score < 0.75 || (claim.periods.length === 0 && fig.period !== undefined && claim.periodCarried === false),
  };
}

function explainMismatch(claim: NumericClaim, scored: Scored[], fitting: Scored[], index: SourceIndex, options: MatchOptions): Verdict {
  const f = claim.figure;
  const tol = f.tolerance;
  const labelled = new Set(scored.map((s) => s.fig.id));
  // Figures anywhere in the sources with this value (any label, any period).
  const lookups = [Math.abs(claim.signed)];
  const sameValueFigs: SourceFigure[] = [];
  for (const v of lookups) {
    for (const id of figuresInRange(index.byValue, v - tol, v + tol)) sameValueFigs.push(index.figures[id]!);
    if (f.scale !== 0)
      for (const id of figuresInRange(index.byMantissa, Math.abs(f.mantissa) - tol / f.scale, Math.abs(f.mantissa) + tol / f.scale))
        sameValueFigs.push(index.figures[id]!);
  }
  const usable = sameValueFigs.filter(
    (g) => unitFitsDirect(f.unit, g, f.scaleStated) || (LEVEL_UNITS.has(f.unit) && LEVEL_UNITS.has(g.unit)),
  );
  // Two line items can hold the same value; the one the sentence names, with the sign it words, is what counts.
  const claimNegative = claim.lossNamed || claim.signed < 0;
  const ownLine = usable.find(
    (g) =>
      claim.metric !== undefined &&
      // Only structured facts: their metric is exact, where a table's lines share a coarse lexicon id.
      g.origin === 'fact' &&
      (g.metric === claim.metric || g.metric === PROFIT_OF_LOSS[claim.metric]) &&
      periodFit(claim.periods, g, index) === 'yes' &&
      g.basis === 'reported' &&
      !g.conflictLoser &&
      absSame(claim, g, tol) &&
      (claimNegative ? g.value <= 0 : g.value >= 0),
  );
  if (ownLine && !claim.isChange) {
    return {
      status: 'supported',
      kind: 'supported',
      reason: `${f.raw} is ${ownLine.label} (${periodLabel(ownLine.period)})`,
      evidence: evidenceOf(ownLine),
    };
  }
  const quarterNamed = claim.periods.some((p) => p.quarter);
  for (const g of usable) {
    if (!labelled.has(g.id)) continue;
    if (quarterNamed && g.period && !g.period.quarter && claim.periods.some((p) => p.year === g.period!.year)) {
      return {
        status: 'contradicted',
        kind: 'quarter_full_year',
        reason: `${f.raw} is the full-year ${g.label} for ${g.period.year}, called a quarter`,
        evidence: evidenceOf(g),
      };
    }
    if (periodFit(claim.periods, g, index) === 'no') {
      return {
        status: 'contradicted',
        kind: 'wrong_period',
        reason: `${f.raw} is ${g.label} for ${periodLabel(g.period)}, not ${claim.periods.map((p) => p.text).join('/')}`,
        evidence: evidenceOf(g),
      };
    }
  }
  // The strongest same-line-item, same-period figures: the value the claim should have stated.
  const strong = fitting.filter(
    (s) =>
      s.score >= 0.66 &&
      (periodFit(claim.periods, s.fig, index) === 'yes' || (claim.periods.length === 0 && !s.fig.period)) &&
      s.fig.basis === 'reported',
  );
  const claimLevel = !claim.isChange && f.unit !== 'pp' && !f.multiple;
  const levelStrong = strong.filter(
    (s) =>
      (f.unit === 'pct' ? s.fig.unit === 'pct' : unitFitsDirect(f.unit, s.fig, f.scaleStated)) ||
      (LEVEL_UNITS.has(f.unit) && LEVEL_UNITS.has(s.fig.unit)),
  );
  if (claimLevel && levelStrong.length > 0) {
    const s = levelStrong[0]!;
    const expected = effective(claim, s.fig)[0]!;
    if (absSame(claim, s.fig, tol)) {
      return {
        status: 'contradicted',
        kind: 'wrong_sign',
        reason: `${f.raw} has the wrong sign: ${s.fig.label} for ${periodLabel(s.fig.period)} is ${formatValue(levelResult(expected, s.fig.lossNamed, false), s.fig.unit)} (a loss called a profit, or a sign dropped)`,
        evidence: evidenceOf(s.fig),
      };
    }
    for (const k of [10, 100, 1e3, 1e6, 1e9, 0.1, 0.01, 1e-3, 1e-6, 1e-9]) {
      if (close(Math.abs(claim.signed), Math.abs(expected) * k, tol)) {
        return {
          status: 'contradicted',
          kind: 'wrong_scale',
          reason: `${f.raw} is ${s.fig.label} (${periodLabel(s.fig.period)}) at the wrong scale: expected ${formatValue(expected, s.fig.unit)}, found ${formatValue(claim.signed, f.unit)}`,
          evidence: evidenceOf(s.fig),
        };
      }
    }
  }
  for (const g of usable) {
    if (claim.basis === 'reported' && g.basis === 'estimate' && periodFit(claim.periods, g, index) !== 'no') {
      return {
        status: 'contradicted',
        kind: 'estimate_as_reported',
        reason: `${f.raw} is an estimate (${g.label}, ${g.sourceId}) stated as a reported figure`,
        evidence: evidenceOf(g),
      };
    }
    if (g.conflictLoser) {
      return {
        status: 'contradicted',
        kind: 'conflict_loser',
        reason: `${f.raw} rests on the losing side of a source conflict (${g.sourceId}); the preferred value is ${formatValue(g.conflictLoser.winnerValue, g.unit)} from ${g.conflictLoser.winnerSourceId}`,
        evidence: evidenceOf(g),
      };
    }
  }
  if (claim.tokens.length > 0) {
    const other = usable.find(
      (g) =>
        !labelled.has(g.id) &&
        periodFit(claim.periods, g, index) !== 'no' &&
        g.basis === 'reported' &&
        (claim.metric !== undefined || scored.length > 0),
    );
    // "Revenue was up 11.5%" states revenue growth: a growth line of the same metric supports it.
    if (
      other &&
      claim.isChange &&
      claim.metric &&
      other.metric === `${claim.metric}_growth` &&
      sameValue(claim, other, claim.signed, tol)
    ) {
      return {
        status: 'supported',
        kind: 'supported',
        reason: `${f.raw} is ${other.label} (${periodLabel(other.period)})`,
        evidence: evidenceOf(other),
      };
    }
    if (other && (levelStrong.length > 0 || claim.metric)) {
      return {
        status: 'contradicted',
        kind: 'wrong_line_item',
        reason: `${f.raw} is ${other.label} (${periodLabel(other.period)}), not ${claim.metric ?? 'the line item the sentence names'}`,
        evidence: evidenceOf(other),
      };
    }
  }
  if (claimLevel && levelStrong.length > 0) {
    const s = levelStrong[0]!;
    const expected = effective(claim, s.fig)[0]!;
    return {
      status: 'contradicted',
      kind: 'wrong_value',
      reason: `expected ${formatValue(levelResult(expected, s.fig.lossNamed, false), s.fig.unit)} for ${s.fig.label} (${periodLabel(s.fig.period)}, ${s.fig.sourceId}), found ${f.raw}`,
      evidence: evidenceOf(s.fig),
    };
  }
  // A change: compare with the change the source figures imply, when the line item has both periods.
  if (!claimLevel) {
    const expected = expectedChange(claim, fitting.length > 0 ? fitting : scored, index);
    if (expected && close(claim.signed, expected.value, tol + Math.abs(expected.value) * 1e-6)) {
      return {
        status: 'supported',
        kind: 'supported',
        reason: `${f.raw} = ${expected.program}, the change the sources imply`,
        evidence: expected.evidence,
        derived: true,
      };
    }
    if (expected) {
      const dirWrong =
        Math.sign(expected.value) !== 0 && Math.sign(claim.signed) !== 0 && Math.sign(expected.value) !== Math.sign(claim.signed);
      return {
        status: 'contradicted',
        kind: dirWrong ? 'wrong_sign' : 'wrong_value',
        reason: `${dirWrong ? 'wrong direction: ' : ''}expected ${formatValue(expected.value, f.unit === 'pp' ? 'pp' : f.unit === 'pct' ? 'pct' : expected.unit)} (${expected.program}), found ${f.raw} (${formatValue(claim.signed, f.unit === 'pp' ? 'pp' : f.unit === 'pct' ? 'pct' : expected.unit)})`,
        evidence: expected.evidence,
        derived: true,
      };
    }
  }
  // A period the sources have not reported yet.
  if (options.asOf && claim.basis === 'reported') {
    const future = claim.periods.find((p) => (approximateEnd(p) ?? '') > options.asOf!);
    if (future) {
      return {
        status: 'contradicted',
        kind: 'future_period',
        reason: `${future.text} is not reported yet as of ${options.asOf}, but ${f.raw} is stated as a reported figure`,
      };
    }
  }
  if (scored.length > 0 && claim.periods.length > 0 && fitting.length === 0) {
    return {
      status: 'unsupported',
      kind: 'unsupported_number',
      reason: `the sources hold ${scored[0]!.fig.label} only for ${[...new Set(scored.map((s) => periodLabel(s.fig.period)))].slice(0, 4).join(', ')}, not ${claim.periods.map((p) => p.text).join('/')}`,
    };
  }
  return {
    status: 'unsupported',
    kind: 'unsupported_number',
    reason: `${f.raw} matches no source figure${claim.metric ? ` for ${claim.metric}` : ''}${claim.periods.length ? ` in ${claim.periods.map((p) => p.text).join('/')}` : ''}`,
  };
}

function expectedChange(
  claim: NumericClaim,
  set: Scored[],
  index: SourceIndex,
): { value: number; unit: string; program: string; evidence: Evidence } | undefined {
  const top = set.find((s) => s.score >= 0.66 && s.fig.period);
  if (!top) return undefined;
  const series = (index.bySeries.get(top.fig.series) ?? [])
    .map((id) => index.figures[id]!)
    .filter((x) => x.period && x.basis === 'reported');
  if (series.length < 2) return undefined;
  const years = [...new Set(claim.periods.map((p) => p.year))].sort((a, b) => b - a);
  const pick = (y: number | undefined) =>
    y === undefined
      ? undefined
      : series.find((x) => x.period!.year === y && (x.period!.quarter ?? 0) === (claim.periods.find((p) => p.year === y)?.quarter ?? 0));
  let later = pick(years[0]);
  let earlier =
    years.length > 1
      ? pick(years[1])
      : later
        ? series.find(
            (x) =>
              periodRank(x.period) < periodRank(later!.period) &&
              (x.period!.quarter ?? 0) === (later!.period!.quarter ?? 0) &&
              x.period!.year === later!.period!.year - 1,
          )
        : undefined;
  if (years.length === 0) {
    const sorted = [...series].sort((a, b) => periodRank(b.period) - periodRank(a.period));
    later = sorted[0];
    earlier = sorted.find((x) => x.period!.year === later!.period!.year - 1 && (x.period!.quarter ?? 0) === (later!.period!.quarter ?? 0));
  }
  if (!later || !earlier) return undefined;
  const a = effective(claim, later)[0]!;
  const b = effective(claim, earlier)[0]!;
  const f = claim.figure;
  const ev: Evidence = { sourceId: later.sourceId, quote: `${later.snippet} ; ${earlier.snippet}` };
  if (f.unit === 'pct' && later.unit !== 'pct' && b !== 0)
    return {
      value: ((a - b) / Math.abs(b)) * 100,
      unit: 'pct',
      program: `(${fmtOperand(a)} - ${fmtOperand(b)}) / ${fmtOperand(Math.abs(b))} × 100`,
      evidence: { ...ev, value: ((a - b) / Math.abs(b)) * 100 },
    };
  if (f.unit === 'pp' && later.unit === 'pct')
    return { value: a - b, unit: 'pp', program: `${fmtOperand(a)}% - ${fmtOperand(b)}%`, evidence: { ...ev, value: a - b } };
  if (f.unit !== 'pct' && f.unit !== 'pp' && later.unit !== 'pct')
    return { value: a - b, unit: later.unit, program: `${fmtOperand(a)} - ${fmtOperand(b)}`, evidence: { ...ev, value: a - b } };
  return undefined;
}
