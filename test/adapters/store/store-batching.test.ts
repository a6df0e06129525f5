import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchedPutWriter, DynamoSessionRepository, sessionKey } from '../../../lambdas/adapters/store/session-repository';
import { DynamoAnswerCacheRepository } from '../../../lambdas/adapters/store/answer-cache-repository';
import type { SessionTurn, AnswerPayload } from '../../../lambdas/core/model/index';

const doc = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
);
const mock = mockClient(doc);
beforeEach(() => mock.reset());

function turn(i: number, faId = 'fa-1'): SessionTurn {
  return {
    faId,
    sessionId: 's1',
    turnId: `t${i}`,
    question: 'q',
    answer: 'a',
    tickers: ['KQRV'],
    depth: 'simple',
    citations: [],
    confidence: 0.9,
    createdAt: new Date(1_700_000_000_000 + i).toISOString(),
    expiresAt: 2_000_000_000,
  };
}

const payload: AnswerPayload = {
  answer: 'A.',
  sentences: [{ text: 'A.', citations: [] }],
  citations: [],
  tickers: ['KQRV'],
  depth: 'simple',
  confidence: 0.9,
  confidenceLabel: 'high',
  flags: [],
  disclaimer: 'd',
  asOf: '2026-11-24',
  modelIds: [],
  promptVersion: 'answer-v1',
  promptVariant: 'control',
};

describe('grouped writes', () => {
  it('writes the puts of one turn of the event loop in BatchWriteItem calls of at most 25, across tables', async () => {
    mock.on(BatchWriteCommand).resolves({ UnprocessedItems: {} });
    const writer = new BatchedPutWriter(doc);
    const sessions = new DynamoSessionRepository(doc, 'sessions', writer);
    const cache = new DynamoAnswerCacheRepository(doc, 'answer-cache', writer);
    await Promise.all([
      ...Array.from({ length: 29 }, (_, i) => sessions.appendTurn(turn(i))),
      cache.put({ key: 'k', answer: payload, cachedAt: 'now', expiresAt: 2_000_000_000 }),
    ]);
    const calls = mock.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems!);
    expect(calls).toHaveLength(2);
    const counts = calls.map((items) => Object.values(items).reduce((n, list) => n + list.length, 0));
    expect(counts).toEqual([25, 5]);
    expect(calls[1]!['answer-cache']![0]!.PutRequest!.Item).toMatchObject({ pk: 'ANSWER#k', sk: 'ENTRY' });
  });

  it('sends one item of a key when a batch holds several, and settles every caller', async () => {
    mock.on(BatchWriteCommand).resolves({});
    const writer = new BatchedPutWriter(doc);
    await Promise.all([
      writer.put('t', { pk: 'a', sk: '1', v: 1 }),
      writer.put('t', { pk: 'a', sk: '1', v: 2 }),
      writer.put('t', { pk: 'b', sk: '1', v: 3 }),
    ]);
    const items = mock.commandCalls(BatchWriteCommand)[0]!.args[0].input.RequestItems!.t!.map((r) => r.PutRequest!.Item);
    expect(items).toEqual([
      { pk: 'a', sk: '1', v: 2 },
      { pk: 'b', sk: '1', v: 3 },
    ]);
  });

  it('re-sends unprocessed items until they are written', async () => {
    mock
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { t: [{ PutRequest: { Item: { pk: 'b', sk: '1' } } }] } })
      .resolves({});
    const writer = new BatchedPutWriter(doc);
    await Promise.all([writer.put('t', { pk: 'a', sk: '1' }), writer.put('t', { pk: 'b', sk: '1' })]);
    const calls = mock.commandCalls(BatchWriteCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.args[0].input.RequestItems).toEqual({ t: [{ PutRequest: { Item: { pk: 'b', sk: '1' } } }] });
  });

  it('fails every caller of a batch the store refuses', async () => {
    mock.on(BatchWriteCommand).rejects(new Error('boom'));
    const writer = new BatchedPutWriter(doc);
    const results = await Promise.allSettled([writer.put('t', { pk: 'a', sk: '1' }), writer.put('t', { pk: 'b', sk: '1' })]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('keys sessions by FA and session, so a crafted id cannot reach another key', () => {
    expect(sessionKey('fa-1', 's1')).toBe('FA#fa-1#SESSION#s1');
    expect(sessionKey('fa#1', 'x#SESSION#y')).not.toBe(sessionKey('fa', '1#SESSION#x#SESSION#y'));
  });
});

describe('grouped answer-cache reads', () => {
  const entry = (key: string, expiresAt = 2_000_000_000) => ({
    pk: `ANSWER#${key}`,
    sk: 'ENTRY',
    key,
    cachedAt: 'then',
    expiresAt,
    answer: JSON.stringify(payload),
  });

  it('reads the keys asked for in one turn of the event loop with one BatchGetItem', async () => {
    mock.on(BatchGetCommand).resolves({ Responses: { 'answer-cache': [entry('a'), entry('b', 10)] } });
    const cache = new DynamoAnswerCacheRepository(doc, 'answer-cache');
    const [a, b, c] = await Promise.all([cache.get('a', 100), cache.get('b', 100), cache.get('c', 100)]);
    expect(mock.commandCalls(BatchGetCommand)).toHaveLength(1);
    expect(a).toMatchObject({ key: 'a', answer: payload });
    expect(b).toBeUndefined(); // expired in code, though still stored
    expect(c).toBeUndefined();
  });

  it('reads a lone key with GetItem and treats a damaged entry as a miss', async () => {
    mock.on(GetCommand).resolves({ Item: { ...entry('a'), answer: JSON.stringify({ answer: 42 }) } });
    const cache = new DynamoAnswerCacheRepository(doc, 'answer-cache');
    expect(await cache.get('a', 100)).toBeUndefined();
    expect(mock.commandCalls(GetCommand)).toHaveLength(1);
  });
});
