/**
 * DynamoDB implementations of the storage ports, the same code against AWS and dynalite. Every
 * write is a single-item Put (atomic) or an idempotent batch of them; nothing relies on
 * transactions, which dynalite lacks.
 */
import { DynamoDBClient, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { ChunkRepository, RunRepository, SummaryRepository } from '../../core/ports';
import type { RunAudit, StockOutcome, StoredChunk, StoredSummary, SummaryFingerprint } from '../../core/model';
import type { TableNames } from '../../core/contracts/tables';

type Item = Record<string, NativeAttributeValue>;

/**
 * dynalite wants the shape of a SigV4 header but checks no signature, and signing (a SHA-256 of
 * every body, an HMAC chain) is a real share of a local run's CPU: loopback requests carry a
 * well-formed placeholder instead.
 */
const UNSIGNED = {
  sign: async <T extends { headers: Record<string, string> }>(request: T): Promise<T> => {
    request.headers['x-amz-date'] = '20260101T000000Z';
    request.headers.authorization =
      'AWS4-HMAC-SHA256 Credential=local/20260101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=0';
    return request;
  },
};

/** A DynamoDB client for AWS, or for dynalite when a loopback endpoint is given (local credentials, unsigned). */
export function createDynamoClient(options: { region: string; endpoint?: string }): DynamoDBClient {
  const loopback = options.endpoint !== undefined && /^https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?\/?$/.test(options.endpoint);
  return new DynamoDBClient({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    ...(loopback ? { signer: UNSIGNED } : {}),
    maxAttempts: 5,
  });
}

/** The document client the repositories use, over a given client or a new one. */
export function createDocumentClient(options: { region: string; endpoint?: string } | DynamoDBClient): DynamoDBDocumentClient {
  const client = options instanceof DynamoDBClient ? options : createDynamoClient(options);
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  });
}

const MAX_BATCH = 25;

/** BatchWrite in chunks of 25, re-sending unprocessed items with backoff until all are written. */
async function batchWrite(doc: DynamoDBDocumentClient, table: string, requests: Item[]): Promise<void> {
  for (let start = 0; start < requests.length; start += MAX_BATCH) {
    let pending = requests.slice(start, start + MAX_BATCH);
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt > 8) throw new Error(`DynamoDB left ${pending.length} items unprocessed in ${table}`);
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * 50 * 2 ** attempt));
      const result = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (result.UnprocessedItems?.[table] ?? []) as Item[];
    }
  }
}

async function queryAll(doc: DynamoDBDocumentClient, input: ConstructorParameters<typeof QueryCommand>[0]): Promise<Item[]> {
  const items: Item[] = [];
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey }));
    items.push(...((page.Items ?? []) as Item[]));
    ExclusiveStartKey = page.LastEvaluatedKey as Item | undefined;
  } while (ExclusiveStartKey);
  return items;
}

function strip<T>(item: Item | undefined): T | undefined {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
}

const tickerKey = (ticker: string) => `TICKER#${ticker}`;

/**
 * A brief's bulky parts (three summaries, verification, fact snapshot, calls) travel as one gzipped
 * JSON attribute: one attribute to marshal and validate instead of thousands of nested ones, and
 * an item far below DynamoDB's 400 KB limit. The fields queries filter on stay top-level.
 */
type SummaryBody = Pick<StoredSummary, 'summary' | 'verification' | 'snapshot' | 'documents' | 'calls'>;

function summaryItem(summary: StoredSummary, sk: string): Item {
  const { summary: draft, verification, snapshot, documents, calls, ...scalars } = summary;
  const body: SummaryBody = { summary: draft, verification, snapshot, documents, calls };
  return { ...scalars, pk: tickerKey(summary.ticker), sk, body: gzipSync(JSON.stringify(body)) };
}

function summaryFrom(item: Item | undefined): StoredSummary | undefined {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, body, ...scalars } = item;
  const parts = JSON.parse(gunzipSync(body as Uint8Array).toString('utf8')) as SummaryBody;
  return { ...(scalars as Omit<StoredSummary, keyof SummaryBody>), ...parts };
}

export class DynamoSummaryRepository implements SummaryRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async getLatest(ticker: string): Promise<StoredSummary | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: tickerKey(ticker), sk: 'LATEST' } }));
    return summaryFrom(result.Item);
  }

  async getLatestFingerprint(ticker: string): Promise<SummaryFingerprint | undefined> {
    const result = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: tickerKey(ticker), sk: 'LATEST' },
        ProjectionExpression: 'sourceHash, promptVersion, embeddingKey, #status, asOf, experimentVariant',
        ExpressionAttributeNames: { '#status': 'status' },
      }),
    );
    return result.Item as SummaryFingerprint | undefined;
  }

  async putSummary(summary: StoredSummary): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: summaryItem(summary, `RUN#${summary.asOf}#${summary.runId}`) }));
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: summaryItem(summary, 'LATEST'),
          // A late run for an older as-of date must never replace a newer brief.
          ConditionExpression: 'attribute_not_exists(pk) OR #asOf <= :asOf',
          ExpressionAttributeNames: { '#asOf': 'asOf' },
          ExpressionAttributeValues: { ':asOf': summary.asOf },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async history(ticker: string, limit: number): Promise<StoredSummary[]> {
    const page = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :run)',
        ExpressionAttributeValues: { ':pk': tickerKey(ticker), ':run': 'RUN#' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (page.Items ?? []).map((item) => summaryFrom(item)!);
  }
}

export class DynamoChunkRepository implements ChunkRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async putChunks(chunks: StoredChunk[]): Promise<void> {
    await batchWrite(
      this.doc,
      this.table,
      chunks.map((chunk) => ({ PutRequest: { Item: { ...chunk, pk: tickerKey(chunk.ticker), sk: `CHUNK#${chunk.chunkId}` } } })),
    );
  }

  private async chunkKeys(ticker: string): Promise<string[]> {
    const items = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :chunk)',
      ExpressionAttributeValues: { ':pk': tickerKey(ticker), ':chunk': 'CHUNK#' },
      ProjectionExpression: 'sk',
    });
    return items.map((item) => String(item.sk));
  }

  async pruneChunks(ticker: string, keepChunkIds: Set<string>): Promise<number> {
    const stale = (await this.chunkKeys(ticker)).filter((sk) => !keepChunkIds.has(sk.slice('CHUNK#'.length)));
    await batchWrite(
      this.doc,
      this.table,
      stale.map((sk) => ({ DeleteRequest: { Key: { pk: tickerKey(ticker), sk } } })),
    );
    return stale.length;
  }

  async countChunks(ticker: string): Promise<number> {
    return (await this.chunkKeys(ticker)).length;
  }

  async chunksOf(ticker: string): Promise<StoredChunk[]> {
    const items = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :chunk)',
      ExpressionAttributeValues: { ':pk': tickerKey(ticker), ':chunk': 'CHUNK#' },
    });
    return items.map((item) => strip<StoredChunk>(item)!);
  }
}

const runKey = (runId: string) => `RUN#${runId}`;
/** Runs still open are indexed under one partition so finding them is a Query, not a Scan. */
const OPEN_RUNS = 'RUNS#OPEN';

export class DynamoRunRepository implements RunRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async createRun(audit: RunAudit): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { ...audit, pk: runKey(audit.runId), sk: 'AUDIT' } }));
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: OPEN_RUNS, sk: audit.runId, runId: audit.runId } }));
  }

  async getRun(runId: string): Promise<RunAudit | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: runKey(runId), sk: 'AUDIT' } }));
    return strip<RunAudit>(result.Item);
  }

  async runningRuns(): Promise<RunAudit[]> {
    const open = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': OPEN_RUNS },
    });
    const runs = await Promise.all(open.map((item) => this.getRun(String(item.runId))));
    return runs.filter((run): run is RunAudit => run?.status === 'running');
  }

  async updateRun(audit: RunAudit): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { ...audit, pk: runKey(audit.runId), sk: 'AUDIT' } }));
    if (audit.status !== 'running') {
      await this.doc.send(new DeleteCommand({ TableName: this.table, Key: { pk: OPEN_RUNS, sk: audit.runId } }));
    }
  }

  async getStockOutcome(runId: string, ticker: string): Promise<StockOutcome | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: runKey(runId), sk: `STOCK#${ticker}` } }));
    return strip<StockOutcome>(result.Item);
  }

  async putStockOutcome(outcome: StockOutcome): Promise<void> {
    await this.doc.send(
      new PutCommand({ TableName: this.table, Item: { ...outcome, pk: runKey(outcome.runId), sk: `STOCK#${outcome.ticker}` } }),
    );
  }

  async listStockOutcomes(runId: string): Promise<StockOutcome[]> {
    const items = await queryAll(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :stock)',
      ExpressionAttributeValues: { ':pk': runKey(runId), ':stock': 'STOCK#' },
    });
    return items.map((item) => strip<StockOutcome>(item)!);
  }
}

export interface Repositories {
  summaries: DynamoSummaryRepository;
  chunks: DynamoChunkRepository;
  runs: DynamoRunRepository;
}

export function createRepositories(doc: DynamoDBDocumentClient, names: TableNames): Repositories {
  return {
    summaries: new DynamoSummaryRepository(doc, names.summaries),
    chunks: new DynamoChunkRepository(doc, names.chunks),
    runs: new DynamoRunRepository(doc, names.runs),
  };
}
