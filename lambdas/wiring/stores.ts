/** DynamoDB, from config: the tables of this stage, through one traced client per process. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableNamesFor } from '../core/contracts/tables';
import type { TableNames } from '../core/contracts/tables';
import { createDocumentClient, createDynamoClient } from '../adapters/store/dynamo-repositories';
import type { RuntimeConfig } from './config';
import { traced } from './telemetry';
import { injectDynamoFaults } from '../adapters/faults/dynamo-faults';
import { faultPlanOf } from './faults';

export interface Stores {
  /** The low-level client (Powertools Idempotency takes this one). */
  dynamo: DynamoDBClient;
  /** The document client the repositories use, over the same connection pool and tracing. */
  doc: DynamoDBDocumentClient;
  names: TableNames;
}

export function createStores(config: RuntimeConfig): Stores {
  const dynamo = traced(createDynamoClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT }));
  const faults = faultPlanOf(config);
  if (faults) injectDynamoFaults(dynamo, faults);
  return { dynamo, doc: createDocumentClient(dynamo), names: tableNamesFor(config.FA_TABLE_PREFIX) };
}
