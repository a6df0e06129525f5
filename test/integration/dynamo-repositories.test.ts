import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredChunk, StoredSummary } from '../../lambdas/core/model';
import { startTestDynamo } from '../support/dynalite';
import type { TestDynamo } from '../support/dynalite';

let dynamo: TestDynamo;
beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(async () => dynamo.close());

function summary(asOf: string, runId: string): StoredSummary {
  const body = { sections: [{ section: 'overview' as const, sentences: [{ text: `Brief of ${asOf}.`, citations: [] }] }] };
  return {
    ticker: 'QZXV',
    asOf,
    runId,
    status: 'verified',
    summary: { hook: body, medium: body, expanded: body },
    verification: { passed: true, claimsChecked: 0, findings: [] },
    confidence: 0.9,
    snapshot: {
      ticker: 'QZXV',
      asOf,
      companyName: 'Quorvex',
      sector: 'Industrials',
      facts: [],
      conflicts: [],
      documents: [],
      missingSources: [],
      staleSources: [],
      sourceHash: `hash-${asOf}`,
    },
    documents: [],
    sourceHash: `hash-${asOf}`,
    promptVersion: 'brief-v1',
    modelId: 'm',
    embeddingKey: 'sec-v1|local/feature-hash-v1@256',
    experimentVariant: 'control',
    calls: [],
    costUsd: 0.01,
    costEstimated: true,
    generatedAt: '2026-11-24T10:00:00Z',
  };
}

describe('DynamoDB repositories on dynalite', () => {
  it('keeps history per run and never moves the latest brief back to an older as-of', async () => {
    const { summaries } = dynamo.repositories;
    await summaries.putSummary(summary('2026-11-24', 'run-b'));
    await summaries.putSummary(summary('2026-11-23', 'run-a'));
    await summaries.putSummary(summary('2026-11-24', 'run-b')); // a retried write of the same run
    expect((await summaries.getLatest('QZXV'))?.asOf).toBe('2026-11-24');
    expect((await summaries.history('QZXV', 10)).map((s) => s.runId)).toEqual(['run-b', 'run-a']);
  });

  it('stores vectors as binary and prunes chunks of documents that left the source set', async () => {
    const { chunks } = dynamo.repositories;
    const chunk = (chunkId: string): StoredChunk => ({
      ticker: 'QZXV',
      chunkId,
      docId: chunkId.split('#')[0]!,
      kind: 'news',
      section: 'body',
      text: 'text',
      contentHash: 'h',
      modelId: 'local/feature-hash-v1',
      vector: new Uint8Array([1, 2, 3, 250]),
      asOf: '2026-11-24',
    });
    await chunks.putChunks(Array.from({ length: 30 }, (_, i) => chunk(`doc${i}#0`)));
    const stored = await chunks.chunksOf('QZXV');
    expect(stored[0]!.vector).toEqual(new Uint8Array([1, 2, 3, 250]));
    const removed = await chunks.pruneChunks('QZXV', new Set(['doc1#0', 'doc2#0']));
    expect(removed).toBe(28);
    expect(await chunks.countChunks('QZXV')).toBe(2);
  });

  it('tracks open runs until they are closed', async () => {
    const { runs } = dynamo.repositories;
    await runs.createRun({
      runId: 'r-open',
      asOf: '2026-11-24',
      status: 'running',
      tickers: ['A'],
      startedAt: '2026-11-24T09:00:00Z',
      concurrency: 1,
    });
    expect((await runs.runningRuns()).map((r) => r.runId)).toContain('r-open');
    await runs.updateRun({ ...(await runs.getRun('r-open'))!, status: 'interrupted' });
    expect((await runs.runningRuns()).map((r) => r.runId)).not.toContain('r-open');
  });

  it('a second process reaches the running store by its advertised endpoint instead of opening it', async () => {
    const { connectOrStartDynalite } = await import('../../local/dynalite');
    const second = await connectOrStartDynalite(dynamo.dataDir);
    expect(second).toMatchObject({ owner: false, endpoint: dynamo.endpoint });
  });
});
