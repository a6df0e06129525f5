/**
 * LlmPort over the Bedrock Converse API (FA_LLM=sim against the loopback simulator, FA_LLM=bedrock
 * against Bedrock). The adapter owns the call's I/O policy: a hard deadline per call, and provider
 * errors mapped to the named classes that Step Functions Retry blocks and the model router match on.
 * Retries with backoff are the SDK's (configure them on the client, see bedrock-client.ts).
 */
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import type {
  BedrockRuntimeClient,
  ConverseCommandInput,
  ConverseCommandOutput,
  SystemContentBlock,
} from '@aws-sdk/client-bedrock-runtime';
import type { LlmPort, LlmRequest, LlmResponse } from '../../core/ports';
import { ModelAccessError, ModelServiceError, ModelThrottledError, ModelTimeoutError, ModelValidationError } from '../../core/errors';

/** Long enough for a 4k-token summary on a busy inference profile; tasks normally set their own. */
export const DEFAULT_CONVERSE_TIMEOUT_MS = 60_000;

export interface BedrockConverseLlmOptions {
  /** Built once per module by createBedrockRuntimeClient and shared. */
  client: BedrockRuntimeClient;
  /**
   * Whether to mark the end of the system prompt with a cache point (default true). Pass false, or a
   * predicate by model id (see promptCachingFor), for models without prompt caching, which reject
   * the block.
   */
  promptCaching?: boolean | ((modelId: string) => boolean);
  /** Deadline when the request names none. */
  defaultTimeoutMs?: number;
  /** Monotonic clock in ms, for latency when the provider reports none. */
  now?: () => number;
}

/** Which kind of failure an error is, by the names and statuses Bedrock and the SDK use. */
const THROTTLED = new Set(['ThrottlingException', 'ServiceQuotaExceededException', 'TooManyRequestsException', 'TooManyRequests']);
const TIMED_OUT = new Set(['AbortError', 'TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'ModelTimeoutException']);
const INVALID = new Set(['ValidationException']);
const DENIED = new Set(['AccessDeniedException', 'ResourceNotFoundException', 'UnrecognizedClientException']);
const UNAVAILABLE = new Set(['InternalServerException', 'ServiceUnavailableException', 'ModelNotReadyException', 'ModelErrorException']);

type ModelError = ModelThrottledError | ModelTimeoutError | ModelValidationError | ModelAccessError | ModelServiceError;

function isModelError(error: unknown): error is ModelError {
  return (
    error instanceof ModelThrottledError ||
    error instanceof ModelTimeoutError ||
    error instanceof ModelValidationError ||
    error instanceof ModelAccessError ||
    error instanceof ModelServiceError
  );
}

function errorName(error: unknown): string {
  if (error instanceof Error) return error.name;
  if (typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string') return error.name;
  return 'UnknownError';
}

function httpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('$metadata' in error)) return undefined;
  const metadata = error.$metadata;
  if (typeof metadata !== 'object' || metadata === null || !('httpStatusCode' in metadata)) return undefined;
  return typeof metadata.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
}

function oneLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 300);
}

/**
 * Map anything a Bedrock runtime call threw to a named model error, keeping the original as
 * `cause`. Shared by the Converse adapter and the Titan embedder.
 *
 * @param context.modelId names the model in the message.
 * @param context.deadlineExpired true when the caller's deadline signal fired: whatever the SDK
 *   threw then (an AbortError, a socket error), the call ran out of time.
 */
export function mapBedrockError(error: unknown, context: { modelId: string; deadlineExpired?: boolean; timeoutMs?: number }): ModelError {
  if (isModelError(error)) return error;
  const name = errorName(error);
  const detail = error instanceof Error && error.message ? `${name}: ${oneLine(error.message)}` : name;
  const message = `Bedrock ${context.modelId}: ${detail}`;
  const options = { cause: error };
  if (context.deadlineExpired || TIMED_OUT.has(name)) {
    const deadline = context.deadlineExpired && context.timeoutMs !== undefined ? ` (deadline ${context.timeoutMs} ms)` : '';
    return new ModelTimeoutError(`${message}${deadline}`, options);
  }
  if (THROTTLED.has(name)) return new ModelThrottledError(message, options);
  if (INVALID.has(name)) return new ModelValidationError(message, options);
  if (DENIED.has(name)) return new ModelAccessError(message, options);
  if (UNAVAILABLE.has(name)) return new ModelServiceError(message, options);
  // Unmodelled errors: classify by HTTP status where the SDK recorded one.
  const status = httpStatus(error);
  if (status === 429) return new ModelThrottledError(message, options);
  if (status === 408) return new ModelTimeoutError(message, options);
  if (status === 401 || status === 403 || status === 404) return new ModelAccessError(message, options);
  if (status === 400 || status === 413 || status === 422) return new ModelValidationError(message, options);
  // 5xx, connection resets and anything unknown: retryable, per errors.ts.
  return new ModelServiceError(message, options);
}

/** Reject a request Bedrock would reject (or bill for) before spending a network round trip on it. */
function validate(request: LlmRequest, timeoutMs: number): void {
  const checks: Array<[ok: boolean, problem: string]> = [
    [Number.isInteger(request.maxTokens) && request.maxTokens > 0, `maxTokens must be a positive integer, got ${request.maxTokens}`],
    [
      request.temperature === undefined || (request.temperature >= 0 && request.temperature <= 1),
      `temperature must be within [0, 1], got ${request.temperature}`,
    ],
    [Number.isFinite(timeoutMs) && timeoutMs > 0, `timeoutMs must be positive, got ${timeoutMs}`],
    [request.prompt.trim() !== '', 'the prompt is empty'],
    [request.modelId.trim() !== '', 'the model id is empty'],
  ];
  const failed = checks.find(([ok]) => !ok);
  if (failed) throw new ModelValidationError(`Converse request for ${request.task}: ${failed[1]}`);
}

/** The Converse output as an LlmResponse: text blocks joined, usage with cache counts defaulted to 0. */
export function toLlmResponse(output: ConverseCommandOutput, modelId: string, measuredLatencyMs: number): LlmResponse {
  const message = output.output?.message;
  if (!message) throw new ModelServiceError(`Bedrock ${modelId}: Converse returned no message (stopReason ${output.stopReason ?? 'none'})`);
  const text = (message.content ?? []).map((block) => (typeof block.text === 'string' ? block.text : '')).join('');
  const usage = output.usage;
  return {
    text,
    modelId,
    usage: {
      inputTokens: usage?.inputTokens ?? 0,
      outputTokens: usage?.outputTokens ?? 0,
      cacheReadInputTokens: usage?.cacheReadInputTokens ?? 0,
      cacheWriteInputTokens: usage?.cacheWriteInputTokens ?? 0,
    },
    estimated: false,
    latencyMs: output.metrics?.latencyMs ?? measuredLatencyMs,
    // `max_tokens` is not an error: the caller sees it here and decides (a truncated JSON draft fails to parse).
    stopReason: output.stopReason ?? 'unknown',
  };
}

/** LlmPort over Bedrock Converse. */
export class BedrockConverseLlm implements LlmPort {
  private readonly client: BedrockRuntimeClient;
  private readonly caching: (modelId: string) => boolean;
  private readonly defaultTimeoutMs: number;
  private readonly now: () => number;

  constructor(options: BedrockConverseLlmOptions) {
    this.client = options.client;
    const caching = options.promptCaching ?? true;
    this.caching = typeof caching === 'function' ? caching : () => caching;
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_CONVERSE_TIMEOUT_MS;
    this.now = options.now ?? (() => performance.now());
  }

  /** The Converse input for a request: system text, then a cache point, then the prompt as one user message. */
  buildInput(request: LlmRequest): ConverseCommandInput {
    const system: SystemContentBlock[] = [];
    if (request.system.trim() !== '') {
      // Static instructions first, then the cache point: everything before it is the cached prefix,
      // and the per-call prompt goes in the message after it. Bedrock ignores a cache point on a
      // prefix shorter than the model's minimum (1,024–4,096 tokens), so it is safe to always send.
      system.push({ text: request.system });
      if (this.caching(request.modelId)) system.push({ cachePoint: { type: 'default' } });
    }
    return {
      modelId: request.modelId,
      ...(system.length > 0 ? { system } : {}),
      messages: [{ role: 'user', content: [{ text: request.prompt }] }],
      inferenceConfig: {
        // Always set: without it Bedrock applies the model's default, which can truncate a brief or
        // let a runaway answer bill thousands of tokens.
        maxTokens: request.maxTokens,
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      },
    };
  }

  /**
   * One Converse call with a hard deadline (`request.timeoutMs`, else the default) covering the
   * SDK's retries too.
   * @throws ModelThrottledError | ModelTimeoutError | ModelServiceError (retryable),
   *   ModelValidationError | ModelAccessError (not retryable); the provider's error is the `cause`.
   */
  async converse(request: LlmRequest): Promise<LlmResponse> {
    const timeoutMs = request.timeoutMs ?? this.defaultTimeoutMs;
    validate(request, timeoutMs);
    const command = new ConverseCommand(this.buildInput(request));
    const deadline = AbortSignal.timeout(timeoutMs);
    const started = this.now();
    let output: ConverseCommandOutput;
    try {
      output = await this.client.send(command, { abortSignal: deadline });
    } catch (error) {
      throw mapBedrockError(error, { modelId: request.modelId, deadlineExpired: deadline.aborted, timeoutMs });
    }
    return toLlmResponse(output, request.modelId, Math.max(0, this.now() - started));
  }
}
