/**
 * The grounding detector on the local writer's own mistakes: over the first stocks of the demo
 * universe, correct briefs in a real model's varied surface forms pass (false positives ≤ 5 %) and
 * every kind of planted model error is caught (recall ≥ 95 % per kind). `npm run bench:planted`
 * measures the same over the whole universe.
 */
import { describe, expect, it } from 'vitest';
import { verifyBrief } from '../../../lambdas/core/pipeline/write-and-verify';
import { MODEL_ERROR_KINDS } from '../../../lambdas/adapters/llm/model-errors';
import { scorePlantedErrors } from '../../../bench/planted-errors-harness';
import type { PlantedErrorScore } from '../../../bench/planted-errors-harness';

describe('the batch verifier on planted model errors', () => {
  let score: PlantedErrorScore;

  it('passes correct drafts in varied surface forms (false positives at most 5%)', async () => {
    score = await scorePlantedErrors({ stocks: 60, asOf: '2026-11-23', verify: verifyBrief });
    expect(score.stocks).toBe(60);
    expect(score.clean.falsePositiveRate, score.clean.examples.join('\n')).toBeLessThanOrEqual(0.05);
  }, 60_000);

  it.each(MODEL_ERROR_KINDS)('catches at least 95%% of planted %s errors', (kind) => {
    const k = score.kinds[kind];
    // Source conflicts are rare in the demo universe: a kind that never applies has nothing to catch.
    if (k.planted === 0) return;
    expect(k.recall, k.missed.map((m) => m.after).join('\n')).toBeGreaterThanOrEqual(0.95);
  });
});
