/**
 * Normalise gathered sources into the fact snapshot: the single source of truth for numbers
 * (docs/DESIGN.md §5.2). Conflicting values are kept and ranked (filings > vendor data > notes > news),
 * never averaged; derived values (margins, growth, P/E) name the facts they come from.
 */
import { createHash } from 'node:crypto';
import type {
  DocumentRef,
  Fact,
  FactConflict,
  FactSnapshot,
  FactUnit,
  FiscalPeriod,
  IsoDate,
  MetricName,
  SourceBundle,
  SourceKind,
} from '../model';
import { SOURCE_RANK } from '../model';

/** A metric value extracted from XBRL company facts (structurally what the EDGAR parser returns). */
export interface FiledMetric {
  metric: MetricName;
  unit: FactUnit;
  value: number;
  period: FiscalPeriod;
  form: string;
  filed: IsoDate;
  accn: string;
  restatements: Array<{ value: number; form: string; filed: IsoDate; accn: string }>;
}

/** Bump when the snapshot's meaning changes, so stored summaries are rewritten. */
export const NORMALISER_VERSION = 'facts-v1';

/** Relative difference under which two sources are taken to agree (rounding in vendor feeds). */
const AGREEMENT_TOLERANCE = 0.005;

const STALE_AFTER_DAYS: Record<SourceKind, number> = { filings: 200, fundamentals: 10, research: 180, news: 120 };

const SCALE_OF: Record<'units' | 'thousands' | 'millions', number> = { units: 1, thousands: 1e3, millions: 1e6 };

/** Keep the periods a brief talks about: the last three fiscal years and the last five quarters. */
const KEEP_YEARS = 3;
const KEEP_QUARTERS = 5;

export function periodKey(period: FiscalPeriod): string {
  return period.fiscalPeriod === 'spot' ? 'spot' : `${period.fiscalYear}-${period.fiscalPeriod}`;
}

function factId(metric: MetricName, period: FiscalPeriod, docId: string): string {
  return `${metric}|${periodKey(period)}|${docId}`;
}

function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

function filedFacts(metrics: FiledMetric[]): { facts: Fact[]; conflicts: FactConflict[] } {
  const years = [...new Set(metrics.filter((m) => m.period.fiscalPeriod === 'FY').map((m) => m.period.fiscalYear))]
    .sort((a, b) => b - a)
    .slice(0, KEEP_YEARS);
  const quarterEnds = [...new Set(metrics.filter((m) => /^Q/.test(m.period.fiscalPeriod)).map((m) => m.period.end))]
    .sort()
    .reverse()
    .slice(0, KEEP_QUARTERS);
  const latestSpot = new Map<MetricName, FiledMetric>();
  for (const m of metrics) {
    if (m.period.fiscalPeriod !== 'spot') continue;
    const current = latestSpot.get(m.metric);
    if (!current || m.period.end > current.period.end) latestSpot.set(m.metric, m);
  }
  const kept = metrics.filter((m) =>
    m.period.fiscalPeriod === 'FY'
      ? years.includes(m.period.fiscalYear)
      : m.period.fiscalPeriod === 'spot'
        ? latestSpot.get(m.metric) === m
        : quarterEnds.includes(m.period.end),
  );
  const facts: Fact[] = [];
  const conflicts: FactConflict[] = [];
  for (const m of kept) {
    const fact: Fact = {
      id: factId(m.metric, m.period, m.accn),
      metric: m.metric,
      value: m.value,
      unit: m.unit,
      reportedScale: 1,
      period: m.period,
      source: 'filings',
      docId: m.accn,
      filed: m.filed,
      form: m.form,
    };
    facts.push(fact);
    if (m.restatements.length > 0) {
      conflicts.push({
        metric: m.metric,
        periodKey: periodKey(m.period),
        kind: 'restatement',
        candidates: [
          { factId: fact.id, value: m.value, source: 'filings', docId: m.accn, filed: m.filed },
          ...[...m.restatements].reverse().map((r) => ({
            factId: factId(m.metric, m.period, r.accn),
            value: r.value,
            source: 'filings' as const,
            docId: r.accn,
            filed: r.filed,
          })),
        ],
      });
    }
  }
  return { facts, conflicts };
}

function vendorFacts(bundle: SourceBundle): Fact[] {
  const f = bundle.fundamentals;
  if (!f) return [];
  const scale = SCALE_OF[f.scale];
  const spot: FiscalPeriod = { fiscalYear: Number(f.asOf.slice(0, 4)), fiscalPeriod: 'spot', end: f.asOf };
  const lastYear: FiscalPeriod = { fiscalYear: f.lastFiscalYear.fiscalYear, fiscalPeriod: 'FY', end: f.lastFiscalYear.periodEnd };
  const make = (metric: MetricName, value: number, unit: FactUnit, period: FiscalPeriod, reportedScale = 1): Fact => ({
    id: factId(metric, period, f.docId),
    metric,
    value: value * reportedScale,
    unit,
    reportedScale,
    period,
    source: 'fundamentals',
    docId: f.docId,
    filed: f.asOf,
  });
  const facts = [
    make('price', f.price, 'USD/share', spot),
    make('market_cap', f.marketCap, 'USD', spot, scale),
    make('revenue', f.lastFiscalYear.revenue, 'USD', lastYear, scale),
    make('net_income', f.lastFiscalYear.netIncome, 'USD', lastYear, scale),
    make('eps_diluted', f.lastFiscalYear.epsDiluted, 'USD/share', lastYear),
  ];
  for (const c of f.consensus) {
    const period: FiscalPeriod = { fiscalYear: c.fiscalYear, fiscalPeriod: 'FY', end: `${c.fiscalYear}-12-31` };
    facts.push(make('consensus_eps', c.epsMean, 'USD/share', period), make('consensus_revenue', c.revenueMean, 'USD', period, scale));
  }
  return facts;
}

function researchFacts(bundle: SourceBundle): Fact[] {
  return bundle.notes.map((note) => {
    const period: FiscalPeriod = { fiscalYear: Number(note.published.slice(0, 4)), fiscalPeriod: 'spot', end: note.published };
    return {
      id: factId('price_target', period, note.docId),
      metric: 'price_target',
      value: note.priceTarget,
      unit: 'USD/share',
      reportedScale: 1,
      period,
      source: 'research',
      docId: note.docId,
      filed: note.published,
    };
  });
}

/**
 * One preferred fact per (metric, period): best source rank, then latest filed. Values that
 * disagree beyond rounding are kept as a cross-source conflict.
 */
function rankAndResolve(all: Fact[]): { facts: Fact[]; conflicts: FactConflict[] } {
  const groups = new Map<string, Fact[]>();
  for (const fact of all) {
    // Point-in-time research values (price targets) are per note, not competing readings of one value.
    const key = fact.metric === 'price_target' ? fact.id : `${fact.metric}|${periodKey(fact.period)}`;
    groups.set(key, [...(groups.get(key) ?? []), fact]);
  }
  const facts: Fact[] = [];
  const conflicts: FactConflict[] = [];
  for (const group of groups.values()) {
    group.sort((a, b) => SOURCE_RANK[a.source] - SOURCE_RANK[b.source] || b.filed.localeCompare(a.filed));
    const [best, ...rest] = group as [Fact, ...Fact[]];
    facts.push(best);
    const disagreeing = rest.filter((f) => Math.abs(f.value - best.value) > AGREEMENT_TOLERANCE * Math.max(Math.abs(best.value), 1e-9));
    if (disagreeing.length > 0) {
      conflicts.push({
        metric: best.metric,
        periodKey: periodKey(best.period),
        kind: 'cross_source',
        candidates: [best, ...disagreeing].map((f) => ({ factId: f.id, value: f.value, source: f.source, docId: f.docId, filed: f.filed })),
      });
    }
  }
  return { facts, conflicts };
}

function ratio(numerator: Fact | undefined, denominator: Fact | undefined): number | undefined {
  if (!numerator || !denominator || denominator.value === 0) return undefined;
  return numerator.value / denominator.value;
}

/** Margins, year-on-year growth and trailing P/E, each naming the facts it was computed from. */
function derivedFacts(facts: Fact[]): Fact[] {
  const find = (metric: MetricName, key: string) => facts.find((f) => f.metric === metric && periodKey(f.period) === key);
  const out: Fact[] = [];
  const derive = (metric: MetricName, value: number | undefined, unit: FactUnit, from: Fact[], period: FiscalPeriod) => {
    if (value === undefined || !Number.isFinite(value)) return;
    const primary = from[0]!;
    out.push({
      id: factId(metric, period, primary.docId),
      metric,
      value,
      unit,
      reportedScale: 1,
      period,
      source: primary.source,
      docId: primary.docId,
      filed: primary.filed,
      derivedFrom: from.map((f) => f.id),
    });
  };
  const revenues = facts.filter((f) => f.metric === 'revenue' && f.period.fiscalPeriod !== 'spot');
  for (const revenue of revenues) {
    const key = periodKey(revenue.period);
    for (const [metric, numeratorMetric] of [
      ['gross_margin', 'gross_profit'],
      ['operating_margin', 'operating_income'],
      ['net_margin', 'net_income'],
    ] as const) {
      const numerator = find(numeratorMetric, key);
      if (numerator) derive(metric, (ratio(numerator, revenue) ?? NaN) * 100, 'percent', [numerator, revenue], revenue.period);
    }
    const prior = revenues.find(
      (r) => r.period.fiscalPeriod === revenue.period.fiscalPeriod && r.period.fiscalYear === revenue.period.fiscalYear - 1,
    );
    if (prior && prior.value > 0)
      derive('revenue_growth', (revenue.value / prior.value - 1) * 100, 'percent', [revenue, prior], revenue.period);
  }
  const price = facts.find((f) => f.metric === 'price');
  const latestEps = facts
    .filter((f) => f.metric === 'eps_diluted' && f.period.fiscalPeriod === 'FY')
    .sort((a, b) => b.period.end.localeCompare(a.period.end))[0];
  if (price && latestEps && latestEps.value > 0)
    derive('pe_ratio', price.value / latestEps.value, 'ratio', [price, latestEps], price.period);
  return out;
}

function documents(bundle: SourceBundle, filedAccessions: Map<string, { form: string; filed: IsoDate }>): DocumentRef[] {
  const docs = new Map<string, DocumentRef>();
  for (const [accn, meta] of filedAccessions) {
    docs.set(accn, { docId: accn, kind: 'filings', title: `${meta.form} filed ${meta.filed}`, date: meta.filed, form: meta.form });
  }
  for (const filing of bundle.filings) {
    docs.set(filing.docId, { docId: filing.docId, kind: 'filings', title: filing.title, date: filing.filed, form: filing.form });
  }
  if (bundle.fundamentals) {
    const f = bundle.fundamentals;
    docs.set(f.docId, { docId: f.docId, kind: 'fundamentals', title: `${f.vendor} fundamentals and consensus`, date: f.asOf });
  }
  for (const n of bundle.notes)
    docs.set(n.docId, { docId: n.docId, kind: 'research', title: `${n.broker}: ${n.title}`, date: n.published });
  for (const n of bundle.news)
    docs.set(n.docId, { docId: n.docId, kind: 'news', title: `${n.source}: ${n.headline}`, date: n.published.slice(0, 10) });
  return [...docs.values()];
}

function staleSources(bundle: SourceBundle): FactSnapshot['staleSources'] {
  const newest: Array<[SourceKind, IsoDate | undefined]> = [
    [
      'filings',
      bundle.filings
        .map((f) => f.filed)
        .sort()
        .at(-1),
    ],
    ['fundamentals', bundle.fundamentals?.asOf],
    [
      'research',
      bundle.notes
        .map((n) => n.published)
        .sort()
        .at(-1),
    ],
    [
      'news',
      bundle.news
        .map((n) => n.published.slice(0, 10))
        .sort()
        .at(-1),
    ],
  ];
  return newest
    .filter(
      (entry): entry is [SourceKind, IsoDate] => entry[1] !== undefined && daysBetween(entry[1], bundle.asOf) > STALE_AFTER_DAYS[entry[0]],
    )
    .map(([source, date]) => ({ source, newest: date }));
}

/** sha256 over everything a summary depends on, in a canonical order. */
export function sourceHashOf(bundle: SourceBundle): string {
  const canonical = JSON.stringify([
    NORMALISER_VERSION,
    bundle.ticker,
    bundle.profile,
    bundle.companyFacts ?? null,
    bundle.filings,
    bundle.fundamentals ?? null,
    bundle.notes,
    bundle.news,
    bundle.failures,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Build the fact snapshot for one stock. `filedMetrics` come from the XBRL parser over
 * `bundle.companyFacts`; `sourceHash` may be passed when the caller already computed it.
 */
export function buildFactSnapshot(bundle: SourceBundle, filedMetrics: FiledMetric[], sourceHash = sourceHashOf(bundle)): FactSnapshot {
  const filed = filedFacts(filedMetrics);
  const resolved = rankAndResolve([...filed.facts, ...vendorFacts(bundle), ...researchFacts(bundle)]);
  const facts = [...resolved.facts, ...derivedFacts(resolved.facts)];
  const accessions = new Map<string, { form: string; filed: IsoDate }>();
  for (const m of filedMetrics) {
    accessions.set(m.accn, { form: m.form, filed: m.filed });
    for (const r of m.restatements) accessions.set(r.accn, { form: r.form, filed: r.filed });
  }
  const cited = new Set([...facts.map((f) => f.docId), ...filed.conflicts.flatMap((c) => c.candidates.map((x) => x.docId))]);
  const usedAccessions = new Map([...accessions].filter(([accn]) => cited.has(accn)));
  return {
    ticker: bundle.ticker,
    asOf: bundle.asOf,
    companyName: bundle.profile.name,
    sector: bundle.profile.sector,
    facts,
    conflicts: [...filed.conflicts, ...resolved.conflicts],
    documents: documents(bundle, usedAccessions),
    missingSources: bundle.failures,
    staleSources: staleSources(bundle),
    sourceHash,
  };
}
