/**
 * The deterministic local model (FA_LLM=local). It is grounded by construction: it reads the facts
 * and excerpts out of the prompt and writes only from them, in the varied surface forms a real model
 * uses (surface-forms.ts). Like a real model it sometimes makes a mistake (model-errors.ts: a wrong
 * figure, scale, period, line item, direction, firm, an invented event…), at a configured rate
 * decided by a hash of the prompt, so the verify → regenerate → facts-only path meets the errors
 * production meets. It tells what it planted to `onPlanted`, so a run can score its verifier.
 */
import { createHash } from 'node:crypto';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { LlmPort, LlmRequest, LlmResponse } from '../../core/ports';
import { composeBrief } from '../../core/summary/compose-brief';
import { parseWriterPrompt, mediumWordLimit } from '../../core/summary/writer-prompt';
import { bodyWords, fitToWords } from '../../core/summary/length';
import { ModelValidationError } from '../../core/errors';
import { plantRandomModelError } from './model-errors';
import type { ModelErrorKind, PlantedError } from './model-errors';
import { varySurfaceForms } from './surface-forms';
import type { Random } from './surface-forms';

export const LOCAL_MODEL_ID = 'local/grounded-writer-v1';

/** Rough token count (≈ 4 characters a token for English prose and JSON). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** A seeded stream of numbers in [0, 1): the same prompt always gets the same draws. */
function seededRandom(...parts: string[]): Random {
  const generator = xoroshiro128plus(createHash('sha256').update(parts.join('\u0000')).digest().readUInt32BE(0));
  return () => uniformFloat64(generator);
}

/** What the writer planted in one draft, with the stock and as-of date the draft was for. */
export interface PlantedDraftError extends PlantedError {
  ticker: string;
  asOf: string;
  /** True for a redraft written after the verifier's findings. */
  redraft: boolean;
}

export interface LocalGroundedLlmOptions {
  /** Share of first drafts with a planted model error. Redrafts after findings err at a fifth of this rate. */
  slipRate: number;
  /** `varied`: the surface forms a real model uses; `canonical` (default): the composer's own wording. */
  surfaceForms?: 'varied' | 'canonical';
  /** The kinds of error it may make (default: the whole taxonomy). */
  errorKinds?: readonly ModelErrorKind[];
  /** Told of every planted error (the local runtime appends them to the data dir). */
  onPlanted?: (planted: PlantedDraftError) => void;
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
    const random = seededRandom(request.prompt, request.modelId);
    const brief = composeBrief(parsed.input, 'narrative');
    // It follows the length its instructions ask for: a tighter medium brief drops whole sentences
    // (prompt v2 of the medium_writer experiment); the material and the wording stay the same.
    const mediumWords = mediumWordLimit(request.system);
    const composed =
      mediumWords !== undefined && bodyWords(brief.medium) > mediumWords
        ? { ...brief, medium: fitToWords(brief.medium, mediumWords) }
        : brief;
    let draft = this.options.surfaceForms === 'varied' ? varySurfaceForms(composed, random) : composed;
    if (random() < rate) {
      const planted = plantRandomModelError(draft, parsed.input, random, this.options.errorKinds);
      if (planted) {
        draft = planted.draft;
        this.options.onPlanted?.({ ...planted.planted, ticker: parsed.input.company.ticker, asOf: parsed.input.company.asOf, redraft });
      }
    }
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
