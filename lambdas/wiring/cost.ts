/**
 * The cost ledger (DynamoDB + EMF) and budgets, with DynamoDB capacity metered per unit scope.
 * Undefined when FA_COST_LEDGER=off. The query path can use the same:
 * `UnitCostTracker.begin({ ...cost, prices, now }, { runId: 'queries-<date>', kind: 'query', … })`.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableNamesFor } from '../core/contracts/tables';
import type { CostDeps } from '../core/cost/unit-cost';
import { describeError } from '../core/errors';
import { DynamoCostLedger } from '../adapters/store/cost-ledger-repository';
import { EmfCostLedger } from '../adapters/cost/emf-cost-ledger';
import { meterConsumedCapacity } from '../adapters/cost/dynamo-capacity-meter';
import { loadBudgets } from '../adapters/cost/budgets-file';
import type { RuntimeConfig } from './config';
import { emfSink, logger, metrics, METRICS_NAMESPACE, MetricUnit, serviceName } from './telemetry';
import { currentUnitScope } from './unit-scope';

export function createCostDependencies(config: RuntimeConfig, doc: DynamoDBDocumentClient): Omit<CostDeps, 'prices' | 'now'> | undefined {
  if (config.FA_COST_LEDGER === 'off') return undefined;
  meterConsumedCapacity(doc, (consumed) => {
    const scope = currentUnitScope();
    if (!scope) return;
    scope.readUnits += consumed.readUnits;
    scope.writeUnits += consumed.writeUnits;
  });
  const dynamo = new DynamoCostLedger({
    doc,
    tableName: tableNamesFor(config.FA_TABLE_PREFIX).costLedger,
    onError: (operation, error) => {
      metrics.addMetric('CostLedgerErrors', MetricUnit.Count, 1);
      logger.warn('cost ledger unavailable; the EMF line still carries the cost', { operation, error: describeError(error) });
    },
  });
  return {
    ledger: new EmfCostLedger(dynamo, { write: emfSink, namespace: METRICS_NAMESPACE, serviceName, stage: config.FA_STAGE }),
    budgets: loadBudgets(config.FA_BUDGETS_CONFIG),
    consumedCapacity: () => {
      const scope = currentUnitScope();
      return { readUnits: scope?.readUnits ?? 0, writeUnits: scope?.writeUnits ?? 0 };
    },
  };
}
