/**
 * How the verifier did in a local run on the errors the local writer planted (it confesses them in
 * the data dir): a first draft with a planted error is caught when the stock was regenerated or fell
 * back to facts-only; a clean first draft that was sent back is a false positive.
 */
import type { StockOutcome } from '../lambdas/core/model';
import type { PlantedDraftError } from '../lambdas/adapters/llm/local-grounded-llm';

export interface DetectorScore {
  /** First drafts with a planted error, and how many the verifier sent back. */
  planted: number;
  caught: number;
  recall: number;
  byKind: Record<string, { planted: number; caught: number }>;
  /** First drafts without one, and how many the verifier sent back anyway. */
  clean: number;
  falsePositives: number;
  falsePositiveRate: number;
  /** Errors planted in a redraft that were published as written (not caught a second time). */
  publishedWithError: number;
}

export function scoreDetector(outcomes: readonly StockOutcome[], planted: readonly PlantedDraftError[], asOf: string): DetectorScore {
  const firstDraft = new Map<string, PlantedDraftError>();
  const redrafted = new Set<string>();
  for (const p of planted) {
    if (p.asOf !== asOf) continue;
    if (p.redraft) redrafted.add(p.ticker);
    else firstDraft.set(p.ticker, p);
  }
  const score: DetectorScore = {
    planted: 0,
    caught: 0,
    recall: 0,
    byKind: {},
    clean: 0,
    falsePositives: 0,
    falsePositiveRate: 0,
    publishedWithError: 0,
  };
  for (const outcome of outcomes) {
    if (outcome.skippedUnchanged || outcome.status === 'failed') continue;
    const sentBack = outcome.status === 'regenerated' || outcome.status === 'facts_only';
    const error = firstDraft.get(outcome.ticker);
    if (error) {
      const kind = (score.byKind[error.kind] ??= { planted: 0, caught: 0 });
      score.planted += 1;
      kind.planted += 1;
      if (sentBack) {
        score.caught += 1;
        kind.caught += 1;
      }
    } else {
      score.clean += 1;
      if (sentBack) score.falsePositives += 1;
    }
    if (redrafted.has(outcome.ticker) && outcome.status === 'regenerated') score.publishedWithError += 1;
  }
  score.recall = score.planted > 0 ? score.caught / score.planted : 1;
  score.falsePositiveRate = score.clean > 0 ? score.falsePositives / score.clean : 0;
  return score;
}
