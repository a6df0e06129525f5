import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LlmPort, LlmRequest } from '../../lambdas/core/ports';
import { FileHashCache } from '../../lambdas/adapters/cache/file-hash-cache';
import { LocalEmbedder } from '../../lambdas/adapters/embedder/local-embedder';
import { LocalGroundedLlm } from '../../lambdas/adapters/llm/local-grounded-llm';
import { loadModelConfig } from '../../lambdas/adapters/llm/model-config';
import { ModelRouter } from '../../lambdas/core/routing/model-router';
import { processStock } from '../../lambdas/core/pipeline/process-stock';
import type { ProcessStockDeps } from '../../lambdas/core/pipeline/process-stock';
import { loadPriceTable } from '../../lambdas/adapters/price-table-file';
import { extractClaims } from '../../lambdas/core/grounding';
import { memoryUniverse } from '../support/memory-sources';
import { note } from '../support/snapshots';
import { startTestDynamo } from '../support/dynalite';
import type { TestDynamo } from '../support/dynalite';

let dynamo: TestDynamo;
beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(async () => dynamo.close());

/** Counts model calls, so "no model call" can be asserted. */
function counting(llm: LlmPort): LlmPort & { requests: LlmRequest[] } {
  const requests: LlmRequest[] = [];
  return { requests, converse: (request) => (requests.push(request), llm.converse(request)) };
}

function deps(overrides: Partial<ProcessStockDeps> & { llm: LlmPort }): ProcessStockDeps & { universe: ReturnType<typeof memoryUniverse> } {
  const universe = memoryUniverse();
  const router = new ModelRouter(loadModelConfig('config/models.yaml'));
  return {
    universe,
    sources: universe.sources,
    extractMetrics: () => [],
    summaries: dynamo.repositories.summaries,
    runs: dynamo.repositories.runs,
    chunks: dynamo.repositories.chunks,
    cache: new FileHashCache({ directory: mkdtempSync(join(tmpdir(), 'fa-cache-')) }),
    embedder: new LocalEmbedder(),
    chooseModel: (task) => router.route(task),
    prices: loadPriceTable('config/prices.yaml'),
    experimentVariant: 'control',
    cacheDegradations: () => 0,
    now: () => new Date(),
    ...overrides,
  };
}

describe('processing one stock end to end on dynalite', () => {
  it('stores three verified lengths whose every figure is cited to a document of the snapshot', async () => {
    const d = deps({ llm: new LocalGroundedLlm({ slipRate: 0 }) });
    const outcome = await processStock({ runId: 'run-1', asOf: '2026-11-24', ticker: 'QZXV' }, d);
    expect(outcome).toMatchObject({ status: 'verified', skippedUnchanged: false, findings: 0 });
    expect(outcome.costUsd).toBeGreaterThan(0);
    const stored = (await d.summaries.getLatest('QZXV'))!;
    const documents = new Set(stored.documents.map((doc) => doc.docId));
    for (const length of ['hook', 'medium', 'expanded'] as const) {
      const sentences = stored.summary[length].sections.flatMap((s) => s.sentences);
      expect(sentences.length).toBeGreaterThan(0);
      for (const sentence of sentences) {
        if (extractClaims(sentence.text).some((c) => c.kind === 'numeric')) expect(sentence.citations.length).toBeGreaterThan(0);
        for (const docId of sentence.citations) expect(documents).toContain(docId);
      }
    }
    expect(stored.sourceHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await d.chunks.countChunks('QZXV')).toBeGreaterThan(0);
  });

  it('reuses the stored brief with no model call and no embedding when no source changed', async () => {
    const llm = counting(new LocalGroundedLlm({ slipRate: 0 }));
    const d = deps({ llm });
    await processStock({ runId: 'run-2a', asOf: '2026-11-25', ticker: 'QZXV' }, d);
    const calls = llm.requests.length;
    const again = await processStock({ runId: 'run-2b', asOf: '2026-11-25', ticker: 'QZXV' }, d);
    expect(llm.requests.length).toBe(calls);
    expect(again).toMatchObject({ skippedUnchanged: true, status: 'verified' });
    // Unchanged sources mean unchanged chunks: the cache is not even consulted.
    expect(again.embedding).toEqual({ hits: 0, misses: 0, chunks: 0, degraded: 0 });
  });

  it('re-embeds only the new document when one news item arrives', async () => {
    const d = deps({ llm: new LocalGroundedLlm({ slipRate: 0 }) });
    d.universe.notes = [
      note('bmx-3', { title: 'A fresh view', thesis: 'Sensing demand is broadening across industrial customers. We like the setup.' }),
    ];
    await processStock({ runId: 'run-3a', asOf: '2026-11-26', ticker: 'QZXV' }, d);
    d.universe.news.unshift({
      docId: 'nws-2',
      ticker: 'QZXV',
      published: '2026-11-26T12:00:00Z',
      source: 'Wire',
      headline: 'Quorvex opens a new plant',
      body: 'The plant adds capacity for sensing modules.',
    });
    const second = await processStock({ runId: 'run-3b', asOf: '2026-11-26', ticker: 'QZXV' }, d);
    expect(second.skippedUnchanged).toBe(false);
    expect(second.embedding.misses).toBe(1);
    expect(second.embedding.hits).toBe(second.embedding.chunks - 1);
    expect(second.embedding.hits).toBeGreaterThan(0);
  });

  it('regenerates once when the first draft slips, and the published brief verifies', async () => {
    const d = deps({ llm: new LocalGroundedLlm({ slipRate: 1, errorKinds: ['wrong_scale', 'wrong_period'] }) });
    const outcome = await processStock({ runId: 'run-4', asOf: '2026-11-27', ticker: 'QZXV' }, d);
    expect(['regenerated', 'facts_only']).toContain(outcome.status);
    expect(outcome.findings).toBeGreaterThan(0);
    expect((await d.summaries.getLatest('QZXV'))!.verification.passed).toBe(true);
  });

  it('publishes a facts-only brief, still verified, when the model keeps failing', async () => {
    const garbage: LlmPort = {
      converse: async (request) => ({
        text: 'I cannot help with that.',
        modelId: request.modelId,
        usage: { inputTokens: 10, outputTokens: 5, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
        estimated: true,
        latencyMs: 1,
        stopReason: 'end_turn',
      }),
    };
    // A fresh write every time (the earlier tests' briefs of the same sources must not be reused).
    const d = deps({ llm: garbage, skipUnchanged: false });
    const outcome = await processStock({ runId: 'run-5', asOf: '2026-11-28', ticker: 'QZXV' }, d);
    expect(outcome.status).toBe('facts_only');
    const stored = (await d.summaries.getLatest('QZXV'))!;
    expect(stored.verification.passed).toBe(true);
    expect(stored.summary.expanded.sections.map((s) => s.section)).toContain('valuation_and_estimates');
  });

  it('records a failed source and says what the brief could not see', async () => {
    const d = deps({ llm: new LocalGroundedLlm({ slipRate: 0 }) });
    d.universe.fundamentals = 'down';
    const outcome = await processStock({ runId: 'run-6', asOf: '2026-11-29', ticker: 'QZXV' }, d);
    expect(outcome.sourceFailures).toEqual([
      { source: 'fundamentals', reason: 'SourceUnavailableError: vendor API answered 503 three times' },
    ]);
    const text = JSON.stringify((await d.summaries.getLatest('QZXV'))!.summary.expanded);
    expect(text).toContain('could not see fundamentals data');
  });
});

describe('a malformed filing payload', () => {
  it('is recorded as a failed filings source, not a failed stock', async () => {
    const d = deps({
      llm: new LocalGroundedLlm({ slipRate: 0 }),
      extractMetrics: () => {
        throw Object.assign(new Error('facts.us-gaap is not an object'), { name: 'SourceFormatError' });
      },
    });
    d.sources.filings.companyFacts = async () => ({ cik: 1, entityName: 'x', facts: {} });
    const outcome = await processStock({ runId: 'run-8', asOf: '2026-12-01', ticker: 'QZXV' }, d);
    expect(outcome.status).not.toBe('failed');
    expect(outcome.sourceFailures).toContainEqual({ source: 'filings', reason: 'SourceFormatError: facts.us-gaap is not an object' });
  });
});

describe('the fiscal year end a stock is briefed with', () => {
  it('comes from the universe when it states one, and from the filings when it only guessed', async () => {
    const seen: Array<number | undefined> = [];
    for (const fiscalYearEndInferred of [false, true]) {
      const d = deps({ llm: new LocalGroundedLlm({ slipRate: 0 }) });
      const stated = (await d.sources.universe.get('QZXV'))!;
      const company = { ...stated, fiscalYearEndMonth: 9, ...(fiscalYearEndInferred ? { fiscalYearEndInferred } : {}) };
      d.sources = {
        ...d.sources,
        universe: { list: async () => [company], get: async () => company },
        filings: { ...d.sources.filings, companyFacts: async () => ({ cik: 1, entityName: company.name, facts: {} }) },
      };
      d.extractMetrics = (_facts, options) => (seen.push(options.fiscalYearEndMonth), []);
      await processStock({ runId: `run-fye-${String(fiscalYearEndInferred)}`, asOf: '2026-12-01', ticker: 'QZXV' }, d);
    }
    expect(seen).toEqual([9, undefined]);
  });
});
