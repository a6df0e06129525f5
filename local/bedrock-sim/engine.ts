/**
 * What the Bedrock simulator answers, without the HTTP: validation, fault injection, quotas,
 * content, token usage with prompt caching, and latency. The server (local/bedrock-simulator.ts)
 * turns a `Reply` into bytes on the wire after its `delayMs`.
 *
 * Content comes from the local providers (the grounded writer for brief prompts, an injected
 * provider for anything else), so what the SDK receives is what FA_LLM=local would have written;
 * the usage is computed from the prompts actually sent, never taken from the provider's estimate.
 */
import { createHash } from 'node:crypto';
import type { LlmPort, LlmRequest, LlmTask } from '../../lambdas/core/ports';
import { LocalGroundedLlm } from '../../lambdas/adapters/llm/local-grounded-llm';
import { featureHashEmbedding } from '../../lambdas/core/embedding/feature-hash-embedder';
import { describeError } from '../../lambdas/core/errors';
import type { ModelProfile, SimulatorConfig } from './config';
import { profileFor } from './config';
import { PromptCache } from './prompt-cache';
import type { CacheCheckpoint } from './prompt-cache';
import { QuotaWindow } from './quota-window';
import { seededRandom } from './random';
import { callTiming } from './latency';
import type { Random } from './random';
import { countTokens, truncateToTokens } from './tokens';
import { converseResponseBody, ConverseRequestSchema, TitanRequestSchema } from './wire';
import type { BedrockErrorType, ContentBlock, ConverseRequest } from './wire';
import { describeIssue } from '../../lambdas/core/validation';
import { isJudgePrompt, parseJudgePrompt } from '../../lambdas/core/grounding/judge-prompt';
import { LocalJudge } from '../../lambdas/adapters/llm/local-judge';

/** Formatting tokens Claude adds around each message and the system prompt. */
const MESSAGE_OVERHEAD_TOKENS = 4;
/** Bedrock's default when a Converse request names no maxTokens (Claude 4.x: 4,096 on Converse). */
const DEFAULT_MAX_TOKENS = 4_096;

export type Reply =
  | { kind: 'error'; type: BedrockErrorType; message: string; delayMs: number }
  /** Hold the connection without answering (an injected timeout). */
  | { kind: 'hang' }
  | {
      kind: 'ok';
      body: string;
      headers: Record<string, string>;
      /** Real ms to wait before sending. */
      delayMs: number;
      /** Send only a prefix of the body (an injected malformed response). */
      malformed: boolean;
      /** Call when the answer is sent: trues up the quota reservation. */
      complete: () => void;
    };

export interface ModelStats {
  requests: number;
  succeeded: number;
  throttledInjected: number;
  throttledByTokens: number;
  throttledByRequests: number;
  serverErrors: number;
  timeouts: number;
  malformed: number;
  invalid: number;
  maxTokensStops: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
  /** Sum of simulated latencies of successful calls, ms. */
  simulatedLatencyMs: number;
}

export interface SimulatorStats {
  speedUp: number;
  latency: SimulatorConfig['latency'];
  enforceQuotas: boolean;
  /** Simulated ms since the simulator started (real elapsed × speed-up). */
  simulatedElapsedMs: number;
  models: Record<string, ModelStats>;
}

function emptyStats(): ModelStats {
  return {
    requests: 0,
    succeeded: 0,
    throttledInjected: 0,
    throttledByTokens: 0,
    throttledByRequests: 0,
    serverErrors: 0,
    timeouts: 0,
    malformed: 0,
    invalid: 0,
    maxTokensStops: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadInputTokens: 0,
    cacheWriteInputTokens: 0,
    simulatedLatencyMs: 0,
  };
}

type UsageCounts = Pick<ModelStats, 'inputTokens' | 'outputTokens' | 'cacheReadInputTokens' | 'cacheWriteInputTokens'>;

export interface SimulatorEngineOptions {
  config: SimulatorConfig;
  /**
   * Content for prompts that are not brief-writer prompts (for example the query path's answer
   * prompts). Without one, such prompts get a short fixed reply.
   */
  content?: LlmPort;
  /** Real monotonic ms (default performance.now). */
  now?: () => number;
}

/** The writer's prompts start with the company block (core/summary/writer-prompt.ts). */
function writerTaskOf(prompt: string): LlmTask | undefined {
  if (!prompt.startsWith('<company>\n')) return undefined;
  return prompt.includes('\n<findings>\n') ? 'regenerate_summary' : 'write_summary';
}

function textOf(blocks: readonly ContentBlock[]): string {
  return blocks.map((block) => (typeof block.text === 'string' ? block.text : '')).join('');
}

/** The request's text as cacheable segments, with the prefix up to each cache point. */
function checkpointsOf(request: ConverseRequest): { totalTokens: number; checkpoints: CacheCheckpoint[] } {
  const hash = createHash('sha256');
  let tokens = 0;
  const checkpoints: CacheCheckpoint[] = [];
  const visit = (blocks: readonly ContentBlock[], role: string) => {
    tokens += MESSAGE_OVERHEAD_TOKENS;
    hash.update(`\u0000${role}\u0000`);
    for (const block of blocks) {
      if (typeof block.text === 'string') {
        tokens += countTokens(block.text);
        hash.update(block.text);
      }
      if (block.cachePoint) checkpoints.push({ prefixHash: hash.copy().digest('hex'), prefixTokens: tokens });
    }
  };
  if (request.system && request.system.length > 0) visit(request.system, 'system');
  for (const message of request.messages) visit(message.content, message.role);
  return { totalTokens: tokens, checkpoints };
}

export class SimulatorEngine {
  readonly config: SimulatorConfig;
  private readonly random: Random;
  private readonly now: () => number;
  private readonly startedAt: number;
  private cache: PromptCache;
  private readonly quotas = new Map<string, QuotaWindow>();
  private readonly perModel = new Map<string, ModelStats>();
  private readonly writer: LocalGroundedLlm;
  /** Judge prompts (the grounding judge port) get a deterministic lexical judge. */
  private readonly judge = new LocalJudge();
  private readonly content: LlmPort | undefined;
  private requestCount = 0;

  constructor(options: SimulatorEngineOptions) {
    this.config = options.config;
    this.random = seededRandom(options.config.seed);
    this.now = options.now ?? (() => performance.now());
    this.startedAt = this.now();
    this.cache = new PromptCache(options.config.cacheTtlSeconds * 1000);
    this.writer = new LocalGroundedLlm({ slipRate: options.config.slipRate, surfaceForms: 'varied' });
    this.content = options.content;
  }

  /** Simulated ms since start. */
  simulatedNow(): number {
    return (this.now() - this.startedAt) * this.config.speedUp;
  }

  /** A request id for the `x-amzn-requestid` header. */
  nextRequestId(): string {
    this.requestCount += 1;
    return `sim-${this.config.seed}-${this.requestCount.toString(16).padStart(8, '0')}`;
  }

  stats(): SimulatorStats {
    return {
      speedUp: this.config.speedUp,
      latency: this.config.latency,
      enforceQuotas: this.config.enforceQuotas,
      simulatedElapsedMs: Math.round(this.simulatedNow()),
      models: Object.fromEntries([...this.perModel].map(([name, stats]) => [name, { ...stats }])),
    };
  }

  /** Forget statistics, cached prefixes and quota usage (between benchmark phases). */
  reset(): void {
    this.perModel.clear();
    this.quotas.clear();
    this.cache = new PromptCache(this.config.cacheTtlSeconds * 1000);
  }

  /** `POST /model/{modelId}/converse`. */
  async converse(modelId: string, rawBody: string): Promise<Reply> {
    const profile = profileFor(this.config, modelId);
    if (!profile) return this.invalid(undefined, `The provided model identifier is invalid: ${modelId}`);
    const stats = this.statsOf(profile);
    stats.requests += 1;
    if (profile.kind !== 'converse') return this.invalid(stats, `The model ${modelId} does not support the Converse API.`);
    const request = this.parse(ConverseRequestSchema, rawBody);
    if ('error' in request) return this.invalid(stats, request.error);
    const maxTokens = request.value.inferenceConfig?.maxTokens ?? DEFAULT_MAX_TOKENS;
    if (maxTokens > profile.maxOutputTokens) {
      return this.invalid(stats, `The maximum tokens you requested exceeds the model limit of ${profile.maxOutputTokens}.`);
    }

    const { totalTokens, checkpoints } = checkpointsOf(request.value);
    const fault = this.drawFault(stats);
    if (fault) return fault;
    const arrival = this.simulatedNow();
    const quota = this.admit(profile, stats, arrival, totalTokens + maxTokens * profile.outputBurndown);
    if ('error' in quota) return quota.error;

    const system = textOf(request.value.system ?? []);
    const prompt = request.value.messages
      .filter((m) => m.role === 'user')
      .map((m) => textOf(m.content))
      .join('\n');
    let text = await this.write({ modelId, system, prompt, maxTokens, temperature: request.value.inferenceConfig?.temperature });
    let outputTokens = countTokens(text);
    let stopReason = 'end_turn';
    if (outputTokens > maxTokens) {
      // Like the model: stop at the limit, mid-sentence, and say so.
      text = truncateToTokens(text, maxTokens);
      outputTokens = maxTokens;
      stopReason = 'max_tokens';
      stats.maxTokensStops += 1;
    }

    const cacheable = checkpoints.filter((c) => profile.minCacheTokens > 0 && c.prefixTokens >= profile.minCacheTokens);
    // Timing is drawn before the cache is consulted (it needs to know when this request's own
    // write becomes readable); a cache read then saves its share of prompt processing.
    const timing = callTiming(profile, { uncachedInputTokens: totalTokens, outputTokens }, this.random);
    const cache = this.cache.use(modelId, cacheable, arrival, arrival + timing.firstTokenMs);
    const inputTokens = totalTokens - cache.readTokens - cache.writeTokens;
    const latencyMs = timing.totalMs - (cache.readTokens / profile.prefillTokensPerSecond) * 1000;

    const usage = {
      inputTokens,
      outputTokens,
      totalTokens: inputTokens + outputTokens + cache.readTokens + cache.writeTokens,
      cacheReadInputTokens: cache.readTokens,
      cacheWriteInputTokens: cache.writeTokens,
    };
    return this.answer(profile, stats, {
      body: converseResponseBody(text, stopReason, usage, latencyMs),
      headers: {},
      latencyMs,
      usage,
      // Cache reads do not count toward the tokens-per-minute quota (an assumption, see COST.md).
      quotaTokens: inputTokens + cache.writeTokens + outputTokens * profile.outputBurndown,
      ticket: quota.ticket,
    });
  }

  /** `POST /model/{modelId}/invoke`: Titan Text Embeddings v2 only. */
  async invoke(modelId: string, rawBody: string): Promise<Reply> {
    const profile = profileFor(this.config, modelId);
    if (!profile) return this.invalid(undefined, `The provided model identifier is invalid: ${modelId}`);
    const stats = this.statsOf(profile);
    stats.requests += 1;
    if (profile.kind !== 'titan-embed')
      return this.invalid(stats, `The simulator serves InvokeModel for Titan Text Embeddings v2 only, not ${modelId}; use Converse.`);
    const request = this.parse(TitanRequestSchema, rawBody);
    if ('error' in request) return this.invalid(stats, request.error);
    const tokens = countTokens(request.value.inputText);
    if (tokens > 8_192) return this.invalid(stats, `Too many input tokens. Max input tokens: 8192, request input token count: ${tokens}`);
    const fault = this.drawFault(stats);
    if (fault) return fault;
    const quota = this.admit(profile, stats, this.simulatedNow(), tokens);
    if ('error' in quota) return quota.error;
    const vector = featureHashEmbedding(request.value.inputText, request.value.dimensions);
    const latencyMs = callTiming(profile, { uncachedInputTokens: tokens, outputTokens: 0 }, this.random).totalMs;
    const usage = { inputTokens: tokens, outputTokens: 0, totalTokens: tokens, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 };
    return this.answer(profile, stats, {
      body: JSON.stringify({ embedding: Array.from(vector, (x) => Math.round(x * 1e7) / 1e7), inputTextTokenCount: tokens }),
      headers: {
        'x-amzn-bedrock-input-token-count': String(tokens),
        'x-amzn-bedrock-invocation-latency': String(Math.round(latencyMs)),
      },
      latencyMs,
      usage,
      quotaTokens: tokens,
      ticket: quota.ticket,
    });
  }

  private answer(
    profile: ModelProfile,
    stats: ModelStats,
    reply: {
      body: string;
      headers: Record<string, string>;
      latencyMs: number;
      usage: UsageCounts;
      quotaTokens: number;
      ticket: Parameters<QuotaWindow['settle']>[0] | undefined;
    },
  ): Reply {
    const malformed = this.random.next() < this.config.faults.malformedRate;
    if (malformed) stats.malformed += 1;
    else {
      stats.succeeded += 1;
      stats.inputTokens += reply.usage.inputTokens;
      stats.outputTokens += reply.usage.outputTokens;
      stats.cacheReadInputTokens += reply.usage.cacheReadInputTokens;
      stats.cacheWriteInputTokens += reply.usage.cacheWriteInputTokens;
      stats.simulatedLatencyMs += reply.latencyMs;
    }
    const quota = reply.ticket ? this.quotas.get(profile.name) : undefined;
    const ticket = reply.ticket;
    return {
      kind: 'ok',
      body: reply.body,
      headers: reply.headers,
      delayMs: this.config.latency === 'none' ? 0 : reply.latencyMs / this.config.speedUp,
      malformed,
      complete: () => {
        if (quota && ticket) quota.settle(ticket, reply.quotaTokens);
      },
    };
  }

  /** The fault for this request, if one is drawn. Four draws per request, always, so runs repeat. */
  private drawFault(stats: ModelStats): Reply | undefined {
    const faults = this.config.faults;
    const [throttle, serverError, timeout, which] = [this.random.next(), this.random.next(), this.random.next(), this.random.next()];
    if (throttle < faults.throttleRate) {
      stats.throttledInjected += 1;
      return { kind: 'error', type: 'ThrottlingException', message: 'Too many requests, please wait before trying again.', delayMs: 0 };
    }
    if (serverError < faults.serverErrorRate) {
      stats.serverErrors += 1;
      return which < 0.5
        ? { kind: 'error', type: 'InternalServerException', message: 'The server encountered an internal error (injected).', delayMs: 0 }
        : { kind: 'error', type: 'ServiceUnavailableException', message: 'The service is unavailable (injected).', delayMs: 0 };
    }
    if (timeout < faults.timeoutRate) {
      stats.timeouts += 1;
      if (faults.timeoutMode === 'hang') return { kind: 'hang' };
      return { kind: 'error', type: 'ModelTimeoutException', message: 'The model took too long to respond (injected).', delayMs: 0 };
    }
    return undefined;
  }

  private admit(
    profile: ModelProfile,
    stats: ModelStats,
    now: number,
    tokens: number,
  ): { ticket: Parameters<QuotaWindow['settle']>[0] | undefined } | { error: Reply } {
    if (!this.config.enforceQuotas || (profile.quota.tokensPerMinute === undefined && profile.quota.requestsPerMinute === undefined)) {
      return { ticket: undefined };
    }
    let window = this.quotas.get(profile.name);
    if (!window) {
      window = new QuotaWindow(profile.quota);
      this.quotas.set(profile.name, window);
    }
    const admission = window.admit(now, tokens);
    if (admission.admitted) return { ticket: admission.ticket };
    if (admission.limit === 'tokens') stats.throttledByTokens += 1;
    else stats.throttledByRequests += 1;
    const message =
      admission.limit === 'tokens'
        ? 'Too many tokens, please wait before trying again.'
        : 'Too many requests, please wait before trying again.';
    return { error: { kind: 'error', type: 'ThrottlingException', message, delayMs: 0 } };
  }

  private async write(request: Omit<LlmRequest, 'task'>): Promise<string> {
    const task = writerTaskOf(request.prompt);
    try {
      if (isJudgePrompt(request.prompt)) return JSON.stringify(await this.judge.judge(parseJudgePrompt(request.prompt)));
      if (task) return (await this.writer.converse({ ...request, task })).text;
      if (this.content) return (await this.content.converse({ ...request, task: 'answer' })).text;
    } catch (error) {
      // A prompt the local providers cannot read still gets an answer, as a model would give one.
      return `I could not use the material provided (${describeError(error)}).`;
    }
    return 'I can only answer from the material provided, and it does not cover this request.';
  }

  private parse<T>(
    schema: {
      safeParse(
        value: unknown,
      ): { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } };
    },
    rawBody: string,
  ): { value: T } | { error: string } {
    let json: unknown;
    try {
      json = JSON.parse(rawBody);
    } catch {
      return { error: 'Malformed input request: the body is not valid JSON, please reformat your input and try again.' };
    }
    const parsed = schema.safeParse(json);
    if (parsed.success) return { value: parsed.data };
    return { error: `Malformed input request: ${describeIssue(parsed.error, 'body')}` };
  }

  private invalid(stats: ModelStats | undefined, message: string): Reply {
    if (stats) stats.invalid += 1;
    return { kind: 'error', type: 'ValidationException', message, delayMs: 0 };
  }

  private statsOf(profile: ModelProfile): ModelStats {
    let stats = this.perModel.get(profile.name);
    if (!stats) {
      stats = emptyStats();
      this.perModel.set(profile.name, stats);
    }
    return stats;
  }
}
