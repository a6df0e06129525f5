/**
 * The query path (docs/DESIGN.md §6), for one authenticated FA:
 *
 *   input guardrails → resolve tickers (request, question, session) → scope → briefs → answer cache
 *   → retrieval (chunks by similarity) → model steps → output guardrails → session memory → answer
 *
 * Nothing reaches a model, a log line or storage before the input guardrails have redacted it, and a
 * blocked question makes no model call and stores nothing. Everything is injected: the handler maps
 * the outcome to HTTP; tests drive this directly.
 */
import type { EmbedderPort, ExperimentPort, LlmPort, AnswerCacheStore, ChunkReader, SessionStore, SummaryReader } from '../ports';
import type { PriceTable } from '../cost/price-table';
import { costOfUsage } from '../cost/price-table';
import type { ModelChoice, RouteContext } from '../routing/model-router';
import { checkInput } from '../guardrails/input-guardrails';
import type { InputBlockCode } from '../guardrails/input-guardrails';
import { mergeSnapshots } from '../guardrails/output-guardrails';
import type { PiiRedaction } from '../guardrails/pii';
import { checkScope } from '../guardrails/scope';
import { answerCacheKey } from './answer-cache-key';
import { ANSWER_PROMPT_VERSION } from './answer-prompt';
import type { AnswerDepth, AnswerPayload, SessionTurn } from '../model';
import { answerWithModels } from './answer-with-models';
import type { QueryModelCall } from './answer-with-models';
import { composeAnswer } from './compose-answer';
import { buildContext } from './context';
import type { HistoryTurn } from './context';
import { classifyDepth } from './intent';
import { retrieve } from './retrieve';
import type { TickerResolver } from './ticker-resolver';
import { answerObservation } from '../experiments/observations';
import type { CostDeps } from '../cost/unit-cost';
import { recordQueryCost } from './query-cost';
import type { AnsweredQueryCost } from './query-cost';

export interface QuerySettings {
  /** How long a session lives after its latest turn. */
  sessionTtlSeconds: number;
  answerCacheTtlSeconds: number;
  /** Stocks one answer covers at most (more are dropped with a flag). */
  maxTickers: number;
  /** Earlier turns a follow-up carries into the prompt. */
  historyTurns: number;
  queryBudgetUsd: number;
  chunksPerTicker: number;
  factsPerTicker: number;
  excerptChars: number;
}

export const DEFAULT_QUERY_SETTINGS: QuerySettings = {
  sessionTtlSeconds: 24 * 3600,
  answerCacheTtlSeconds: 6 * 3600,
  maxTickers: 4,
  historyTurns: 2,
  queryBudgetUsd: 0.08,
  chunksPerTicker: 3,
  factsPerTicker: 10,
  excerptChars: 420,
};

export interface QueryDeps {
  resolver: TickerResolver;
  summaries: SummaryReader;
  chunks: ChunkReader;
  embedder: EmbedderPort;
  llm: LlmPort;
  route: (task: 'answer' | 'answer_deep', context?: RouteContext) => ModelChoice;
  prices: PriceTable;
  sessions: SessionStore;
  answerCache: AnswerCacheStore;
  /** The label recorded when no experiment assigns the FA (`control`); part of the cache key and the answer. */
  promptVariant: string;
  /** A/B tests (docs/EXPERIMENTS.md): the FA's arm replaces `promptVariant` on the answer and in the cache key. */
  experiments?: ExperimentPort;
  /** The cost ledger: every answer is a `query` unit of the day's `queries-<date>` run. Absent: cost only on the answer and in EMF. */
  cost?: CostDeps;
  /** Epoch milliseconds. */
  now: () => number;
  newId: () => string;
  settings: QuerySettings;
}

export interface QueryInput {
  question: string;
  tickers?: string[];
  sessionId?: string;
  depth?: AnswerDepth | 'auto';
}

export interface QueryCost {
  usd: number;
  estimated: boolean;
  embeddingUsd: number;
  calls: Array<{
    step: QueryModelCall['step'];
    modelId: string;
    inputTokens: number;
    outputTokens: number;
    cacheReadInputTokens: number;
    cacheWriteInputTokens: number;
    costUsd: number;
    latencyMs: number;
  }>;
}

export interface QueryAnswer extends AnswerPayload {
  requestId: string;
  sessionId: string;
  /** The question as stored and sent on: normalised, PII redacted. */
  question: string;
  cache: { hit: boolean; cachedAt?: string };
  cost: QueryCost;
  /** Wall time: total, waiting on models, the rest (`overheadMs`), and of that, waiting on storage. */
  latency: { totalMs: number; llmMs: number; overheadMs: number; storeMs: number };
  guardrails: { input: { redactions: PiiRedaction[] }; output: { removedSentences: number; claimsChecked: number } };
}

/** What the handler logs and emits as metrics: never the question text. */
export interface QueryTelemetry {
  requestId: string;
  depth?: AnswerDepth;
  tickers: string[];
  cacheHit: boolean;
  costUsd: number;
  llmMs: number;
  totalMs: number;
  blockedCode?: string;
  blockedRule?: string;
  redactions: PiiRedaction[];
  hallucinationFlagged: boolean;
  removedSentences: number;
  flags: string[];
  modelErrors: string[];
}

export type QueryOutcome =
  | { kind: 'answered'; answer: QueryAnswer; telemetry: QueryTelemetry }
  | {
      kind: 'rejected';
      status: 400 | 404 | 422;
      code: InputBlockCode | 'invalid_request' | 'brief_not_found';
      message: string;
      rule?: string;
      telemetry: QueryTelemetry;
    }
  | {
      /** No model could answer (throttled past retries, timed out, down, or only unusable replies): retry later. */
      kind: 'unavailable';
      status: 503;
      code: 'model_unavailable';
      message: string;
      retryAfterSeconds: number;
      telemetry: QueryTelemetry;
    };

/**
 * How long an FA tool is told to wait after a 503: long enough for a throttling window or a
 * model's brief outage to pass, short enough that an FA does not give up.
 */
export const MODEL_UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

function telemetryBase(requestId: string, redactions: PiiRedaction[]): QueryTelemetry {
  return {
    requestId,
    tickers: [],
    cacheHit: false,
    costUsd: 0,
    llmMs: 0,
    totalMs: 0,
    redactions,
    hallucinationFlagged: false,
    removedSentences: 0,
    flags: [],
    modelErrors: [],
  };
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Answer one question for one FA. Never throws for bad input or a model failure (storage failures
 * propagate): when no model wrote anything usable the outcome is `unavailable` (a 503 to the FA tool),
 * while an answer a fallback model or some specialists wrote is served with its flags. `requestId` ties the answer to the gateway's request; a new one is made when absent.
 */
export async function answerQuery(
  faId: string,
  input: QueryInput,
  deps: QueryDeps,
  requestId: string = deps.newId(),
): Promise<QueryOutcome> {
  const started = deps.now();
  // Time spent waiting on storage (DynamoDB), reported beside model time so overhead can be read.
  let storeMs = 0;
  const timed = async <T>(work: Promise<T>): Promise<T> => {
    const from = deps.now();
    try {
      return await work;
    } finally {
      storeMs += deps.now() - from;
    }
  };
  const nowSeconds = () => Math.floor(deps.now() / 1000);

  // 1. Input guardrails, before anything else sees the text.
  const checked = checkInput(input.question);
  const telemetry = telemetryBase(requestId, checked.redactions);
  const reject = (
    status: 400 | 404 | 422,
    code: Extract<QueryOutcome, { kind: 'rejected' }>['code'],
    message: string,
    rule?: string,
  ): QueryOutcome => {
    telemetry.blockedCode = code;
    telemetry.blockedRule = rule;
    telemetry.totalMs = deps.now() - started;
    return { kind: 'rejected', status, code, message, ...(rule ? { rule } : {}), telemetry };
  };
  if (checked.question === '')
    return reject(400, 'invalid_request', 'question is empty once invisible characters and whitespace are removed');
  if (checked.block) return reject(422, checked.block.code, checked.block.message, checked.block.rule);
  const question = checked.question;

  // 2. Tickers: the request's, then the question's, then (for a follow-up) the session's.
  const tickers: string[] = [];
  for (const ticker of input.tickers ?? []) {
    const profile = deps.resolver.get(ticker);
    if (!profile) return reject(422, 'unknown_ticker', `${ticker.toUpperCase()} is not a covered stock`);
    if (!tickers.includes(profile.ticker)) tickers.push(profile.ticker);
  }
  for (const match of deps.resolver.resolve(question)) if (!tickers.includes(match.ticker)) tickers.push(match.ticker);
  const sessionId = input.sessionId ?? deps.newId();
  // Only a follow-up (a question that names no stock) needs the session's earlier turns.
  let history: HistoryTurn[] = [];
  if (tickers.length === 0 && input.sessionId) {
    const turns = await timed(deps.sessions.recentTurns(faId, input.sessionId, deps.settings.historyTurns, nowSeconds()));
    if (turns.length > 0) {
      tickers.push(...turns.at(-1)!.tickers);
      history = turns.map((t) => ({ question: t.question, answer: t.answer.slice(0, 400) }));
    }
  }

  // 3. Scope, still before any model call.
  const scope = checkScope(question, tickers.length);
  if (!scope.inScope) return reject(422, scope.code, scope.message);
  const flags: string[] = [];
  if (checked.redactions.length > 0) flags.push('pii_redacted');
  if (tickers.length > deps.settings.maxTickers) flags.push('tickers_truncated');
  const covered = tickers.slice(0, deps.settings.maxTickers);
  const depth = classifyDepth(question, covered.length, input.depth);
  telemetry.depth = depth;
  telemetry.tickers = covered;

  // 4. Briefs (their versions key the answer cache).
  const briefs = await timed(Promise.all(covered.map(async (ticker) => ({ ticker, brief: await deps.summaries.getLatest(ticker) }))));
  const present = briefs.filter((b): b is { ticker: string; brief: NonNullable<typeof b.brief> } => b.brief !== undefined);
  const missing = briefs.filter((b) => b.brief === undefined).map((b) => b.ticker);
  if (present.length === 0) {
    return reject(
      404,
      'brief_not_found',
      `no brief is stored yet for ${missing.join(', ')}: the nightly batch has not covered ${missing.length > 1 ? 'them' : 'it'}`,
    );
  }
  // The FA's arm (sticky; a memo in the process makes repeat questions free).
  const arm = deps.experiments ? await timed(deps.experiments.assign('query', faId)) : undefined;
  const promptVariant = arm?.label ?? deps.promptVariant;
  // The key keeps the configured label too, so a new configured variant still starts a cold cache.
  const cacheVariant = arm ? `${deps.promptVariant}|${arm.label}` : deps.promptVariant;
  const key = answerCacheKey({
    question,
    tickers: covered,
    briefVersions: present.map((b) => ({ ticker: b.ticker, sourceHash: b.brief.sourceHash, promptVersion: b.brief.promptVersion })),
    promptVersion: ANSWER_PROMPT_VERSION,
    promptVariant: cacheVariant,
    depth,
    history,
    owner: faId,
  });

  // 5. Answer cache, then retrieval and the models.
  const cached = await timed(deps.answerCache.get(key, nowSeconds()));
  let payload: AnswerPayload;
  let cost: QueryCost = { usd: 0, estimated: false, embeddingUsd: 0, calls: [] };
  let ledgerCost: Omit<AnsweredQueryCost, 'requestId' | 'variant' | 'cached'> = { calls: [] };
  let llmMs = 0;
  let removedSentences = 0;
  let claimsChecked = 0;
  if (cached) {
    payload = { ...cached.answer, flags: [...new Set([...cached.answer.flags.filter((f) => f !== 'pii_redacted'), ...flags])].sort() };
    telemetry.cacheHit = true;
  } else {
    const retrieval = await retrieve(
      present.map((b) => b.ticker),
      question,
      deps,
      { chunksPerTicker: deps.settings.chunksPerTicker },
    );
    // Reads and the question's embedding run side by side: the reads count as storage time, and
    // only the embedding's wait beyond them as model time (the critical path, not the sum).
    storeMs += retrieval.timing.readMs;
    const embeddingWaitMs = Math.max(0, retrieval.timing.embedMs - retrieval.timing.readMs);
    if (retrieval.modelMismatch) flags.push('retrieval_model_mismatch');
    if (retrieval.embeddingError) flags.push('retrieval_degraded');
    const context = buildContext(question, retrieval, history, {
      factsPerTicker: deps.settings.factsPerTicker,
      excerptChars: deps.settings.excerptChars,
    });
    const models = await answerWithModels(context, depth, {
      llm: deps.llm,
      route: deps.route,
      prices: deps.prices,
      queryBudgetUsd: deps.settings.queryBudgetUsd,
      now: deps.now,
    });
    telemetry.modelErrors = retrieval.embeddingError ? [retrieval.embeddingError, ...models.errors] : models.errors;
    // Nothing a model wrote survives to compose: the answer would be the fact list alone, which the
    // FA's brief already shows. The FA tool is told to retry instead, and nothing is stored.
    if (models.sentences.length === 0 && models.flags.some((f) => f === 'model_unavailable' || f === 'malformed_model_output')) {
      telemetry.flags = [...flags, ...models.flags];
      telemetry.llmMs = models.llmMs + embeddingWaitMs;
      telemetry.costUsd = round(
        models.calls.reduce((sum, c) => sum + c.costUsd, 0),
        8,
      );
      telemetry.totalMs = deps.now() - started;
      return {
        kind: 'unavailable',
        status: 503,
        code: 'model_unavailable',
        message: `no model could answer just now (${models.flags.includes('malformed_model_output') ? 'unusable model output' : 'models throttled or unavailable'}); retry after ${MODEL_UNAVAILABLE_RETRY_AFTER_SECONDS} s`,
        retryAfterSeconds: MODEL_UNAVAILABLE_RETRY_AFTER_SECONDS,
        telemetry,
      };
    }
    const composed = composeAnswer({
      context,
      snapshot: mergeSnapshots(retrieval.stocks.map((s) => s.summary.snapshot)),
      sentences: models.sentences,
      depth,
      flags: [...flags, ...models.flags],
      modelIds: [...new Set(models.calls.map((c) => c.modelId))],
      promptVersion: ANSWER_PROMPT_VERSION,
      promptVariant,
      missingTickers: missing,
    });
    payload = composed.payload;
    removedSentences = composed.removedSentences;
    claimsChecked = composed.claimsChecked;
    telemetry.hallucinationFlagged = composed.hallucinationFlagged;
    llmMs = models.llmMs + embeddingWaitMs;
    const embeddingUsage = {
      inputTokens: retrieval.embedding.inputTokens,
      outputTokens: 0,
      cacheReadInputTokens: 0,
      cacheWriteInputTokens: 0,
    };
    const embeddingUsd = costOfUsage(deps.prices, retrieval.embedding.modelId, embeddingUsage);
    ledgerCost = {
      calls: models.calls,
      embedding: {
        modelId: retrieval.embedding.modelId,
        inputTokens: embeddingUsage.inputTokens,
        estimated: retrieval.embedding.estimated,
      },
    };
    cost = {
      usd: round(models.calls.reduce((sum, c) => sum + c.costUsd, 0) + embeddingUsd, 8),
      estimated: retrieval.embedding.estimated || models.calls.some((c) => c.estimated),
      embeddingUsd: round(embeddingUsd, 10),
      calls: models.calls.map((c) => ({
        step: c.step,
        modelId: c.modelId,
        inputTokens: c.usage.inputTokens,
        outputTokens: c.usage.outputTokens,
        cacheReadInputTokens: c.usage.cacheReadInputTokens,
        cacheWriteInputTokens: c.usage.cacheWriteInputTokens,
        costUsd: round(c.costUsd, 8),
        latencyMs: Math.round(c.latencyMs),
      })),
    };
  }

  // 6. Memory and cache writes, together. A degraded answer is not cached: the next ask may do better.
  const now = deps.now();
  const turn: SessionTurn = {
    faId,
    sessionId,
    turnId: requestId,
    question,
    answer: payload.answer,
    tickers: payload.tickers,
    depth,
    citations: payload.citations.map((c) => ({ n: c.n, sourceId: c.sourceId, title: c.title })),
    confidence: payload.confidence,
    createdAt: new Date(now).toISOString(),
    expiresAt: Math.floor(now / 1000) + deps.settings.sessionTtlSeconds,
  };
  const degraded = ['model_unavailable', 'specialist_failed', 'synthesis_failed', 'malformed_model_output', 'retrieval_degraded'].some(
    (f) => payload.flags.includes(f),
  );
  // Flags about this request (its redactions) are not part of the answer another FA may be served.
  const cacheable: AnswerPayload = { ...payload, flags: payload.flags.filter((f) => f !== 'pii_redacted') };
  await timed(
    Promise.all([
      deps.sessions.appendTurn(turn),
      cached || degraded
        ? Promise.resolve()
        : deps.answerCache.put({
            key,
            answer: cacheable,
            cachedAt: new Date(now).toISOString(),
            expiresAt: Math.floor(now / 1000) + deps.settings.answerCacheTtlSeconds,
          }),
      // One observation per answer the models wrote (a cached answer was observed when it was written),
      // written beside the turn and the cache entry rather than after them.
      arm && !cached
        ? deps.experiments!.record(arm, answerObservation({ hallucinationFlagged: telemetry.hallucinationFlagged, costUsd: cost.usd }))
        : Promise.resolve(),
      deps.cost
        ? recordQueryCost(deps.cost, { requestId, variant: promptVariant, cached: Boolean(cached), ...ledgerCost })
        : Promise.resolve(),
    ]),
  );

  const totalMs = deps.now() - started;
  telemetry.costUsd = cost.usd;
  telemetry.llmMs = llmMs;
  telemetry.totalMs = totalMs;
  telemetry.removedSentences = removedSentences;
  telemetry.flags = payload.flags;
  return {
    kind: 'answered',
    answer: {
      requestId,
      sessionId,
      question,
      ...payload,
      cache: cached ? { hit: true, cachedAt: cached.cachedAt } : { hit: false },
      cost,
      latency: {
        totalMs: Math.round(totalMs),
        llmMs: Math.round(llmMs),
        overheadMs: Math.max(0, Math.round(totalMs - llmMs)),
        storeMs: Math.round(storeMs),
      },
      guardrails: { input: { redactions: checked.redactions }, output: { removedSentences, claimsChecked } },
    },
    telemetry,
  };
}
