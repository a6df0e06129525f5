/**
 * Sentence → claims. Every figure in a sentence becomes a numeric claim bound to a metric (the
 * nearest line item in its clause), the periods its clause names (or the sentence before named),
 * a direction or sign, a basis (reported or estimate) and the words that name its line item. A
 * sentence with no figure is one text claim, checked by entailment. Bare years are periods, never
 * figures.
 */
import {
  BOOSTER_RE,
  CONSENSUS_RE,
  CURRENT_RE,
  DIRECTION_RE,
  ESTIMATE_RE,
  HEDGE_RE,
  LOSS_RE,
  METRIC_BY_ID,
  NEGATION_RE,
  NON_LABEL_RE,
  STOP_WORDS,
  contentTokens,
  directionOf,
  findMetrics,
  stem,
} from './lexicon';
import type { Direction } from './lexicon';
import { isBareYear, readFigures } from './numbers';
import type { Figure } from './numbers';
import { findPeriods, identifierSpans } from './periods';
import type { PeriodRef } from './periods';
import { splitSentences } from './source-reader';

export type Basis = 'reported' | 'estimate' | 'consensus';

export interface ClaimContext {
  sentence: string;
  sentenceSpan: [number, number];
  sentenceIndex: number;
  /** Citation ids the sentence carries (`[doc-1]` markers, or the draft's citations). */
  citations: string[];
  hedged: boolean;
  boosted: boolean;
  negated: boolean;
  /** "currently", "latest", "now": the figure is stated as the most recent one. */
  current: boolean;
  /** Every period the sentence names, offsets within the sentence. */
  periods: PeriodRef[];
}

export interface NumericClaim {
  kind: 'numeric';
  ctx: ClaimContext;
  figure: Figure;
  /** Span of the figure in the whole text. */
  span: [number, number];
  /** The clause the figure sits in, and its span in the whole text. */
  clause: string;
  clauseSpan: [number, number];
  metric?: string;
  /** Content words naming the line item, plus `#metric`; with the position of each first mention. */
  tokens: string[];
  tokenPos: Map<string, number>;
  periods: PeriodRef[];
  periodCarried: boolean;
  direction?: Direction;
  /** The value compared with sources: the figure's value with the direction's sign applied. */
  signed: number;
  /** The figure states a change (by, growth, difference), not a level. */
  isChange: boolean;
  isAverage: boolean;
  isSum: boolean;
  basis: Basis;
  lossNamed: boolean;
}

export interface TextClaim {
  kind: 'text';
  ctx: ClaimContext;
  span: [number, number];
  tokens: string[];
  metric?: string;
  direction?: Direction;
  periods: PeriodRef[];
}

export type Claim = NumericClaim | TextClaim;

const ESTIMATE_TWIN: Record<string, string> = { revenue: 'consensus_revenue', eps_diluted: 'consensus_eps', eps_basic: 'consensus_eps' };
const LOSS_TWIN: Record<string, string> = {
  net_loss: 'net_income',
  operating_loss: 'operating_income',
  net_income: 'net_loss',
  operating_income: 'operating_loss',
};
const PERIOD_COUNT_RE = /\b\d{1,2}(?:[- ]|\s+(?:fiscal\s+)?)(?:years?|months?|weeks?|days?|quarters?)\b(?!\s+(?:ago|earlier))/gi;
const PROFIT_NAME_RE = /\b(income|profit|earnings|gains?)\b/i;
const CLAUSE_SPLIT_RE = /;|,\s+(?=(?:while|whereas|but|and|although|with)\b)|\s+(?=(?:while|whereas)\b)/g;
/** "According to the 10-K, …", "The annual report flags this risk: …": who says it, not what is said. */
const ATTRIBUTION_RE =
  /^\s*(?:according to [^,]{1,60},\s*|from (?:the |its |our )?(?:filings?|news|research notes?|vendor data|annual report|10-k|10-q)(?: (?:on|of|for) [^:]{1,60})?:\s*|(?:the|its|our)\s+(?:annual report|10-k|10-q|filing|company|management|research note|note|analysts?|report)\s+(?:flags|says|notes|states|lists|warns|cites|highlights|mentions|reports|describes)(?:\s+(?:this|a|that|the following))?(?:\s+(?:risks?|points?))?\s*(?::|that\b)\s*)/i;

const CITATION_RE = /\[([\w.:#|-]+)\]/g;
const LEVEL_BEFORE_RE = /\b(?:to|at|from|of|was|were|is|reached|totaled|totalled|totaling|came in at)\s*$/i;
const CHANGE_WORD_RE =
  /\b(change|changes|growth|grew|difference|differ|increase|increased|decrease|decreased|rose|fell|declined|gained|dropped|up|down|higher|lower|by)\b/i;
const AFTER_DIRECTION_RE =
  /^\s*(?:(?:year[- ]over[- ]year|yoy|y\/y|sequentially)\s+)?(increase|decrease|decline|rise|growth|gain|drop|higher|lower|jump|fall)\b/i;

function clausesOf(sentence: string): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  let start = 0;
  for (const m of sentence.matchAll(CLAUSE_SPLIT_RE)) {
    // "property, plant, and equipment": the last comma of a list of words is no clause break.
    if (m[0].startsWith(',') && /,\s*[A-Za-z][\w'’&-]*(?:\s+[A-Za-z][\w'’&-]*)?$/.test(sentence.slice(start, m.index!))) continue;
    // "from $1.0 billion, and …" splits; "$1,234" never does (no space after a thousands comma).
    out.push({ start, end: m.index! });
    start = m.index! + m[0].length;
  }
  out.push({ start, end: sentence.length });
  return out;
}

function tokenPositions(text: string, offset: number): { tokens: string[]; pos: Map<string, number> } {
  const tokens: string[] = [];
  const pos = new Map<string, number>();
  const re = /[A-Za-z][A-Za-z0-9&'-]*/g;
  for (const m of text.matchAll(re)) {
    const w = m[0].toLowerCase().replace(/^-+|-+$/g, '');
    if (w.length < 2 || STOP_WORDS.has(w)) continue;
    const t = stem(w);
    tokens.push(t);
    if (!pos.has(t)) pos.set(t, offset + m.index!);
  }
  return { tokens, pos };
}

export interface ExtractOptions {
  /** Citations of the sentence starting at an offset of the text, when the caller knows them (summary drafts). */
  citationsAt?: (offset: number) => string[] | undefined;
}

/** Split a text into claims. Offsets are into `text`. */
export function extractClaims(text: string, options: ExtractOptions = {}): Claim[] {
  const claims: Claim[] = [];
  let carried: PeriodRef[] = [];
  splitSentences(text).forEach((s, sentenceIndex) => {
    const sentence = s.text;
    const citations = options.citationsAt?.(s.start) ?? [...sentence.matchAll(CITATION_RE)].map((m) => m[1]!);
    const periods = findPeriods(sentence);
    const masked: Array<[number, number]> = [...periods.map((p): [number, number] => [p.start, p.end]), ...identifierSpans(sentence)];
    // "the 3 years", "a 12-month period": a count of periods, not a figure.
    for (const m of sentence.matchAll(PERIOD_COUNT_RE)) masked.push([m.index!, m.index! + m[0].length]);
    const figures = readFigures(sentence, masked).filter((f) => !isBareYear(f));
    HEDGE_RE.lastIndex = 0;
    BOOSTER_RE.lastIndex = 0;
    const ctx: ClaimContext = {
      sentence,
      sentenceSpan: [s.start, s.end],
      sentenceIndex,
      citations,
      hedged: HEDGE_RE.test(sentence),
      boosted: BOOSTER_RE.test(sentence),
      negated: NEGATION_RE.test(sentence),
      current: CURRENT_RE.test(sentence),
      periods,
    };
    const datedPeriods = periods.filter((p) => Number.isFinite(p.year));
    // A quarter named without its year ("the third quarter") takes the year named elsewhere.
    const yearHint = datedPeriods[0]?.year ?? carried[0]?.year;
    const resolved = periods
      .map((p) => (Number.isFinite(p.year) ? p : yearHint !== undefined ? { ...p, year: yearHint } : p))
      // With no year anywhere, "the third quarter" still names a quarter: it fits that quarter of any year.
      .filter((p) => Number.isFinite(p.year) || p.quarter !== undefined || p.half !== undefined);
    // "Q4 2019 and 2018": a bare year right after a quarter names the same quarter of that year.
    for (let k = 1; k < resolved.length; k++) {
      const prev = resolved[k - 1]!;
      const cur = resolved[k]!;
      if (
        prev.quarter &&
        !cur.quarter &&
        cur.kind === 'year' &&
        !cur.fiscal &&
        /^\s*(?:and|to|vs\.?|versus|from|compared (?:to|with)|,)\s*$/i.test(sentence.slice(prev.end, cur.start))
      ) {
        resolved[k] = { ...cur, quarter: prev.quarter, kind: 'quarter' };
      }
    }
    if (figures.length === 0) {
      DIRECTION_RE.lastIndex = 0;
      const dir = DIRECTION_RE.exec(sentence) ?? undefined;
      DIRECTION_RE.lastIndex = 0;
      claims.push({
        kind: 'text',
        ctx,
        span: [s.start, s.end],
        tokens: contentTokens((sentence.indexOf('[') >= 0 ? sentence.replace(CITATION_RE, ' ') : sentence).replace(ATTRIBUTION_RE, '')),
        // The line item only matters to a stated direction ("revenue fell"): look it up only then.
        metric: dir ? findMetrics(sentence)[0]?.id : undefined,
        direction: dir ? directionOf(dir[1]!) : undefined,
        periods: resolved.length > 0 ? resolved : carried,
      });
      if (resolved.length > 0) carried = resolved;
      return;
    }
    const metrics = findMetrics(sentence);
    const clauses = clausesOf(sentence);
    for (const f of figures) {
      const clause = clauses.find((c) => f.start >= c.start && f.start < c.end) ?? { start: 0, end: sentence.length };
      const clauseText = sentence.slice(clause.start, clause.end);
      const inClause = <T extends { start: number }>(xs: T[]) => xs.filter((x) => x.start >= clause.start && x.start < clause.end);
      const clauseMetrics = inClause(metrics);
      const before = clauseMetrics.filter((m) => m.end <= f.start);
      const metricMention =
        before.at(-1) ?? clauseMetrics.find((m) => m.start >= f.end) ?? metrics.filter((m) => m.end <= f.start).at(-1) ?? metrics[0];
      let metric = metricMention?.id;
      // "a share" after a dollar figure is per-share, whatever line item the clause named.
      if (f.unit === 'usd' && /^\s*(?:a|per)\s+(?:diluted\s+)?share\b/i.test(sentence.slice(f.end)))
        metric = /dividend/i.test(clauseText) ? 'dividends_per_share' : 'eps_diluted';
      // "18.4x trailing earnings": a multiple of a line item is a valuation ratio, not that line item.
      if (f.unit === 'x' && /^\s*(?:\w+\s+){0,3}?(?:earnings|eps)\b/i.test(sentence.slice(f.end))) metric = 'pe_ratio';
      // Figures' own periods: with several figures and several periods, each figure takes its nearest one.
      const clausePeriods = inClause(resolved);
      const clauseFigures = inClause(figures);
      let own: PeriodRef[] = clausePeriods.length > 0 ? clausePeriods : resolved;
      const statesChange =
        /\b(?:up|down|rose|fell|grew|increased|decreased|declined|gained|dropped|higher|lower|growth|change)\s*(?:by\s*|of\s*)?$/i.test(
          sentence.slice(Math.max(0, f.start - 20), f.start),
        ) || AFTER_DIRECTION_RE.test(sentence.slice(f.end));
      if (
        !statesChange &&
        clauseFigures.length >= 2 &&
        clausePeriods.length >= 2 &&
        !/\b(?:change|growth|difference|from\b.*\bto\b)/i.test(clauseText.slice(0, Math.max(0, f.start - clause.start)))
      ) {
        const dist = (p: PeriodRef) => (p.start >= f.end ? p.start - f.end : f.start - p.end + 15);
        own = [clausePeriods.slice().sort((a, b) => dist(a) - dist(b))[0]!];
      }
      const periodCarried = own.length === 0 && carried.length > 0;
      if (own.length === 0) own = carried;
      // Direction: the nearest direction word before the figure in its clause, unless the figure is a level ("rose to $5M").
      const pre = sentence.slice(clause.start, f.start);
      const dirWords = [...pre.matchAll(DIRECTION_RE)];
      const lastDir = dirWords.at(-1);
      let direction: Direction | undefined;
      let isChange = false;
      if (lastDir) {
        const between = pre.slice(lastDir.index! + lastDir[0].length);
        const otherFigureBetween = clauseFigures.some((g) => g !== f && g.start > clause.start + lastDir.index! && g.start < f.start);
        if (!LEVEL_BEFORE_RE.test(between) && !otherFigureBetween && between.length < 40) {
          direction = directionOf(lastDir[1]!);
          isChange = true;
        }
      }
      // "The decrease in NAV was 26.1": a change named as the subject states its direction too.
      const subject =
        /\b(?:the|a|an|percentage|percent|%)\s+(decrease|decline|drop|fall|reduction|increase|growth|rise|gain)\b(?![^.]*\/)/i.exec(pre);
      if (!direction && subject && !clauseFigures.some((g) => g !== f && g.start < f.start && g.start > clause.start + subject.index!)) {
        direction = directionOf(subject[1]!.replace(/^reduction$/, 'reduced').replace(/^(decrease|decline|drop|fall)$/, 'fell'));
        isChange = true;
      }
      const after = AFTER_DIRECTION_RE.exec(sentence.slice(f.end));
      if (!direction && after) {
        direction = directionOf(after[1]!);
        isChange = true;
      }
      if (f.multiple) {
        direction = f.value >= 0 ? 'up' : 'down';
        isChange = true;
      }
      if (
        !isChange &&
        CHANGE_WORD_RE.test(pre) &&
        /\b(change|growth|difference|increase|decrease)\b/i.test(pre) &&
        !LEVEL_BEFORE_RE.test(pre.replace(/\s*(?:was|were|is)\s*$/i, ' of'))
      ) {
        isChange = true;
      }
      if (!isChange && /\b(change|difference)\b/i.test(pre)) isChange = true;
      let signed = f.value;
      if (direction && !f.multiple) signed = direction === 'down' ? -Math.abs(f.value) : f.signMarked ? f.value : Math.abs(f.value);
      // "negative $12 million", "minus 0.4%": the sign in words.
      if (/\b(?:minus|negative(?:\s+at)?|an?\s+outflow\s+of|outflows?\s+of)\s*$/i.test(sentence.slice(Math.max(0, f.start - 16), f.start)))
        signed = -Math.abs(f.value);
      const estimateWordsNear = ESTIMATE_RE.test(clauseText) || ESTIMATE_RE.test(sentence.slice(0, clause.start));
      // A figure that names its own line item after the previous figure ("EPS of $2.43 on revenue of
      // $1.71bn") is named by that stretch alone: the words before the previous figure are its line's.
      const previousFigure = clauseFigures.filter((g) => g !== f && g.end <= f.start).at(-1);
      const ownStart =
        previousFigure && metricMention && metricMention.start >= previousFigure.end && metricMention.start < f.start
          ? previousFigure.end
          : clause.start;
      const labelText = sentence.slice(ownStart, clause.end);
      const { tokens, pos } = tokenPositions(labelText.replace(CITATION_RE, ' '), s.start + ownStart);
      const allTokens = tokens.filter((t) => !NON_LABEL_RE.test(t));
      if (metric) {
        allTokens.push(`#${metric}`);
        if (metricMention) pos.set(`#${metric}`, s.start + metricMention.start);
      }
      // A loss names the same line as its profit with the sign turned: "net loss" is net income below zero.
      const twin = metric ? LOSS_TWIN[metric] : undefined;
      if (twin && !allTokens.includes(`#${twin}`)) allTokens.push(`#${twin}`);
      // An expected figure ("Consensus expects EPS of $1.75 on revenue of $1.30 billion") is the estimate line.
      const estimateTwin = metric && estimateWordsNear ? ESTIMATE_TWIN[metric] : undefined;
      if (estimateTwin && !allTokens.includes(`#${estimateTwin}`)) allTokens.push(`#${estimateTwin}`);
      // However the sentence words the expectation ("analysts on average expect"), the sources call it consensus.
      if (estimateTwin && !allTokens.includes('consensus')) allTokens.push('consensus');
      // Every line item the clause names, so "the ratio of total assets to total liabilities" can find both.
      for (const m of clauseMetrics) {
        if (m.start < ownStart) continue;
        if (!allTokens.includes(`#${m.id}`)) allTokens.push(`#${m.id}`);
        if (!pos.has(`#${m.id}`)) pos.set(`#${m.id}`, s.start + m.start);
      }
      // A loss word names this figure only when no other figure stands between them: in "a loss per
      // share of $2.43 on revenue of $1.71bn" the revenue is not a loss.
      const lossWindow = clauseText.slice(previousFigure ? previousFigure.end - clause.start : 0, f.start - clause.start + 12);
      const estimateWords = ESTIMATE_RE.test(clauseText) || ESTIMATE_RE.test(sentence.slice(0, clause.start));
      const family = metric ? METRIC_BY_ID.get(metric)?.family : undefined;
      const basis: Basis =
        CONSENSUS_RE.test(sentence) && (estimateWords || family === 'estimate')
          ? 'consensus'
          : estimateWords || family === 'estimate'
            ? 'estimate'
            : 'reported';
      claims.push({
        kind: 'numeric',
        ctx,
        figure: f,
        span: [s.start + f.start, s.start + f.end],
        clause: clauseText,
        clauseSpan: [
          s.start + clause.start + (clauseText.length - clauseText.trimStart().length),
          s.start + clause.start + clauseText.trimEnd().length,
        ],
        metric,
        tokens: allTokens,
        tokenPos: pos,
        periods: own,
        periodCarried,
        direction,
        signed,
        isChange,
        // "Weighted-average shares" names a line item, not an average the claim computes.
        isAverage: /(?<!weighted[- ])\baverage\b|\bmean\b/i.test(clauseText),
        isSum: /\b(?:sum|combined|together|in total|total of)\b/i.test(clauseText),
        basis,
        lossNamed:
          f.unit !== 'pct' &&
          f.unit !== 'pp' &&
          LOSS_RE.test(lossWindow) &&
          !PROFIT_NAME_RE.test(clauseText.slice(0, f.start - clause.start)) &&
          !/\bnarrow|\bwiden/i.test(clauseText),
      });
    }
    if (resolved.length > 0) carried = resolved;
  });
  return claims;
}
