/**
 * The adversarial suite: each row's edit applied to its stock's verified brief, and the edited
 * brief put to the batch's verifier (`verifyDraftGrounding`, exactly as write-and-verify calls it).
 * Recall per error kind on the perturbed rows, false positives on the clean controls, all with
 * Wilson intervals. Nothing here knows what the verifier looks for.
 */
import type { FactSnapshot, SummaryDraft, VerificationResult } from '../../../lambdas/core/model';
import { ConfigError } from '../../../lambdas/core/errors';
import { ADVERSARIAL_KINDS } from '../../../lambdas/core/evaluation/datasets';
import type { AdversarialRow, Edit, RegressionRow } from '../../../lambdas/core/evaluation/datasets';
import { wilson } from '../../../lambdas/core/evaluation/stats';
import type { ItemResult, Progress, SuiteRun } from './types';

export type DraftVerifier = (draft: SummaryDraft, snapshot: FactSnapshot) => VerificationResult;

/** The brief with one edit applied to its expanded length. @throws ConfigError when the row does not fit its base. */
export function applyEdit(brief: SummaryDraft, edit: Edit, rowId: string): SummaryDraft {
  const draft = structuredClone(brief);
  if (edit.op === 'none') return draft;
  const section = draft.expanded.sections.find((s) => s.section === edit.section);
  if (!section) throw new ConfigError(`${rowId}: its base brief has no ${edit.section} section`);
  if (edit.op === 'append') {
    section.sentences.push({ text: edit.after, citations: edit.citations });
    return draft;
  }
  const sentence = section.sentences[edit.index];
  if (!sentence || sentence.text !== edit.before)
    throw new ConfigError(`${rowId}: its edit no longer fits the verified brief (regenerate the datasets)`);
  sentence.text = edit.after;
  return draft;
}

export function runAdversarialSuite(
  rows: readonly AdversarialRow[],
  bases: Map<string, { row: RegressionRow; snapshot: FactSnapshot }>,
  verify: DraftVerifier,
  progress: Progress,
): SuiteRun {
  const started = performance.now();
  const caught = new Map<string, { n: number; k: number }>();
  let controls = 0;
  let falsePositives = 0;
  const items: ItemResult[] = [];
  for (const row of rows) {
    const base = bases.get(row.base);
    if (!base) continue; // its stock is outside this run's slice
    const draft = applyEdit(base.row.verifiedBrief, row.edit, row.id);
    const verdict = verify(draft, base.snapshot);
    const flagged = !verdict.passed;
    if (row.hallucinated) {
      const tally = caught.get(row.kind) ?? { n: 0, k: 0 };
      tally.n += 1;
      if (flagged) tally.k += 1;
      caught.set(row.kind, tally);
      const after = row.edit.op === 'none' ? '' : row.edit.after;
      items.push({
        id: row.id,
        pass: flagged,
        findings: flagged ? [] : [{ check: `recall.${row.kind}`, detail: `not flagged: "${after}"` }],
      });
    } else {
      controls += 1;
      if (flagged) falsePositives += 1;
      const first = verdict.findings[0];
      items.push({
        id: row.id,
        pass: !flagged,
        findings: flagged
          ? [
              {
                check: 'false_positive_rate',
                detail: `clean text flagged: ${first ? `${first.kind}: "${first.sentence}": ${first.detail}` : 'no finding given'}`,
              },
            ]
          : [],
      });
    }
  }
  const estimates: SuiteRun['estimates'] = {};
  let planted = 0;
  let hits = 0;
  for (const kind of ADVERSARIAL_KINDS) {
    const tally = caught.get(kind) ?? { n: 0, k: 0 };
    estimates[`recall.${kind}`] = wilson(tally.k, tally.n);
    planted += tally.n;
    hits += tally.k;
  }
  estimates.recall = wilson(hits, planted);
  estimates.false_positive_rate = wilson(falsePositives, controls);
  progress(`adversarial: caught ${hits}/${planted} planted errors, flagged ${falsePositives}/${controls} clean controls`);
  return { n: items.length, estimates, items, notes: { seconds: Math.round((performance.now() - started) / 100) / 10, controls, planted } };
}
