/**
 * One answered query in the cost ledger (docs/COST.md): a unit of kind `query` in the day's run
 * `queries-<YYYY-MM-DD>`, with its model calls, the question's embedding and its share of the
 * infrastructure, under the FA's arm. A cached answer still costs its request, its Lambda time and
 * its cache read. Pure: the ledger is a port, and a ledger outage never fails the answer.
 */
import type { CostDeps } from '../cost/unit-cost';
import { UnitCostTracker } from '../cost/unit-cost';
import type { QueryModelCall } from './answer-with-models';

export const queryRunId = (at: Date): string => `queries-${at.toISOString().slice(0, 10)}`;

export interface AnsweredQueryCost {
  requestId: string;
  /** The arm label (`medium_writer:v1`) or the configured prompt variant. */
  variant: string;
  calls: readonly QueryModelCall[];
  embedding?: { modelId: string; inputTokens: number; estimated: boolean };
  cached: boolean;
}

export async function recordQueryCost(deps: CostDeps, query: AnsweredQueryCost): Promise<void> {
  const tracker = await UnitCostTracker.begin(deps, {
    runId: queryRunId(deps.now()),
    kind: 'query',
    unitId: query.requestId,
    variant: query.variant,
  });
  tracker.addCalls(query.calls.map(({ step: _step, ...call }) => ({ ...call, task: 'answer' as const })));
  if (query.embedding) tracker.addEmbedding(query.embedding.modelId, query.embedding.inputTokens, 1, query.embedding.estimated);
  await tracker.finish({ cacheLookups: 1, cacheWrites: query.cached ? 0 : 1 });
}
