/**
 * Proof that the gate bites: a verifier that ignores scale (it drops every finding about a scale
 * word) is planted in the production grounding module, and the evaluation must exit 100.
 */
import { describe, expect, it, vi } from 'vitest';
import type * as Original from '../../lambdas/core/grounding';

type GroundingModule = typeof Original;

vi.mock('../../lambdas/core/grounding', async (importOriginal) => {
  const original = await importOriginal<GroundingModule>();
  return {
    ...original,
    verifyDraftGrounding: (...args: Parameters<typeof original.verifyDraftGrounding>) => {
      const result = original.verifyDraftGrounding(...args);
      const findings = result.findings.filter((f) => f.kind !== 'wrong_scale' && f.grounding !== 'wrong_scale' && !/scale/i.test(f.detail));
      return { ...result, findings, passed: findings.length === 0 };
    },
  };
});

const { exitCodeOf, runEvaluation } = await import('../../evals/lib/run-eval');

describe('the evaluation with a verifier that ignores scale', () => {
  it('fails the adversarial suite on scale errors and exits 100', async () => {
    const report = await runEvaluation({ suites: ['adversarial'], llm: 'local', limit: 25, progress: () => {} });
    const scale = report.suites.adversarial!.metrics['recall.wrong_scale']!;
    expect(scale.pass).toBe(false);
    expect(scale.value).toBeLessThan(0.95);
    expect(report.suites.adversarial!.failing.some((i) => i.id.startsWith('adv-wrong_scale-'))).toBe(true);
    expect(exitCodeOf(report)).toBe(100);
  });
});
