/**
 * What a unit of work costs in AWS infrastructure, from what it measurably used and the price
 * table's stated assumptions (config/prices.yaml `infrastructure`). Per-use charges (Lambda time
 * and requests, Step Functions transitions, DynamoDB request units, ElastiCache ECPUs, log bytes)
 * are charged to the unit that caused them; fixed charges (the cache's minimum storage, custom
 * metric series, the parent workflow) are shared out over the units of a day or a month. Pure.
 */
import type { PriceTable } from './price-table';

export type InfrastructureService = 'lambda' | 'stepfunctions' | 's3' | 'dynamodb' | 'elasticache' | 'cloudwatch' | 'apigateway';

/** The units each service bills this product in (a stable label for ledger lines). */
export const SERVICE_UNITS: Record<InfrastructureService, string> = {
  lambda: 'GB-seconds, requests',
  stepfunctions: 'state transitions',
  s3: 'PUT requests',
  dynamodb: 'read and write request units',
  elasticache: 'ECPUs, GB-hours',
  cloudwatch: 'log GB, metric-months',
  apigateway: 'requests',
};

/** One priced quantity: `quantity` of `unit` on `service`. */
export interface InfrastructureLine {
  service: InfrastructureService;
  unit: string;
  quantity: number;
  usd: number;
}

/** DynamoDB request units a unit consumed, as DynamoDB reported them (ReturnConsumedCapacity). */
export interface ConsumedCapacity {
  readUnits: number;
  writeUnits: number;
}

export interface StockMeasures {
  /** 1 for the first attempt at this stock in this run; retries are 2, 3, … */
  attempt: number;
  /** Sum of the model calls' latencies (Bedrock's own figures under sim and bedrock), ms. */
  modelLatencyMs: number;
  dynamo: ConsumedCapacity;
  /** Embedding-cache keys looked up (one MGET) and written (one MSET of the misses). */
  cacheLookups: number;
  cacheWrites: number;
}

export interface QueryMeasures {
  modelLatencyMs: number;
  dynamo: ConsumedCapacity;
  /** Embedding-cache or answer-cache keys read and written, if the query used the cache. */
  cacheLookups?: number;
  cacheWrites?: number;
}

const GIB = 1024 ** 3;
const HOURS_A_DAY = 24;
const DAYS_A_MONTH = 30;

/** ECPUs of one multi-key command moving `keys` entries: one per KB transferred, at least one. */
function ecpus(keys: number, entryBytes: number): number {
  return keys <= 0 ? 0 : Math.max(1, Math.ceil((keys * entryBytes) / 1024));
}

function line(service: InfrastructureService, unit: string, quantity: number, unitUsd: number): InfrastructureLine {
  return { service, unit, quantity, usd: quantity * unitUsd };
}

/**
 * The infrastructure lines of one attempt at a stock. Empty when the price table has no
 * `infrastructure` section (infrastructure is then not priced, and says so by its absence).
 */
export function stockInfrastructure(table: PriceTable, measures: StockMeasures): InfrastructureLine[] {
  if (!table.infrastructure) return [];
  const { prices: p, assumptions: a } = table.infrastructure;
  const first = measures.attempt <= 1;
  const share = 1 / a.stocksPerRun;
  const billedSeconds = (measures.modelLatencyMs + a.lambdaOverheadMsPerStock) / 1000;
  const cacheEcpus = ecpus(measures.cacheLookups, a.cacheEntryBytes) + ecpus(measures.cacheWrites, a.cacheEntryBytes);
  const lines = [
    line('lambda', 'GB-second', (a.batchLambdaMemoryMb / 1024) * billedSeconds, p.lambdaGbSecond.usd),
    line('lambda', 'request', 1, p.lambdaRequest.usd),
    // Each attempt enters ProcessStock once (retries are transitions too); the first also starts
    // the child execution and carries its share of the parent workflow's transitions.
    line('stepfunctions', 'transition', 1 + (first ? 1 + a.parentTransitionsPerRun * share : 0), p.stepFunctionsTransition.usd),
    line('s3', 'PUT request', first ? a.s3PutsPerRun * share : 0, p.s3PutRequest.usd),
    line('dynamodb', 'read request unit', measures.dynamo.readUnits, p.dynamoDbReadRequestUnit.usd),
    line('dynamodb', 'write request unit', measures.dynamo.writeUnits, p.dynamoDbWriteRequestUnit.usd),
    line('elasticache', 'ECPU', cacheEcpus, p.elastiCacheEcpu.usd),
    // The cache bills its minimum storage every hour of the day; the batch carries its share.
    line('elasticache', 'GB-hour', first ? a.cacheBilledGb * HOURS_A_DAY * a.cacheShareOfBatch * share : 0, p.elastiCacheGbHour.usd),
    line('cloudwatch', 'GB of logs', a.logBytesPerStock / GIB, p.cloudWatchLogsIngestedGb.usd),
    line('cloudwatch', 'metric-month', first ? a.batchMetricSeries / (a.runsPerMonth * a.stocksPerRun) : 0, p.cloudWatchMetricMonth.usd),
  ];
  return lines.filter((l) => l.quantity > 0);
}

/** The infrastructure lines of one query (API Gateway request, query Lambda, its DynamoDB reads). */
export function queryInfrastructure(table: PriceTable, measures: QueryMeasures): InfrastructureLine[] {
  if (!table.infrastructure) return [];
  const { prices: p, assumptions: a } = table.infrastructure;
  const share = 1 / a.queriesPerMonth;
  const billedSeconds = (measures.modelLatencyMs + a.lambdaOverheadMsPerQuery) / 1000;
  const cacheEcpus = ecpus(measures.cacheLookups ?? 0, a.cacheEntryBytes) + ecpus(measures.cacheWrites ?? 0, a.cacheEntryBytes);
  const cacheGbHoursAMonth = a.cacheBilledGb * HOURS_A_DAY * DAYS_A_MONTH * (1 - a.cacheShareOfBatch);
  const lines = [
    line('apigateway', 'request', 1, p.apiGatewayRequest.usd),
    line('lambda', 'GB-second', (a.queryLambdaMemoryMb / 1024) * billedSeconds, p.lambdaGbSecond.usd),
    line('lambda', 'request', 1, p.lambdaRequest.usd),
    line('dynamodb', 'read request unit', measures.dynamo.readUnits, p.dynamoDbReadRequestUnit.usd),
    line('dynamodb', 'write request unit', measures.dynamo.writeUnits, p.dynamoDbWriteRequestUnit.usd),
    line('elasticache', 'ECPU', cacheEcpus, p.elastiCacheEcpu.usd),
    line('elasticache', 'GB-hour', cacheGbHoursAMonth * share, p.elastiCacheGbHour.usd),
    line('cloudwatch', 'GB of logs', a.logBytesPerQuery / GIB, p.cloudWatchLogsIngestedGb.usd),
    line('cloudwatch', 'metric-month', a.queryMetricSeries * share, p.cloudWatchMetricMonth.usd),
  ];
  return lines.filter((l) => l.quantity > 0);
}

export function totalUsd(lines: readonly InfrastructureLine[]): number {
  return lines.reduce((sum, l) => sum + l.usd, 0);
}
