/**
 * The model steps of an answer (docs/DESIGN.md §6). Simple questions: one call on the small model (task
 * `answer`). Deep questions: specialist steps in parallel on the small model — fundamentals,
 * filings, notes and news, each reading only its own material — then a synthesis of their notes on
 * the strong model (`answer_deep`). A specialist with no material is skipped rather than paid for.
 *
 * Failures degrade instead of failing the request: a failed specialist is left out, a failed
 * synthesis falls back to the specialists' notes, and when no model answered at all the caller
 * answers 503 model_unavailable (query-service.ts). Every call is priced from the usage the provider reports.
 */
import type { LlmPort, LlmResponse } from '../ports';
import type { TokenUsage, AnswerDepth } from '../model';
import { costOfUsage } from '../cost/price-table';
import type { PriceTable } from '../cost/price-table';
import type { ModelChoice, RouteContext } from '../routing/model-router';
import { describeError } from '../errors';
import { ANSWER_SYSTEM_PROMPT, parseAnswerReply, renderAnswerPrompt, SPECIALIST_FOCUSES } from './answer-prompt';
import type { AnswerMode, SpecialistFocus, SpecialistNote } from './answer-prompt';
import type { AnswerContext } from './context';
import type { NumberedSentence } from './fact-sentences';

export type AnswerStep = 'answer' | `specialist:${SpecialistFocus}` | 'synthesis';

/** One model call of an answer, for the response's cost breakdown and the cost metrics. */
export interface QueryModelCall {
  step: AnswerStep;
  modelId: string;
  usage: TokenUsage;
  costUsd: number;
  estimated: boolean;
  latencyMs: number;
}

export interface ModelAnswerDeps {
  llm: LlmPort;
  /** The router's choice for a task; the context carries the query's remaining budget. */
  route: (task: 'answer' | 'answer_deep', context?: RouteContext) => ModelChoice;
  prices: PriceTable;
  /** Budget of one query in USD: a deep answer whose specialists spent most of it is downgraded. */
  queryBudgetUsd: number;
  now: () => number;
}

export interface ModelAnswer {
  /** The reply's sentences, with source numbers of the context; empty when no model answered. */
  sentences: NumberedSentence[];
  calls: QueryModelCall[];
  /** Wall time spent waiting on models (the critical path: parallel specialists count once). */
  llmMs: number;
  /** Degradations worth a flag: `model_unavailable`, `specialist_failed`, `synthesis_failed`, `malformed_model_output`. */
  flags: string[];
  errors: string[];
}

const FOCUS_KINDS: Record<SpecialistFocus, string[]> = {
  fundamentals: ['fundamentals', 'filings'],
  filings: ['filings'],
  notes_news: ['research', 'news'],
};

function hasMaterial(context: AnswerContext, focus: SpecialistFocus): boolean {
  if (focus === 'fundamentals') return context.facts.length > 0;
  const kinds = FOCUS_KINDS[focus];
  return (
    context.excerpts.some((e) => kinds.includes(e.kind)) ||
    context.sources.some((s) => kinds.includes(s.kind) && context.facts.some((f) => f.sources.includes(s.n)))
  );
}

async function call(
  deps: ModelAnswerDeps,
  step: AnswerStep,
  task: 'answer' | 'answer_deep',
  context: AnswerContext,
  mode: AnswerMode,
  extra: { focus?: SpecialistFocus; notes?: SpecialistNote[]; spentUsd?: number },
): Promise<{ response: LlmResponse; record: QueryModelCall }> {
  const choice = deps.route(task, { budgetRemainingUsd: deps.queryBudgetUsd - (extra.spentUsd ?? 0) });
  const response = await deps.llm.converse({
    task: choice.requestTask,
    modelId: choice.modelId,
    system: ANSWER_SYSTEM_PROMPT,
    prompt: renderAnswerPrompt(context, { mode, focus: extra.focus, notes: extra.notes }),
    maxTokens: choice.maxTokens,
    timeoutMs: choice.timeoutMs,
    ...(choice.temperature !== undefined ? { temperature: choice.temperature } : {}),
  });
  return {
    response,
    record: {
      step,
      modelId: response.modelId,
      usage: response.usage,
      costUsd: costOfUsage(deps.prices, response.modelId, response.usage),
      estimated: response.estimated,
      latencyMs: response.latencyMs,
    },
  };
}

function sentencesOf(response: LlmResponse, flags: Set<string>): NumberedSentence[] {
  const parsed = parseAnswerReply(response.text);
  if ('error' in parsed) {
    flags.add('malformed_model_output');
    return [];
  }
  return parsed.reply.sentences.map((s) => ({ text: s.text.trim(), sources: [...new Set(s.sources)] }));
}

/** Run the model steps for `depth` over `context`. Never throws for a model failure. */
export async function answerWithModels(context: AnswerContext, depth: AnswerDepth, deps: ModelAnswerDeps): Promise<ModelAnswer> {
  const calls: QueryModelCall[] = [];
  const flags = new Set<string>();
  const errors: string[] = [];
  const started = deps.now();

  if (depth === 'simple') {
    try {
      const { response, record } = await call(deps, 'answer', 'answer', context, 'simple', {});
      calls.push(record);
      return { sentences: sentencesOf(response, flags), calls, llmMs: deps.now() - started, flags: [...flags], errors };
    } catch (error) {
      errors.push(describeError(error));
      return { sentences: [], calls, llmMs: deps.now() - started, flags: ['model_unavailable'], errors };
    }
  }

  const focuses = SPECIALIST_FOCUSES.filter((focus) => hasMaterial(context, focus));
  const results = await Promise.all(
    focuses.map(async (focus) => {
      try {
        const { response, record } = await call(deps, `specialist:${focus}`, 'answer', context, 'specialist', { focus });
        calls.push(record);
        return { focus, sentences: sentencesOf(response, flags) };
      } catch (error) {
        errors.push(describeError(error));
        flags.add('specialist_failed');
        return { focus, sentences: [] };
      }
    }),
  );
  const notes: SpecialistNote[] = results.filter((r) => r.sentences.length > 0).map((r) => ({ focus: r.focus, sentences: r.sentences }));
  if (notes.length === 0) {
    if (!flags.has('malformed_model_output')) flags.add('model_unavailable');
    return { sentences: [], calls, llmMs: deps.now() - started, flags: [...flags], errors };
  }
  const spentUsd = calls.reduce((sum, c) => sum + c.costUsd, 0);
  try {
    const { response, record } = await call(deps, 'synthesis', 'answer_deep', context, 'synthesis', { notes, spentUsd });
    calls.push(record);
    const sentences = sentencesOf(response, flags);
    if (sentences.length > 0) return { sentences, calls, llmMs: deps.now() - started, flags: [...flags], errors };
  } catch (error) {
    errors.push(describeError(error));
  }
  flags.add('synthesis_failed');
  return { sentences: notes.flatMap((n) => n.sentences), calls, llmMs: deps.now() - started, flags: [...flags], errors };
}
