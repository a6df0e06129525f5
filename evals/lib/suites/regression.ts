/**
 * The regression suite: the real batch (the state machine, the handlers, dynalite, the configured
 * model) over the regression stocks at the dataset's as-of date, then every published brief judged
 * against its pinned sources (lambdas/core/evaluation/brief-checks.ts).
 */
import type { StoredSummary } from '../../../lambdas/core/model';
import type { RegressionRow } from '../../../lambdas/core/evaluation/datasets';
import { checkBrief } from '../../../lambdas/core/evaluation/brief-checks';
import { briefObservation } from '../../../lambdas/core/experiments/observations';
import { meanInterval, quantileInterval, wilson } from '../../../lambdas/core/evaluation/stats';
import type { StockMaterial } from '../build-datasets';
import type { ItemResult, Progress, SuiteRun } from './types';

export interface RegressionDeps {
  readBrief(ticker: string): Promise<StoredSummary | undefined>;
  /** The batch run's own account: wall time and failures. */
  batch: { durationMs: number; failed: number; stocks: number };
}

export async function runRegressionSuite(
  rows: readonly RegressionRow[],
  materials: Map<string, StockMaterial>,
  deps: RegressionDeps,
  progress: Progress,
): Promise<SuiteRun> {
  const items: ItemResult[] = [];
  let published = 0;
  let verified = 0;
  let numeric = 0;
  let dates = 0;
  let figureSentences = 0;
  let cited = 0;
  let citations = 0;
  let precise = 0;
  let keyFacts = 0;
  let found = 0;
  let sections = 0;
  let lengths = 0;
  let compliant = 0;
  const costs: number[] = [];
  const latencies: number[] = [];
  for (const row of rows) {
    const stored = await deps.readBrief(row.ticker);
    if (!stored || stored.asOf !== row.asOf) {
      items.push({
        id: row.id,
        pass: false,
        findings: [{ check: 'published', detail: `no brief of ${row.ticker} as of ${row.asOf} was stored` }],
      });
      continue;
    }
    published += 1;
    const check = checkBrief(row, stored, materials.get(row.id)!.snapshot);
    const isVerified = stored.status === 'verified' || stored.status === 'regenerated';
    if (isVerified) verified += 1;
    if (check.numericAccurate) numeric += 1;
    if (check.datesValid) dates += 1;
    figureSentences += check.figureSentences;
    cited += check.citedFigureSentences;
    citations += check.citations;
    precise += check.preciseCitations;
    keyFacts += check.keyFacts;
    found += check.keyFactsFound;
    if (check.sectionsComplete) sections += 1;
    if (check.lengthsWithin) lengths += 1;
    if (check.compliantLanguage) compliant += 1;
    costs.push(stored.costUsd);
    latencies.push(stored.calls.reduce((a, c) => a + c.latencyMs, 0));
    const findings = [...check.findings];
    if (!isVerified)
      findings.unshift({ check: 'verified_rate', detail: `published as ${stored.status}: the written draft failed verification twice` });
    items.push({
      id: row.id,
      pass: findings.length === 0,
      findings,
      observations: briefObservation(stored),
      arm: stored.experimentVariant,
    });
  }
  progress(`regression: ${published}/${rows.length} briefs published, ${verified} verified`);
  const n = rows.length;
  return {
    n,
    estimates: {
      published_rate: wilson(published, n),
      verified_rate: wilson(verified, n),
      numeric_accuracy: wilson(numeric, n),
      date_logic: wilson(dates, n),
      citation_coverage: wilson(cited, figureSentences),
      citation_precision: wilson(precise, citations),
      key_fact_recall: wilson(found, keyFacts),
      section_compliance: wilson(sections, n),
      length_compliance: wilson(lengths, n),
      compliance_language: wilson(compliant, n),
      cost_per_stock_usd: meanInterval(costs),
      model_latency_p95_ms: quantileInterval(latencies, 0.95),
    },
    items,
    notes: { batchSeconds: Math.round(deps.batch.durationMs / 100) / 10, batchFailed: deps.batch.failed, stocks: deps.batch.stocks },
  };
}
