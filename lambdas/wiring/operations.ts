/**
 * The operator routes' dependencies: the operations reader over this stage's tables, the budgets
 * file, the experiment definitions and (locally) the evaluation report. Built with the query
 * path's stores, so the dashboard reads exactly what the batch and the query path wrote.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TableNames } from '../core/contracts/tables';
import type { OperationsDeps } from '../core/operations/service';
import { loadBudgets } from '../adapters/cost/budgets-file';
import { DEFAULT_EXPERIMENTS_PATH, loadExperiments } from '../adapters/experiments-file';
import { DynamoRunRepository } from '../adapters/store/dynamo-repositories';
import { DynamoCostLedger } from '../adapters/store/cost-ledger-repository';
import { DynamoExperimentRepository } from '../adapters/store/experiment-repository';
import { createOperationsReader } from '../adapters/store/operations-reader';
import type { RuntimeConfig } from './config';
import { logger } from './telemetry';

/** Where `npm run eval` writes its report; a Lambda has no such file, so the dashboard shows none there. */
const LOCAL_EVALUATION_REPORT = 'evals/reports/report.json';

export function createOperations(config: RuntimeConfig, doc: DynamoDBDocumentClient, names: TableNames): OperationsDeps {
  const definitions = (() => {
    try {
      return loadExperiments(process.env.FA_AB_TESTS_CONFIG || DEFAULT_EXPERIMENTS_PATH).experiments;
    } catch (error) {
      logger.warn('experiment definitions unavailable; the quality page shows no experiments', { error: String(error) });
      return [];
    }
  })();
  const inLambda = Boolean(process.env.AWS_LAMBDA_FUNCTION_NAME);
  return {
    budgets: loadBudgets(config.FA_BUDGETS_CONFIG),
    reader: createOperationsReader({
      runs: new DynamoRunRepository(doc, names.runs),
      ledger: new DynamoCostLedger({ doc, tableName: names.costLedger }),
      experiments: { repository: new DynamoExperimentRepository(doc, names.experiments), definitions },
      ...(inLambda ? {} : { evaluationReport: process.env.FA_EVAL_REPORT || LOCAL_EVALUATION_REPORT }),
    }),
  };
}
