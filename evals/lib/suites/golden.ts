/**
 * The golden subset, exactly as the pre-traffic hook runs it against a new version
 * (lib/golden-checks.ts, lambdas/core/contracts/golden-checks.ts): each check's API Gateway event
 * through the real query handler, judged by the hook's own `evaluate`. A check that fails here
 * would fail the deployment, so it is a hard gate of the query suite.
 */
import { evaluate } from '../../../lambdas/core/contracts/golden-checks';
import { wilson } from '../../../lambdas/core/evaluation/stats';
import type { Estimate } from '../../../lambdas/core/evaluation/stats';
import { queryGoldenChecks } from '../../../lib/golden-checks';
import type { ItemResult } from './types';

export async function runGoldenChecks(
  handler: (event: unknown) => Promise<unknown>,
  goldenTicker: string,
): Promise<{ estimate: Estimate; items: ItemResult[] }> {
  const items: ItemResult[] = [];
  for (const check of queryGoldenChecks({ ticker: goldenTicker })) {
    const result = evaluate(check, { payload: await handler(check.event) });
    items.push({
      id: `golden: ${check.name}`,
      pass: result.passed,
      findings: result.passed ? [] : [{ check: 'golden_checks', detail: result.detail }],
    });
  }
  return { estimate: wilson(items.filter((i) => i.pass).length, items.length), items };
}
