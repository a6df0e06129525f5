/**
 * The datasets are versioned, reproducible and big enough: the committed files are exactly what
 * the generator makes from the seeded demo universe, with stable ids, and every error kind of the
 * taxonomy is planted. The perturbations are written without the detector: their module imports
 * nothing from the grounding or guardrail code they are scored against.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ADVERSARIAL_KINDS, datasetHash } from '../../lambdas/core/evaluation/datasets';
import { buildDatasets } from '../../evals/lib/build-datasets';
import { loadDatasets } from '../../evals/lib/dataset-files';

describe('the evaluation datasets', () => {
  it('are what npm run eval:datasets generates, byte for byte (same seed, same hash)', async () => {
    const committed = loadDatasets();
    const fresh = await buildDatasets();
    expect(datasetHash(fresh.regression)).toBe(committed.regression.hash);
    expect(datasetHash(fresh.adversarial)).toBe(committed.adversarial.hash);
    expect(datasetHash(fresh.query)).toBe(committed.query.hash);
  });

  it('hold at least 100 stocks, 200 questions, and every error kind with clean controls', () => {
    const { regression, adversarial, query } = loadDatasets();
    expect(regression.rows.length).toBeGreaterThanOrEqual(100);
    expect(query.rows.length).toBeGreaterThanOrEqual(200);
    const kinds = new Map<string, number>();
    for (const row of adversarial.rows) kinds.set(row.kind, (kinds.get(row.kind) ?? 0) + 1);
    for (const kind of ADVERSARIAL_KINDS) expect(kinds.get(kind) ?? 0, kind).toBeGreaterThanOrEqual(20);
    expect((kinds.get('clean') ?? 0) + (kinds.get('reworded') ?? 0)).toBeGreaterThanOrEqual(300);
    expect(new Set(query.rows.map((r) => r.category))).toEqual(
      new Set(['simple', 'deep', 'comparison', 'follow_up', 'out_of_scope', 'injection', 'compliance', 'pii', 'unknown_ticker']),
    );
    // Every question is about regression stocks only.
    const tickers = new Set(regression.rows.map((r) => r.ticker));
    expect(query.rows.every((r) => r.about.every((t) => tickers.has(t)))).toBe(true);
  });

  it('plant every perturbation as a real change of a verified sentence', () => {
    const { regression, adversarial } = loadDatasets();
    const byId = new Map(regression.rows.map((r) => [r.id, r]));
    for (const row of adversarial.rows) {
      const edit = row.edit;
      if (edit.op !== 'replace') continue;
      const base = byId.get(row.base)!;
      const section = base.verifiedBrief.expanded.sections.find((s) => s.section === edit.section)!;
      expect(section.sentences[edit.index]!.text).toBe(edit.before);
      expect(edit.after).not.toBe(edit.before);
    }
  });

  it('are perturbed without reading the detector', () => {
    const source = readFileSync(new URL('../../evals/lib/perturb.ts', import.meta.url), 'utf8');
    const imports = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(imports.filter((p) => /grounding|guardrails|verify/.test(p!))).toEqual([]);
  });
});
