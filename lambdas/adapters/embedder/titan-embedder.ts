/**
 * Amazon Titan Text Embeddings v2 behind `EmbedderPort`. Titan v2 takes one text per InvokeModel
 * call, so a batch becomes parallel calls with bounded concurrency (enough to hide latency, few
 * enough not to trip the account's requests-per-minute quota on their own). Each call has a hard
 * deadline that aborts the HTTP request, and every failure leaves as a named model error (the
 * mapping shared with the Converse adapter) so Step Functions and the model router can tell
 * retryable ones from permanent ones.
 *
 * The client is injected: create it once per module (with `NodeHttpHandler` when it targets the
 * HTTP/1.1 simulator, see docs/DESIGN.md §2) and share it with the Converse adapter.
 */
import { InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { z } from 'zod';
import type { EmbedderPort, EmbeddingResult } from '../../core/ports';
import { ConfigError, ModelServiceError, ModelTimeoutError, ModelValidationError } from '../../core/errors';
import { mapBedrockError } from '../llm/bedrock-converse';
import { describeIssue } from '../../core/validation';

export const TITAN_EMBED_V2_MODEL_ID = 'amazon.titan-embed-text-v2:0';
/** The output sizes Titan v2 supports. */
export const TITAN_V2_DIMENSIONS = [256, 512, 1024] as const;
export type TitanV2Dimensions = (typeof TITAN_V2_DIMENSIONS)[number];

export interface TitanEmbedderOptions {
  client: Pick<BedrockRuntimeClient, 'send'>;
  /** Default `amazon.titan-embed-text-v2:0`. The request body is Titan v2's, whatever the id. */
  modelId?: string;
  /** 256, 512 or 1024. Default 256: retrieval within one stock's documents loses little, storage shrinks 4×. */
  dimensions?: number;
  /** Calls in flight at once. Default 8. */
  concurrency?: number;
  /** Hard deadline per call (SDK retries included), in milliseconds. Default 10,000. */
  timeoutMs?: number;
}

const TitanResponseSchema = z.object({
  embedding: z.array(z.number()),
  inputTextTokenCount: z.number().int().nonnegative(),
});

function isTitanDimensions(value: number): value is TitanV2Dimensions {
  return TITAN_V2_DIMENSIONS.some((d) => d === value);
}

/** Runs `work` over `items` with at most `limit` in flight; the first failure stops new work and is thrown. */
async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const index = next;
      next += 1;
      try {
        results[index] = await work(items[index]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
  return results;
}

export class TitanEmbedder implements EmbedderPort {
  readonly modelId: string;
  readonly dimensions: TitanV2Dimensions;
  private readonly client: Pick<BedrockRuntimeClient, 'send'>;
  private readonly concurrency: number;
  private readonly timeoutMs: number;

  /** @throws ConfigError on unsupported dimensions or a non-positive concurrency or timeout. */
  constructor(options: TitanEmbedderOptions) {
    const dimensions = options.dimensions ?? 256;
    if (!isTitanDimensions(dimensions)) {
      throw new ConfigError(`Titan v2 embeddings support ${TITAN_V2_DIMENSIONS.join(', ')} dimensions, not ${dimensions}`);
    }
    this.dimensions = dimensions;
    this.client = options.client;
    this.modelId = options.modelId ?? TITAN_EMBED_V2_MODEL_ID;
    this.concurrency = options.concurrency ?? 8;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) {
      throw new ConfigError(`embedding concurrency must be a positive integer, not ${this.concurrency}`);
    }
    if (!(this.timeoutMs > 0)) throw new ConfigError(`embedding timeout must be positive, not ${this.timeoutMs}`);
  }

  /**
   * One vector per text, in order, with Titan's own token counts.
   *
   * @throws ModelThrottledError | ModelTimeoutError | ModelServiceError (retryable),
   *   ModelValidationError | ModelAccessError (not retryable). The first failure is thrown once the
   *   calls already in flight have settled; no new calls start after it.
   */
  async embed(texts: string[]): Promise<EmbeddingResult> {
    const results = await mapBounded(texts, this.concurrency, (text) => this.embedOne(text));
    return {
      vectors: results.map((r) => r.vector),
      inputTokens: results.reduce((sum, r) => sum + r.tokens, 0),
      estimated: false,
    };
  }

  private async embedOne(text: string): Promise<{ vector: Float32Array; tokens: number }> {
    const context = `${this.modelId} invoke`;
    // Titan rejects empty input with a ValidationException; say so without spending a call.
    if (text.trim() === '') throw new ModelValidationError(`${context}: input text is empty`);
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    let deadlineExpired = false;
    // The race guarantees the deadline even if a handler ignored the abort signal.
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        deadlineExpired = true;
        controller.abort();
        reject(new ModelTimeoutError(`${context} passed its ${this.timeoutMs} ms deadline`));
      }, this.timeoutMs);
    });
    let body: Uint8Array | undefined;
    try {
      const command = new InvokeModelCommand({
        modelId: this.modelId,
        contentType: 'application/json',
        accept: 'application/json',
        body: JSON.stringify({ inputText: text, dimensions: this.dimensions, normalize: true }),
      });
      const response = await Promise.race([this.client.send(command, { abortSignal: controller.signal }), deadline]);
      body = response.body;
    } catch (error) {
      throw mapBedrockError(error, { modelId: this.modelId, deadlineExpired, timeoutMs: this.timeoutMs });
    } finally {
      clearTimeout(timer);
    }
    return this.parse(body, context);
  }

  private parse(body: Uint8Array | undefined, context: string): { vector: Float32Array; tokens: number } {
    if (body === undefined) throw new ModelServiceError(`${context} returned no body`);
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(body));
    } catch (error) {
      throw new ModelServiceError(`${context} returned a body that is not JSON`, { cause: error });
    }
    const parsed = TitanResponseSchema.safeParse(json);
    if (!parsed.success) {
      throw new ModelServiceError(`${context} returned an unexpected body at ${describeIssue(parsed.error)}`);
    }
    if (parsed.data.embedding.length !== this.dimensions) {
      throw new ModelServiceError(`${context} returned ${parsed.data.embedding.length} dimensions, expected ${this.dimensions}`);
    }
    return { vector: Float32Array.from(parsed.data.embedding), tokens: parsed.data.inputTextTokenCount };
  }
}
