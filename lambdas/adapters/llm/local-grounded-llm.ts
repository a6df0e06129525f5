/**
 * The deterministic local model (FA_LLM=local). It is grounded by construction: it reads the facts
 * and excerpts out of the prompt and writes only from them. Like a real model it sometimes slips on
 * a figure (a scale word or fiscal year), at a configured rate decided by a hash of the prompt, so
 * the verify → regenerate → facts-only path is exercised the way production exercises it.
 */
import { createHash } from 'node:crypto';
import type { LlmPort, LlmRequest, LlmResponse } from '../../core/ports';
import type { SummaryDraft } from '../../core/model';
import { composeBrief } from '../../core/summary/compose-brief';
import { parseWriterPrompt } from '../../core/summary/writer-prompt';
import { ModelValidationError } from '../../core/errors';

export const LOCAL_MODEL_ID = 'local/grounded-writer-v1';

/** Rough token count (≈ 4 characters a token for English prose and JSON). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** A number in [0, 1) from a hash of the parts: the same prompt always gets the same draw. */
function draw(...parts: string[]): number {
  return createHash('sha256').update(parts.join('\u0000')).digest().readUInt32BE(0) / 2 ** 32;
}

const SCALE_SWAP: Record<string, string> = { million: 'billion', billion: 'million', thousand: 'million' };

/** Introduce one plausible mistake: a wrong scale word, or else the wrong fiscal year. */
function slip(draft: SummaryDraft): SummaryDraft {
  const copy: SummaryDraft = structuredClone(draft);
  for (const { sentences } of copy.expanded.sections) {
    for (const sentence of sentences) {
      const scale = /\b(million|billion|thousand)\b/.exec(sentence.text);
      if (scale) {
        sentence.text = sentence.text.replace(scale[0], SCALE_SWAP[scale[1]!]!);
        return copy;
      }
      const year = /fiscal (\d{4})/.exec(sentence.text);
      if (year) {
        sentence.text = sentence.text.replace(year[0], `fiscal ${Number(year[1]) + 1}`);
        return copy;
      }
    }
  }
  return copy;
}

export interface LocalGroundedLlmOptions {
  /** Share of first drafts with a slip. Redrafts after findings slip at a fifth of this rate. */
  slipRate: number;
}

export class LocalGroundedLlm implements LlmPort {
  constructor(private readonly options: LocalGroundedLlmOptions) {}

  async converse(request: LlmRequest): Promise<LlmResponse> {
    const started = performance.now();
    if (request.task !== 'write_summary' && request.task !== 'regenerate_summary') {
      throw new ModelValidationError(`the local provider does not handle task ${request.task}`);
    }
    let parsed;
    try {
      parsed = parseWriterPrompt(request.prompt);
    } catch (error) {
      throw new ModelValidationError('the local provider could not read the writer prompt', { cause: error });
    }
    const redraft = parsed.findings.length > 0;
    const rate = redraft ? this.options.slipRate / 5 : this.options.slipRate;
    let draft = composeBrief(parsed.input, 'narrative');
    if (draw(request.prompt, request.modelId) < rate) draft = slip(draft);
    const text = JSON.stringify(draft);
    const systemTokens = estimateTokens(request.system);
    return {
      text,
      modelId: request.modelId,
      usage: {
        // Like Bedrock prompt caching: the static system prompt is read from cache after the first call.
        inputTokens: estimateTokens(request.prompt),
        outputTokens: Math.min(estimateTokens(text), request.maxTokens),
        cacheReadInputTokens: systemTokens,
        cacheWriteInputTokens: 0,
      },
      estimated: true,
      latencyMs: performance.now() - started,
      stopReason: 'end_turn',
    };
  }
}
