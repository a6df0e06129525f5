/**
 * The regression stocks' sources rebuilt from the demo universe, each checked against the bundle
 * hash its dataset row pinned: when the sources have moved, the evaluation stops (exit 1) instead
 * of scoring briefs against sources the dataset never saw.
 */
import { ConfigError } from '../../lambdas/core/errors';
import type { RegressionRow } from '../../lambdas/core/evaluation/datasets';
import { createDemoSources } from '../../lambdas/adapters/sources/demo';
import { bundleHash, stockMaterial } from './build-datasets';
import type { StockMaterial } from './build-datasets';

export async function pinnedMaterials(rows: readonly RegressionRow[]): Promise<Map<string, StockMaterial>> {
  const sources = createDemoSources({});
  const byTicker = new Map((await sources.universe.list()).map((c) => [c.ticker, c]));
  const out = new Map<string, StockMaterial>();
  for (const row of rows) {
    const company = byTicker.get(row.ticker);
    if (!company) throw new ConfigError(`${row.id}: ${row.ticker} is not in the demo universe`);
    const material = await stockMaterial(sources, company, row.asOf);
    if (bundleHash(material.bundle) !== row.bundleHash)
      throw new ConfigError(
        `${row.id}: the sources of ${row.ticker} as of ${row.asOf} no longer match the pinned bundle (run npm run eval:datasets and review)`,
      );
    out.set(row.id, material);
  }
  return out;
}
