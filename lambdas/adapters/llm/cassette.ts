/**
 * A cassette of model responses, so an evaluation against Bedrock can be replayed offline in CI:
 * `record` passes every call through and stores the response under the hash of its request;
 * `replay` answers every call from the file and fails, naming the hash, on a request it never saw
 * (a prompt or model change must be recorded again, never answered by a guess). Embeddings are
 * recorded the same way, so replay needs no Bedrock at all.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import type { EmbedderPort, EmbeddingResult, LlmPort, LlmRequest, LlmResponse } from '../../core/ports';
import { ConfigError } from '../../core/errors';

export type CassetteMode = 'record' | 'replay';

const CassetteSchema = z.strictObject({
  version: z.literal(1),
  llm: z.record(z.string(), z.unknown()),
  embeddings: z.record(z.string(), z.array(z.number())),
});
type CassetteFile = z.infer<typeof CassetteSchema>;

/** The key of one model call: what the model sees and how it is asked, not its deadline. */
export function requestHash(request: LlmRequest): string {
  const { task, modelId, system, prompt, maxTokens, temperature } = request;
  return createHash('sha256')
    .update(JSON.stringify([task, modelId, system, prompt, maxTokens, temperature ?? null]))
    .digest('hex');
}

const embeddingHash = (modelId: string, text: string) => createHash('sha256').update(`${modelId}\u0000${text}`).digest('hex');

export class Cassette {
  private readonly data: CassetteFile;

  constructor(
    readonly file: string,
    readonly mode: CassetteMode,
  ) {
    if (!existsSync(file)) {
      if (mode === 'replay') throw new ConfigError(`no recorded model responses at ${file}: run the evaluation with --record first`);
      this.data = { version: 1, llm: {}, embeddings: {} };
      return;
    }
    const parsed = CassetteSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) throw new ConfigError(`${file} is not a model-response cassette`);
    this.data = parsed.data;
  }

  /** Wrap a model: record passes through and stores; replay answers from the file. */
  llm(inner: LlmPort): LlmPort {
    return {
      converse: async (request: LlmRequest): Promise<LlmResponse> => {
        const key = requestHash(request);
        if (this.mode === 'replay') {
          const recorded = this.data.llm[key] as LlmResponse | undefined;
          if (!recorded)
            throw new ConfigError(
              `the cassette ${this.file} has no response for ${request.task} request ${key.slice(0, 12)} (record again)`,
            );
          return recorded;
        }
        const response = await inner.converse(request);
        this.data.llm[key] = response;
        this.save();
        return response;
      },
    };
  }

  embedder(inner: EmbedderPort): EmbedderPort {
    const embed = async (texts: string[]): Promise<EmbeddingResult> => {
      const keys = texts.map((t) => embeddingHash(inner.modelId, t));
      if (this.mode === 'replay') {
        const vectors = keys.map((k, i) => {
          const v = this.data.embeddings[k];
          if (!v) throw new ConfigError(`the cassette ${this.file} has no embedding for text ${i} (${k.slice(0, 12)}; record again)`);
          return Float32Array.from(v);
        });
        return { vectors, inputTokens: texts.reduce((a, t) => a + Math.ceil(t.length / 4), 0), estimated: true };
      }
      const result = await inner.embed(texts);
      result.vectors.forEach((v, i) => (this.data.embeddings[keys[i]!] = Array.from(v)));
      this.save();
      return result;
    };
    return { modelId: inner.modelId, dimensions: inner.dimensions, embed };
  }

  private save(): void {
    writeFileSync(this.file, JSON.stringify(this.data));
  }
}
