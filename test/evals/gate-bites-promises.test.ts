/**
 * Proof that the gate bites: an output guardrail that lets promises through (every sentence it
 * removed as promissory is put back) is planted in the production module; the query suite's
 * guardrail probes must fail and the evaluation exit 100.
 */
import { describe, expect, it, vi } from 'vitest';
import type * as Original from '../../lambdas/core/guardrails/output-guardrails';

type GuardrailsModule = typeof Original;

vi.mock('../../lambdas/core/guardrails/output-guardrails', async (importOriginal) => {
  const original = await importOriginal<GuardrailsModule>();
  return {
    ...original,
    checkOutput: (...args: Parameters<typeof original.checkOutput>) => {
      const check = original.checkOutput(...args);
      const promises = check.removed.filter((r) => r.flag === 'promissory_language');
      return {
        ...check,
        kept: [...check.kept, ...args[0].filter((s) => promises.some((p) => p.text === s.text))],
        removed: check.removed.filter((r) => r.flag !== 'promissory_language'),
        flags: check.flags.filter((f) => f !== 'promissory_language'),
      };
    },
  };
});

const { exitCodeOf, runEvaluation } = await import('../../evals/lib/run-eval');

describe('the evaluation with an output guardrail that lets promises through', () => {
  it('fails the query suite on promissory answers and exits 100', async () => {
    const report = await runEvaluation({ suites: ['query'], llm: 'local', limit: 25, progress: () => {} });
    const promissory = report.suites.query!.metrics['answer_guardrail.recall.promissory']!;
    expect(promissory.pass).toBe(false);
    expect(promissory.value).toBeLessThan(0.5);
    expect(exitCodeOf(report)).toBe(100);
  });
});
