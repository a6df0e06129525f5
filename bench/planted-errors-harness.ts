/**
 * How well a verifier does on the local writer's planted errors over the demo universe: for each
 * stock, the correct brief in varied surface forms (a false positive if it fails), and one copy per
 * error kind of the taxonomy (caught if it fails). The verifier is a parameter, so two can be
 * compared on the same drafts.
 */
import type { FactSnapshot, SummaryDraft, VerificationResult } from '../lambdas/core/model';
import { gatherSources } from '../lambdas/core/pipeline/process-stock';
import { buildFactSnapshot } from '../lambdas/core/facts/normalise';
import { briefInputFrom } from '../lambdas/core/summary/brief-input';
import type { BriefInput } from '../lambdas/core/summary/brief-input';
import { composeBrief } from '../lambdas/core/summary/compose-brief';
import { createDemoSources } from '../lambdas/adapters/sources/demo';
import { extractMetrics } from '../lambdas/adapters/sources/edgar/companyfacts';
import { MODEL_ERROR_KINDS, plantModelError } from '../lambdas/adapters/llm/model-errors';
import type { ModelErrorKind, PlantedError } from '../lambdas/adapters/llm/model-errors';
import { varySurfaceForms } from '../lambdas/adapters/llm/surface-forms';
import { seededRandom } from '../local/bedrock-sim/random';

export type Verifier = (draft: SummaryDraft, snapshot: FactSnapshot, input: BriefInput) => VerificationResult;

export interface KindScore {
  planted: number;
  caught: number;
  recall: number;
  /** A few planted errors the verifier passed, for reading. */
  missed: PlantedError[];
}

export interface PlantedErrorScore {
  stocks: number;
  clean: { drafts: number; flagged: number; falsePositiveRate: number; examples: string[] };
  kinds: Record<ModelErrorKind, KindScore>;
  recall: number;
}

export async function scorePlantedErrors(options: { stocks: number; asOf: string; verify: Verifier }): Promise<PlantedErrorScore> {
  const sources = createDemoSources({});
  const companies = (await sources.universe.list()).slice(0, options.stocks);
  const kinds = Object.fromEntries(
    MODEL_ERROR_KINDS.map((k) => [k, { planted: 0, caught: 0, recall: 0, missed: [] as PlantedError[] }]),
  ) as Record<ModelErrorKind, KindScore>;
  const clean = { drafts: 0, flagged: 0, falsePositiveRate: 0, examples: [] as string[] };
  for (const [n, company] of companies.entries()) {
    const bundle = await gatherSources(company, options.asOf, sources);
    const metrics = bundle.companyFacts
      ? extractMetrics(bundle.companyFacts, { asOf: options.asOf, fiscalYearEndMonth: company.fiscalYearEndMonth })
      : [];
    const snapshot = buildFactSnapshot(bundle, metrics);
    const input = briefInputFrom(snapshot, bundle);
    const stream = seededRandom(n * 7919 + 17);
    const draw = () => stream.next();
    const draft = varySurfaceForms(composeBrief(input, 'narrative'), draw);
    const verdict = options.verify(draft, snapshot, input);
    clean.drafts += 1;
    if (!verdict.passed) {
      clean.flagged += 1;
      if (clean.examples.length < 8)
        clean.examples.push(`${company.ticker}: ${verdict.findings[0]!.kind}: ${verdict.findings[0]!.sentence}`);
    }
    for (const kind of MODEL_ERROR_KINDS) {
      const planted = plantModelError(draft, input, kind, draw);
      if (!planted) continue;
      const score = kinds[kind];
      score.planted += 1;
      if (!options.verify(planted.draft, snapshot, input).passed) score.caught += 1;
      else if (score.missed.length < 3) score.missed.push(planted.planted);
    }
  }
  let planted = 0;
  let caught = 0;
  for (const score of Object.values(kinds)) {
    score.recall = score.planted > 0 ? score.caught / score.planted : 0;
    planted += score.planted;
    caught += score.caught;
  }
  clean.falsePositiveRate = clean.drafts > 0 ? clean.flagged / clean.drafts : 0;
  return { stocks: companies.length, clean, kinds, recall: planted > 0 ? caught / planted : 0 };
}
