/**
 * The query path removes each kind of model error from an answer: the local answer model's reply
 * gets one sentence edited the way a real model errs (the batch writer's taxonomy), and the output
 * guardrails must take that sentence out and flag the answer.
 */
import { describe, expect, it } from 'vitest';
import type { LlmPort } from '../../../lambdas/core/ports';
import type { BriefInput } from '../../../lambdas/core/summary/brief-input';
import { LocalAnswerLlm } from '../../../lambdas/adapters/llm/local-answer-llm';
import { editSentence, MODEL_ERROR_KINDS } from '../../../lambdas/adapters/llm/model-errors';
import type { ModelErrorKind } from '../../../lambdas/adapters/llm/model-errors';
import { answerQuery } from '../../../lambdas/core/query/query-service';
import { COMPANIES, testQueryDeps } from '../../integration/query-fixtures';

type EditedKind = Exclude<ModelErrorKind, 'invented_event' | 'conflict_loser'>;

/** Questions whose answers hold a sentence of every kind between them. */
const QUESTIONS = [
  'What was KQRV revenue last quarter?',
  'How did KQRV do in fiscal 2025?',
  'What do analysts say about KQRV?',
  'What are KQRV consensus estimates?',
  'Give me a deep dive on KQRV valuation and results',
];

const input = {
  company: { ticker: 'KQRV', name: COMPANIES[0]!.name, sector: '', asOf: '' },
  conflicts: [],
  excerpts: [],
  facts: [],
  documents: [],
  gaps: [],
} as unknown as BriefInput;

/** The same kinds in the answer model's own wording, where the brief writer's edit finds nothing. */
const ANSWER_EDITS: Partial<Record<EditedKind, [RegExp, string]>> = {
  wrong_line_item: [/ reported revenue of /, ' reported operating income of '],
  loss_as_profit: [/ reported net income of /, ' reported a net loss of '],
  annual_as_quarter: [/ for fiscal (\d{4})\.$/, ' for the fourth quarter of fiscal $1.'],
  swapped_ticker: [/^Kelorix Instruments /, 'Kelorix Instruments (KQVR) '],
  unsupported_superlative: [/ reported revenue of /, ' reported record revenue of '],
};

function edit(kind: EditedKind, text: string): string | undefined {
  const own = editSentence(kind, text, input, () => 0.3);
  if (own) return own;
  const fallback = ANSWER_EDITS[kind];
  if (!fallback || !fallback[0].test(text)) return undefined;
  return text.replace(fallback[0], fallback[1]);
}

/** The local answer model, with the first sentence that admits `kind` edited (once per reply). */
function erring(kind: EditedKind | 'invented_event', planted: string[]): LlmPort {
  const honest = new LocalAnswerLlm();
  return {
    converse: async (request) => {
      const response = await honest.converse(request);
      const reply = JSON.parse(response.text) as { sentences: Array<{ text: string; sources: number[] }> };
      if (kind === 'invented_event') {
        const text = 'Kelorix announced a $2.0 billion share buyback.';
        reply.sentences.push({ text, sources: reply.sentences[0]?.sources ?? [1] });
        planted.push(text);
      } else {
        for (const sentence of reply.sentences) {
          const after = edit(kind, sentence.text);
          if (after) {
            planted.push(after);
            sentence.text = after;
            break;
          }
        }
      }
      return { ...response, text: JSON.stringify(reply) };
    },
  };
}

const KINDS = MODEL_ERROR_KINDS.filter((k): k is EditedKind | 'invented_event' => k !== 'conflict_loser');

describe('the query path on model errors', () => {
  it.each(KINDS)('removes a sentence with a %s error and flags the answer', async (kind) => {
    let removed = 0;
    let plantedCount = 0;
    for (const question of QUESTIONS) {
      const planted: string[] = [];
      const outcome = await answerQuery('fa-errors', { question, depth: 'simple' }, await testQueryDeps({ llm: erring(kind, planted) }));
      if (outcome.kind !== 'answered' || planted.length === 0) continue;
      plantedCount += planted.length;
      const kept = new Set(outcome.answer.sentences.map((s) => s.text));
      // Taken out, and counted as taken out (not merely lost on the way).
      if (planted.every((text) => !kept.has(text)) && outcome.answer.guardrails.output.removedSentences >= planted.length)
        removed += planted.length;
    }
    expect(plantedCount, `no answer admitted a ${kind} error`).toBeGreaterThan(0);
    expect(removed).toBe(plantedCount);
  });
});
