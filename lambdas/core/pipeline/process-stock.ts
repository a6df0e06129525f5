/**
 * One Distributed Map child: gather → normalise → embed (cache) → skip unchanged → write → verify
 * → store, for one ticker and as-of date (docs/DESIGN.md §5). Every dependency is injected.
 */
import type {
  ChunkRepository,
  EmbedderPort,
  EmbeddingHashCache,
  ExperimentPort,
  RunRepository,
  Sources,
  SummaryRepository,
} from '../ports';
import type {
  StockOutcome,
  StoredSummary,
  SummaryFingerprint,
  CompanyFactsJson,
  CompanyProfile,
  FactSnapshot,
  IsoDate,
  SourceBundle,
  SourceFailure,
  SourceKind,
} from '../model';
import { describeError, NotFoundError } from '../errors';
import type { FiledMetric } from '../facts/normalise';
import { buildFactSnapshot, sourceHashOf } from '../facts/normalise';
import { briefInputFrom } from '../summary/brief-input';
import { promptVersionOf } from '../summary/writer-prompt';
import type { ArmChoice } from '../experiments/assignment';
import { briefObservation } from '../experiments/observations';
import { chunkSourcesOf, embedChangedChunks, embeddingKeyOf } from './embed-chunks';
import type { EmbedStats } from './embed-chunks';
import { costOfUsage } from '../cost/price-table';
import { writeAndVerify } from './write-and-verify';
import type { WriteDeps } from './write-and-verify';
import { UnitCostTracker } from '../cost/unit-cost';
import type { CostDeps } from '../cost/unit-cost';

export interface ProcessStockDeps extends WriteDeps {
  sources: Sources;
  extractMetrics: (facts: CompanyFactsJson, options: { asOf: IsoDate; fiscalYearEndMonth?: number }) => FiledMetric[];
  summaries: SummaryRepository;
  runs: RunRepository;
  chunks: ChunkRepository;
  cache: EmbeddingHashCache;
  embedder: EmbedderPort;
  /** Label recorded on every output when no experiment assigns the stock (`control`). */
  experimentVariant: string;
  /** A/B tests (docs/EXPERIMENTS.md): the stock's arm decides the writer prompt and model parameters. */
  experiments?: ExperimentPort;
  /** Cache degradations seen while this stock ran (the adapter counts them). */
  cacheDegradations: () => number;
  now: () => Date;
  /** Cost ledger and budgets (docs/DESIGN.md §7). Without them nothing is recorded and calls go as routed. */
  cost?: Omit<CostDeps, 'prices' | 'now'>;
  /** Reuse the latest brief when no source changed (default true; the naive cost baseline turns it off). */
  skipUnchanged?: boolean;
}

export interface ProcessStockInput {
  runId: string;
  asOf: IsoDate;
  ticker: string;
}

async function settle<T>(source: SourceKind, failures: SourceFailure[], fallback: T, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    failures.push({ source, reason: describeError(error) });
    return fallback;
  }
}

/** Each source through its port, in parallel; a failed source is recorded, never guessed. */
export async function gatherSources(company: CompanyProfile, asOf: IsoDate, sources: Sources): Promise<SourceBundle> {
  const failures: SourceFailure[] = [];
  const [companyFacts, filings, fundamentals, notes, news] = await Promise.all([
    settle('filings', failures, undefined, () => sources.filings.companyFacts(company, asOf)),
    settle('filings', failures, [], () => sources.filings.filings(company, asOf)),
    settle('fundamentals', failures, undefined, () => sources.fundamentals.fundamentals(company, asOf)),
    settle('research', failures, [], () => sources.research.notes(company, asOf)),
    settle('news', failures, [], () => sources.news.news(company, asOf)),
  ]);
  failures.sort((a, b) => a.source.localeCompare(b.source) || a.reason.localeCompare(b.reason));
  return { ticker: company.ticker, asOf, profile: company, companyFacts, filings, fundamentals, notes, news, failures };
}

/** The universe's fiscal year end, unless it was only a placeholder (then the filings tell). */
function statedFiscalYearEnd(company: CompanyProfile): { fiscalYearEndMonth?: number } {
  return company.fiscalYearEndInferred ? {} : { fiscalYearEndMonth: company.fiscalYearEndMonth };
}

/** 0–1: starts from how the draft fared and loses ground for every gap in what the brief could see. */
export function confidenceOf(status: StoredSummary['status'], snapshot: FactSnapshot): number {
  const base = { verified: 0.95, regenerated: 0.85, facts_only: 0.7 }[status];
  const penalty = 0.1 * snapshot.missingSources.length + 0.05 * snapshot.staleSources.length + 0.02 * snapshot.conflicts.length;
  return Math.max(0.1, Math.round((base - penalty) * 100) / 100);
}

function isReusable(
  latest: SummaryFingerprint | undefined,
  sourceHash: string,
  embeddingKey: string,
  arm: ArmChoice | undefined,
): latest is SummaryFingerprint {
  return (
    latest !== undefined &&
    latest.sourceHash === sourceHash &&
    latest.embeddingKey === embeddingKey &&
    latest.promptVersion === promptVersionOf(arm?.params.promptVersion) &&
    // A stock in an experiment shows its arm on the brief: one written under another label is rewritten.
    (arm?.experiment === undefined || latest.experimentVariant === arm.label) &&
    (latest.status === 'verified' || latest.status === 'regenerated')
  );
}

export async function processStock(input: ProcessStockInput, deps: ProcessStockDeps): Promise<StockOutcome> {
  const started = deps.now().getTime();
  const arm = await deps.experiments?.assign('batch', input.ticker);
  const variant = arm?.label ?? deps.experimentVariant;
  // Idempotency on (runId, ticker) is the handler's (Powertools Idempotency): a redelivered item
  // that finished never reaches this function again.
  const tracker = deps.cost
    ? await UnitCostTracker.begin(
        { ...deps.cost, prices: deps.prices, now: deps.now },
        { runId: input.runId, kind: 'stock', unitId: input.ticker, variant },
      )
    : undefined;
  try {
    return await processChangedStock(input, withArm(deps, arm), started, tracker, arm);
  } catch (error) {
    // What a failed attempt spent is in the ledger too; a retry adds its own.
    await tracker?.abandon();
    throw error;
  }
}

/** The arm's parameters applied: its writer prompt, and its model settings over the router's choice. */
function withArm(deps: ProcessStockDeps, arm: ArmChoice | undefined): ProcessStockDeps {
  const params = arm?.params;
  if (!params || Object.keys(params).length === 0) return deps;
  return {
    ...deps,
    ...(params.promptVersion ? { writerPromptVariant: params.promptVersion } : {}),
    chooseModel: (task, context) => {
      const choice = deps.chooseModel(task, context);
      return {
        ...choice,
        ...(params.modelId ? { modelId: params.modelId } : {}),
        ...(params.temperature !== undefined ? { temperature: params.temperature } : {}),
        ...(params.maxTokens !== undefined ? { maxTokens: params.maxTokens } : {}),
      };
    },
  };
}

async function processChangedStock(
  input: ProcessStockInput,
  deps: ProcessStockDeps,
  started: number,
  tracker: UnitCostTracker | undefined,
  arm: ArmChoice | undefined,
): Promise<StockOutcome> {
  const company = await deps.sources.universe.get(input.ticker);
  if (!company) throw new NotFoundError(`ticker ${input.ticker} is not in the universe`);
  const degradedBefore = deps.cacheDegradations();

  const bundle = await gatherSources(company, input.asOf, deps.sources);
  const sourceHash = sourceHashOf(bundle);
  const embeddingKey = embeddingKeyOf(deps.embedder);
  const base = { runId: input.runId, ticker: input.ticker, asOf: input.asOf, sourceFailures: bundle.failures };

  // Skip unchanged first: when no source changed, neither did any chunk, so there is nothing to
  // parse, embed or write, and the stored brief is reused with no model call.
  const latest = await deps.summaries.getLatestFingerprint(input.ticker);
  if (deps.skipUnchanged !== false && isReusable(latest, sourceHash, embeddingKey, arm)) {
    const cost = await tracker?.finish();
    const outcome: StockOutcome = {
      ...base,
      status: latest.status,
      skippedUnchanged: true,
      embedding: { hits: 0, misses: 0, chunks: 0, degraded: 0 },
      claimsChecked: 0,
      findings: 0,
      // Infrastructure only: the reused brief needed no model call.
      costUsd: cost?.unitTotalUsd ?? 0,
      costEstimated: false,
      tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
      durationMs: deps.now().getTime() - started,
      completedAt: deps.now().toISOString(),
    };
    await deps.runs.putStockOutcome(outcome);
    return outcome;
  }

  const filedMetrics = await settle('filings', bundle.failures, [], async () =>
    bundle.companyFacts ? deps.extractMetrics(bundle.companyFacts, { asOf: input.asOf, ...statedFiscalYearEnd(company) }) : [],
  );
  const snapshot = buildFactSnapshot(bundle, filedMetrics, sourceHash);
  const embedding: EmbedStats = await embedChangedChunks(
    { ticker: input.ticker, asOf: input.asOf, sources: chunkSourcesOf(bundle) },
    { cache: deps.cache, embedder: deps.embedder, chunks: deps.chunks },
  );
  const embeddingUsage = { inputTokens: embedding.inputTokens, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 };
  const embeddingCost = embedding.inputTokens > 0 ? costOfUsage(deps.prices, deps.embedder.modelId, embeddingUsage) : 0;
  tracker?.addEmbedding(deps.embedder.modelId, embedding.inputTokens, embedding.misses, embedding.estimated);
  const embeddingStats = () => ({
    hits: embedding.hits,
    misses: embedding.misses,
    chunks: embedding.chunks,
    degraded: deps.cacheDegradations() - degradedBefore,
  });

  const written = await writeAndVerify(
    snapshot,
    briefInputFrom(snapshot, bundle),
    tracker ? { ...deps, llm: tracker.meter(deps.llm) } : deps,
    tracker ? { budget: await tracker.writeBudget() } : {},
  );
  tracker?.addBudgetActions(written.downgradedCalls, written.skippedSteps);
  const modelCost = written.calls.reduce((sum, c) => sum + c.costUsd, 0);
  const estimated = written.calls.some((c) => c.estimated) || embedding.estimated;
  const summary: StoredSummary = {
    ticker: input.ticker,
    asOf: input.asOf,
    runId: input.runId,
    status: written.status,
    summary: written.summary,
    verification: written.verification,
    confidence: confidenceOf(written.status, snapshot),
    snapshot,
    documents: snapshot.documents,
    sourceHash: snapshot.sourceHash,
    promptVersion: promptVersionOf(arm?.params.promptVersion),
    modelId: written.modelId,
    embeddingKey,
    experimentVariant: arm?.label ?? deps.experimentVariant,
    calls: written.calls,
    costUsd: modelCost + embeddingCost,
    costEstimated: estimated,
    generatedAt: deps.now().toISOString(),
  };
  await deps.summaries.putSummary(summary);
  if (arm) {
    await deps.experiments?.record(arm, briefObservation(summary));
  }

  const sum = (pick: (c: (typeof written.calls)[number]) => number) => written.calls.reduce((total, c) => total + pick(c), 0);
  // The unit's full cost in this run: every attempt's models, embeddings and infrastructure.
  const cost = await tracker?.finish({ cacheLookups: embedding.chunks, cacheWrites: embedding.misses });
  const outcome: StockOutcome = {
    ...base,
    status: written.status,
    skippedUnchanged: false,
    embedding: embeddingStats(),
    claimsChecked: written.drafts.reduce((n, d) => n + d.claimsChecked, 0),
    findings: written.drafts.reduce((n, d) => n + d.findings.length, 0),
    costUsd: cost?.unitTotalUsd ?? summary.costUsd,
    costEstimated: estimated,
    tokens: {
      input: sum((c) => c.usage.inputTokens) + embedding.inputTokens,
      output: sum((c) => c.usage.outputTokens),
      cacheRead: sum((c) => c.usage.cacheReadInputTokens),
      cacheWrite: sum((c) => c.usage.cacheWriteInputTokens),
    },
    durationMs: deps.now().getTime() - started,
    completedAt: deps.now().toISOString(),
  };
  await deps.runs.putStockOutcome(outcome);
  return outcome;
}
