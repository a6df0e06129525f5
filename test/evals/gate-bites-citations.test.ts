/**
 * Proof that the gate bites: the brief writer is made to drop every citation (as a writer prompt
 * without the citation rule makes a model do), and the regression suite — the real batch on
 * dynalite — must fail and the evaluation exit 100.
 */
import { describe, expect, it, vi } from 'vitest';
import type * as Original from '../../lambdas/adapters/llm/local-grounded-llm';

type WriterModule = typeof Original;

vi.mock('../../lambdas/adapters/llm/local-grounded-llm', async (importOriginal) => {
  const original = await importOriginal<WriterModule>();
  class CitationlessWriter extends original.LocalGroundedLlm {
    override async converse(request: Parameters<InstanceType<typeof original.LocalGroundedLlm>['converse']>[0]) {
      const response = await super.converse(request);
      const draft = JSON.parse(response.text) as Record<string, { sections: Array<{ sentences: Array<{ citations: string[] }> }> }>;
      for (const body of Object.values(draft)) for (const section of body.sections) for (const s of section.sentences) s.citations = [];
      return { ...response, text: JSON.stringify(draft) };
    }
  }
  return { ...original, LocalGroundedLlm: CitationlessWriter };
});

const { exitCodeOf, runEvaluation } = await import('../../evals/lib/run-eval');

describe('the evaluation with a writer that drops citations', () => {
  it('fails the regression suite and exits 100', async () => {
    const report = await runEvaluation({ suites: ['regression'], llm: 'local', limit: 10, progress: () => {} });
    const verified = report.suites.regression!.metrics.verified_rate!;
    expect(verified.pass).toBe(false);
    expect(verified.value).toBe(0);
    expect(report.suites.regression!.failing[0]!.findings[0]!.detail).toMatch(/published as facts_only/);
    expect(exitCodeOf(report)).toBe(100);
  });
});
