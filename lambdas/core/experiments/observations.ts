/**
 * What one unit contributes to the experiment metrics (config/ab_tests.yaml): a stored brief in the
 * batch, an answer on the query path. One definition, used where the observation is recorded and by
 * the evaluation suite, so the pre-launch check pairs the very numbers the live experiment counts.
 */
import type { StoredSummary } from '../model';
import { bodyWords } from '../summary/length';

export function briefObservation(brief: Pick<StoredSummary, 'status' | 'summary' | 'costUsd'>): Record<string, number> {
  return {
    // Verified at the first draft: a regenerated brief needed a second.
    fact_check_pass_rate: brief.status === 'verified' ? 1 : 0,
    facts_only_rate: brief.status === 'facts_only' ? 1 : 0,
    medium_words: bodyWords(brief.summary.medium),
    cost_usd: brief.costUsd,
  };
}

export function answerObservation(answer: { hallucinationFlagged: boolean; costUsd: number }): Record<string, number> {
  return { answer_flagged_rate: answer.hallucinationFlagged ? 1 : 0, answer_cost_usd: answer.costUsd };
}
