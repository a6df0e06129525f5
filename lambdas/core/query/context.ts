/**
 * The answer context: what a model may answer from, with every source numbered once. It is built
 * from the retrieval (briefs, fact snapshots, best chunks) and the question's topics, rendered into
 * the prompt (answer-prompt.ts), and used again afterwards to map `[n]` back to documents, to quote
 * them, and to write a facts-only answer when the model's does not survive the guardrails.
 *
 * Pure and deterministic: the same retrieval and question give the same context, so a cached answer
 * and a fresh one agree.
 */
import type { Fact, FactSnapshot, SourceKind, SummaryBody } from '../model';
import { formatFact, formatPeriod, METRIC_LABELS } from '../facts/format';
import { periodKey } from '../facts/normalise';
import { metricsFor, periodPreferenceOf, periodsNamedIn, topicsOf } from './intent';
import type { PeriodPreference, Topic } from './intent';
import type { Retrieval } from './retrieve';

export interface ContextSource {
  n: number;
  docId: string;
  ticker: string;
  kind: SourceKind;
  title: string;
  date: string;
}

export interface ContextFact {
  id: string;
  ticker: string;
  metric: string;
  /** How the metric is named in prose ("diluted EPS"). */
  label: string;
  /** "fiscal 2026", "the third quarter of fiscal 2026", "as of November 24, 2026". */
  periodLabel: string;
  fiscalYear: number;
  fiscalPeriod: string;
  /** The figure exactly as it must be written (format.ts), sign left to the words. */
  display: string;
  negative: boolean;
  sources: number[];
}

export interface ContextExcerpt {
  source: number;
  ticker: string;
  kind: SourceKind;
  section: string;
  text: string;
  score: number;
}

export interface ContextCompany {
  ticker: string;
  name: string;
  sector: string;
  asOf: string;
  briefStatus: string;
  briefConfidence: number;
  /** The medium brief's sentences, with their citations as source numbers. */
  brief: Array<{ text: string; sources: number[] }>;
  /** What the brief could not see (missing or stale sources), in words. */
  gaps: string[];
}

export interface HistoryTurn {
  question: string;
  answer: string;
}

export interface AnswerContext {
  question: string;
  topics: Topic[];
  period: PeriodPreference;
  companies: ContextCompany[];
  sources: ContextSource[];
  facts: ContextFact[];
  excerpts: ContextExcerpt[];
  history: HistoryTurn[];
}

export interface ContextOptions {
  factsPerTicker: number;
  excerptChars: number;
}

const EXTRA_LABELS: Record<string, string> = {
  gross_margin: 'gross margin',
  operating_margin: 'operating margin',
  net_margin: 'net margin',
  revenue_growth: 'revenue growth',
  pe_ratio: 'price-to-earnings ratio',
};

export function metricLabel(metric: string): string {
  return METRIC_LABELS[metric] ?? EXTRA_LABELS[metric] ?? metric.replace(/_/g, ' ');
}

class SourceNumbers {
  readonly list: ContextSource[] = [];
  private readonly byDoc = new Map<string, number>();

  constructor(private readonly documents: Map<string, { ticker: string; kind: SourceKind; title: string; date: string }>) {}

  number(docId: string): number | undefined {
    const known = this.byDoc.get(docId);
    if (known !== undefined) return known;
    const doc = this.documents.get(docId);
    if (!doc) return undefined;
    const n = this.list.length + 1;
    this.byDoc.set(docId, n);
    this.list.push({ n, docId, ...doc });
    return n;
  }
}

function periodRank(fact: Fact): number {
  const quarter = fact.period.fiscalPeriod.startsWith('Q') ? Number(fact.period.fiscalPeriod.slice(1)) : 5;
  return fact.period.fiscalYear * 10 + quarter;
}

/** The facts of one snapshot that answer the topics, for the period the question means. */
function selectFacts(snapshot: FactSnapshot, topics: Topic[], period: PeriodPreference, question: string, limit: number): Fact[] {
  const named = periodsNamedIn(question);
  const wanted = metricsFor(topics);
  const chosen: Fact[] = [];
  for (const metric of wanted) {
    let facts = snapshot.facts.filter((f) => f.metric === metric);
    if (named.fiscalYears.length > 0) {
      const inYears = facts.filter((f) => f.period.fiscalPeriod === 'spot' || named.fiscalYears.includes(f.period.fiscalYear));
      if (inYears.length > 0) facts = inYears;
    }
    if (named.quarters.length > 0) {
      const inQuarters = facts.filter(
        (f) => f.period.fiscalPeriod === 'spot' || named.quarters.includes(Number(f.period.fiscalPeriod.slice(1))),
      );
      if (inQuarters.length > 0) facts = inQuarters;
    }
    const spot = facts.filter((f) => f.period.fiscalPeriod === 'spot');
    const quarters = facts.filter((f) => f.period.fiscalPeriod.startsWith('Q')).sort((a, b) => periodRank(b) - periodRank(a));
    const years = facts.filter((f) => f.period.fiscalPeriod === 'FY').sort((a, b) => periodRank(b) - periodRank(a));
    if (metric === 'price_target') {
      chosen.push(...spot.slice(0, 3));
      continue;
    }
    if (metric === 'consensus_eps' || metric === 'consensus_revenue') {
      // Estimates are for future fiscal years: the nearest two.
      chosen.push(...[...years].sort((a, b) => periodRank(a) - periodRank(b)).slice(0, 2));
      continue;
    }
    chosen.push(...spot.slice(0, 1));
    if (period === 'quarter') chosen.push(...quarters.slice(0, 2), ...(quarters.length === 0 ? years.slice(0, 1) : []));
    else if (period === 'annual') chosen.push(...years.slice(0, 2), ...(years.length === 0 ? quarters.slice(0, 1) : []));
    // "in fiscal 2026" names the year: its full-year figure first, once reported.
    else if (named.fiscalYears.length > 0 && named.quarters.length === 0) chosen.push(...years.slice(0, 1), ...quarters.slice(0, 1));
    else chosen.push(...quarters.slice(0, 1), ...years.slice(0, 1));
  }
  return [...new Map(chosen.map((f) => [f.id, f])).values()].slice(0, limit);
}

function briefOf(body: SummaryBody, numbers: SourceNumbers): ContextCompany['brief'] {
  return body.sections
    .flatMap((section) => section.sentences)
    .map((sentence) => ({
      text: sentence.text,
      sources: sentence.citations.map((docId) => numbers.number(docId)).filter((n): n is number => n !== undefined),
    }));
}

function gapsOf(snapshot: FactSnapshot): string[] {
  return [
    ...snapshot.missingSources.map((m) => `no ${m.source} data was available for the latest brief`),
    ...snapshot.staleSources.map((s) => `the newest ${s.source} item is older than its freshness limit`),
  ];
}

/** Build the context for one question over a retrieval. */
export function buildContext(question: string, retrieval: Retrieval, history: HistoryTurn[], options: ContextOptions): AnswerContext {
  const topics = topicsOf(question);
  const period = periodPreferenceOf(question);
  const documents = new Map<string, { ticker: string; kind: SourceKind; title: string; date: string }>();
  for (const stock of retrieval.stocks) {
    for (const doc of stock.summary.documents)
      documents.set(doc.docId, { ticker: stock.ticker, kind: doc.kind, title: doc.title, date: doc.date });
  }
  const numbers = new SourceNumbers(documents);
  const facts: ContextFact[] = [];
  const excerpts: ContextExcerpt[] = [];
  const companies: ContextCompany[] = [];
  for (const stock of retrieval.stocks) {
    const snapshot = stock.summary.snapshot;
    const byId = new Map(snapshot.facts.map((f) => [f.id, f]));
    for (const fact of selectFacts(snapshot, topics, period, question, options.factsPerTicker)) {
      const docIds = [...new Set([fact.docId, ...(fact.derivedFrom ?? []).map((id) => byId.get(id)?.docId ?? fact.docId)])];
      facts.push({
        id: fact.id,
        ticker: stock.ticker,
        metric: fact.metric,
        label: metricLabel(fact.metric),
        periodLabel: formatPeriod(fact.period),
        fiscalYear: fact.period.fiscalYear,
        fiscalPeriod: periodKey(fact.period) === 'spot' ? 'spot' : fact.period.fiscalPeriod,
        display: formatFact(fact),
        negative: fact.value < 0,
        sources: docIds.map((docId) => numbers.number(docId)).filter((n): n is number => n !== undefined),
      });
    }
    for (const { chunk, score } of stock.chunks) {
      const source = numbers.number(chunk.docId);
      if (source === undefined) continue;
      const text =
        chunk.text.length > options.excerptChars ? `${chunk.text.slice(0, options.excerptChars).replace(/\s+\S*$/, '')} …` : chunk.text;
      excerpts.push({
        source,
        ticker: stock.ticker,
        kind: documents.get(chunk.docId)!.kind,
        section: chunk.section,
        text,
        score: Math.round(score * 1000) / 1000,
      });
    }
    companies.push({
      ticker: stock.ticker,
      name: snapshot.companyName,
      sector: snapshot.sector,
      asOf: stock.summary.asOf,
      briefStatus: stock.summary.status,
      briefConfidence: stock.summary.confidence,
      brief: briefOf(stock.summary.summary.medium, numbers),
      gaps: gapsOf(snapshot),
    });
  }
  return { question, topics, period, companies, sources: numbers.list, facts, excerpts, history };
}
