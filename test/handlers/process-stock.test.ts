/**
 * The deployed ProcessStock handler, as Lambda runs it: Powertools Idempotency on (runId, ticker)
 * against dynalite, and the Tracer around the invocation and every DynamoDB call, sent to a
 * loopback X-Ray daemon (UDP) that this test reads.
 */
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../lambdas/adapters/store/dynamo-repositories';
import { tableNamesFor } from '../../lambdas/core/contracts/tables';
import { startTestDynamo } from '../support/dynalite';
import type { TestDynamo } from '../support/dynalite';

interface XraySegment {
  name: string;
  id: string;
  parent_id?: string;
  type?: string;
  namespace?: string;
  aws?: { operation?: string; table_name?: string };
  subsegments?: XraySegment[];
}

let dynamo: TestDynamo;
let daemon: Socket;
const received: XraySegment[] = [];
let handler: (event: unknown, context: Context) => Promise<unknown>;

function lambdaContext(): Context {
  const deadline = Date.now() + 60_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'fa-test-process-stock',
    functionVersion: '1',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fa-test-process-stock',
    memoryLimitInMB: '1024',
    awsRequestId: `req-${received.length}-${Date.now()}`,
    logGroupName: '/aws/lambda/fa-test-process-stock',
    logStreamName: 'test',
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

function flatten(segments: XraySegment[]): XraySegment[] {
  return segments.flatMap((s) => [s, ...flatten(s.subsegments ?? [])]);
}

beforeAll(async () => {
  dynamo = await startTestDynamo();
  daemon = createSocket('udp4');
  daemon.on('message', (message) => {
    // Each datagram is a JSON header line, then one segment document.
    const [, body] = message.toString('utf8').split('\n');
    if (body) received.push(JSON.parse(body) as XraySegment);
  });
  await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
  Object.assign(process.env, {
    FA_DATA_DIR: dynamo.dataDir,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    FA_EMF_FILE: join(dynamo.dataDir, 'metrics.emf.jsonl'),
    FA_LOG_FILE: join(dynamo.dataDir, 'logs.jsonl'),
    FA_COST_LEDGER: 'off',
    FA_LOCAL_SLIP_RATE: '0',
    POWERTOOLS_SERVICE_NAME: 'fa-stock-batch',
    // What Lambda sets: the X-Ray SDK runs in Lambda mode under a facade segment of this trace.
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: 'fa-test-process-stock',
    LAMBDA_TASK_ROOT: process.cwd(),
    _HANDLER: 'index.handler',
    _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.address().port}`,
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
    POWERTOOLS_TRACE_ENABLED: 'true',
  });
  ({ handler } = await import('../../lambdas/handlers/process-stock'));
});

afterAll(async () => {
  daemon.close();
  await dynamo.close();
});

/** Wait until the daemon has a segment that satisfies `done`, or give up after a few seconds. */
async function segmentsUntil(done: (all: XraySegment[]) => boolean): Promise<XraySegment[]> {
  for (let i = 0; i < 100 && !done(flatten(received)); i += 1) await new Promise((r) => setTimeout(r, 50));
  return flatten(received);
}

describe('the deployed ProcessStock handler', () => {
  it('is idempotent on (run, ticker): a redelivered item returns the stored result and does no work twice', async () => {
    const item = { runId: 'run-idem', asOf: '2026-11-30', ticker: 'WJRX' };
    const first = await handler(item, lambdaContext());
    expect(first).toMatchObject({ ticker: 'WJRX', skippedUnchanged: false });
    const again = await handler(item, lambdaContext());
    expect(again).toEqual(first);
    // Only the first invocation processed the stock: one StockProcessed document in EMF.
    await new Promise((r) => setImmediate(r));
    const emf = readFileSync(process.env.FA_EMF_FILE!, 'utf8').trim().split('\n');
    expect(emf.filter((line) => line.includes('"StockProcessed"'))).toHaveLength(1);
    // The record is Powertools' own, in the idempotency table, completed with the result.
    const doc = createDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
    const { Items = [] } = await doc.send(new ScanCommand({ TableName: tableNamesFor('').idempotency }));
    doc.destroy();
    expect(Items).toHaveLength(1);
    expect(Items[0]).toMatchObject({ pk: 'idempotency#fa-test-process-stock', status: 'COMPLETED' });
    expect(Items[0]!.data).toEqual(first);
  });

  it('a different run of the same ticker is processed again', async () => {
    const next = await handler({ runId: 'run-idem-2', asOf: '2026-11-30', ticker: 'WJRX' }, lambdaContext());
    expect(next).toMatchObject({ ticker: 'WJRX' });
    expect(await dynamo.repositories.runs.getStockOutcome('run-idem-2', 'WJRX')).toBeDefined();
  });

  it('still rejects a malformed item by name, past the idempotency layer', async () => {
    await expect(handler({ runId: 'run-idem' }, lambdaContext())).rejects.toMatchObject({ name: 'InputValidationError' });
  });

  it('is traced: a subsegment around the invocation, and one per DynamoDB call of the adapters and the idempotency layer', async () => {
    const all = await segmentsUntil(
      (segments) => segments.some((s) => s.name === '## index.handler') && segments.some((s) => s.namespace === 'aws'),
    );
    expect(all.some((s) => s.name === '## index.handler')).toBe(true);
    const dynamoCalls = all.filter((s) => s.name === 'DynamoDB' && s.namespace === 'aws');
    const operations = new Set(dynamoCalls.map((s) => s.aws?.operation));
    expect(operations.has('PutItem')).toBe(true); // the idempotency record
    expect([...operations].some((op) => op === 'BatchWriteItem' || op === 'Query' || op === 'GetItem')).toBe(true); // the repositories
  });
});
