/**
 * The pre-launch check of `npm run ab -- simulate`, until the evaluation suite (`npm run eval`) can
 * be run through both arms: the demo universe's first stocks through the real pipeline core
 * (gather → normalise → write → verify, with the local grounded writer and the model router), once
 * per arm on the same material, nothing stored. Each stock gives one pair per metric.
 */
import { createDemoSources } from '../../lambdas/adapters/sources/demo/index';
import { extractMetrics } from '../../lambdas/adapters/sources/edgar/companyfacts';
import { LocalGroundedLlm } from '../../lambdas/adapters/llm/local-grounded-llm';
import { loadModelConfig } from '../../lambdas/adapters/llm/model-config';
import { loadPriceTable } from '../../lambdas/adapters/price-table-file';
import { buildFactSnapshot, sourceHashOf } from '../../lambdas/core/facts/normalise';
import { gatherSources } from '../../lambdas/core/pipeline/process-stock';
import { writeAndVerify } from '../../lambdas/core/pipeline/write-and-verify';
import { ModelRouter } from '../../lambdas/core/routing/model-router';
import { briefInputFrom } from '../../lambdas/core/summary/brief-input';
import { bodyWords } from '../../lambdas/core/summary/length';
import type { Experiment } from '../../lambdas/core/experiments/definitions';
import { prelaunchCheck } from '../../lambdas/core/experiments/paired';
import type { PrelaunchCheck } from '../../lambdas/core/experiments/paired';
import type { IsoDate } from '../../lambdas/core/model';

export interface SimulateOptions {
  stocks: number;
  asOf: IsoDate;
  slipRate: number;
  onProgress?: (done: number, total: number) => void;
}

export async function simulateArms(experiment: Experiment, options: SimulateOptions): Promise<PrelaunchCheck> {
  const [control, treatment] = experiment.arms;
  if (!control || !treatment) throw new Error(`${experiment.key} needs a control and a treatment arm`);
  const sources = createDemoSources({});
  const router = new ModelRouter(loadModelConfig('config/models.yaml'));
  const prices = loadPriceTable('config/prices.yaml');
  const llm = new LocalGroundedLlm({ slipRate: options.slipRate, surfaceForms: 'varied' });
  const companies = (await sources.universe.list()).slice(0, options.stocks);
  const values: Record<string, Array<[number, number]>> = { fact_check_pass_rate: [], facts_only_rate: [], medium_words: [], cost_usd: [] };
  for (const [i, company] of companies.entries()) {
    const bundle = await gatherSources(company, options.asOf, sources);
    const metrics = bundle.companyFacts
      ? extractMetrics(bundle.companyFacts, { asOf: options.asOf, fiscalYearEndMonth: company.fiscalYearEndMonth })
      : [];
    const snapshot = buildFactSnapshot(bundle, metrics, sourceHashOf(bundle));
    const input = briefInputFrom(snapshot, bundle);
    const [a, b] = await Promise.all(
      [control, treatment].map(async (arm) => {
        const chooseModel = (task: Parameters<ModelRouter['route']>[0], context?: Parameters<ModelRouter['route']>[1]) => {
          const choice = router.route(task, context);
          return {
            ...choice,
            ...(arm.params.modelId ? { modelId: arm.params.modelId } : {}),
            ...(arm.params.maxTokens ? { maxTokens: arm.params.maxTokens } : {}),
          };
        };
        const written = await writeAndVerify(snapshot, input, {
          llm,
          chooseModel,
          prices,
          ...(arm.params.promptVersion ? { writerPromptVariant: arm.params.promptVersion } : {}),
        });
        return {
          fact_check_pass_rate: written.status === 'verified' ? 1 : 0,
          facts_only_rate: written.status === 'facts_only' ? 1 : 0,
          medium_words: bodyWords(written.summary.medium),
          cost_usd: written.calls.reduce((s, c) => s + c.costUsd, 0),
        };
      }),
    );
    for (const key of Object.keys(values) as Array<keyof typeof a>) values[key]!.push([a![key], b![key]]);
    options.onProgress?.(i + 1, companies.length);
  }
  return prelaunchCheck(experiment, treatment.key, values);
}
