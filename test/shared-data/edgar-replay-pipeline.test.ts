/**
 * One real company through the whole stock pipeline with EDGAR served by edgar-replay from the real
 * files of ../shared/data/edgar: Apple's XBRL facts and FY2025 10-K text go in, a verified brief
 * citing the real accession numbers comes out, the 10-K's chunks are stored by item, and the
 * sources the replay does not have (vendor data, notes, news) are named as missing, not guessed.
 * The composition root is not used here (it belongs to the sources wiring); the pipeline is.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdgarReplay } from '../../local/edgar-replay';
import type { EdgarReplay } from '../../local/edgar-replay';
import { FileHashCache } from '../../lambdas/adapters/cache/file-hash-cache';
import { LocalEmbedder } from '../../lambdas/adapters/embedder/local-embedder';
import { LocalGroundedLlm } from '../../lambdas/adapters/llm/local-grounded-llm';
import { loadModelConfig } from '../../lambdas/adapters/llm/model-config';
import { loadPriceTable } from '../../lambdas/adapters/price-table-file';
import { extractMetrics } from '../../lambdas/adapters/sources/edgar/companyfacts';
import { createEdgarFilingsSource } from '../../lambdas/adapters/sources/edgar/create-edgar-filings-source';
import { SourceUnavailableError } from '../../lambdas/core/errors';
import type { CompanyProfile } from '../../lambdas/core/model';
import { processStock } from '../../lambdas/core/pipeline/process-stock';
import type { ProcessStockDeps } from '../../lambdas/core/pipeline/process-stock';
import type { Sources } from '../../lambdas/core/ports';
import { ModelRouter } from '../../lambdas/core/routing/model-router';
import { startTestDynamo } from '../support/dynalite';
import type { TestDynamo } from '../support/dynalite';
import { buildEdgarReplayDir } from '../fixtures/edgar-replay-dir';
import type { EdgarReplayDir } from '../fixtures/edgar-replay-dir';

const AS_OF = '2026-02-02';
let layout: EdgarReplayDir;
let replay: EdgarReplay;
let dynamo: TestDynamo;

beforeAll(async () => {
  layout = buildEdgarReplayDir();
  replay = await startEdgarReplay({ dir: layout.dir });
  dynamo = await startTestDynamo();
});

afterAll(async () => {
  await replay.close();
  await dynamo.close();
});

function appleProfile(): CompanyProfile {
  return {
    ticker: 'AAPL',
    name: 'Apple Inc.',
    cik: layout.ciks.AAPL!,
    sector: 'Information Technology',
    industry: 'Technology Hardware, Storage & Peripherals',
    exchange: 'NASDAQ',
    fiscalYearEndMonth: 9,
  };
}

function sourcesOverReplay(): Sources {
  const profile = appleProfile();
  const unavailable = (what: string) => async () => {
    throw new SourceUnavailableError(`${what}: no feed in this test`);
  };
  return {
    universe: { list: async () => [profile], get: async (ticker) => (ticker === profile.ticker ? profile : undefined) },
    filings: createEdgarFilingsSource({
      userAgent: 'FA Advisor AI Tests tests@example.com',
      baseUrl: replay.url,
      responseCacheDir: mkdtempSync(join(tmpdir(), 'edgar-cache-')),
    }),
    fundamentals: { fundamentals: unavailable('fundamentals') },
    research: { notes: unavailable('research') },
    news: { news: unavailable('news') },
  };
}

function deps(): ProcessStockDeps {
  const router = new ModelRouter(loadModelConfig('config/models.yaml'));
  return {
    sources: sourcesOverReplay(),
    extractMetrics,
    summaries: dynamo.repositories.summaries,
    runs: dynamo.repositories.runs,
    chunks: dynamo.repositories.chunks,
    cache: new FileHashCache({ directory: mkdtempSync(join(tmpdir(), 'fa-cache-')) }),
    embedder: new LocalEmbedder(),
    llm: new LocalGroundedLlm({ slipRate: 0 }),
    chooseModel: (task) => router.route(task),
    prices: loadPriceTable('config/prices.yaml'),
    experimentVariant: 'control',
    cacheDegradations: () => 0,
    now: () => new Date(),
  };
}

describe('Apple through the stock pipeline on replayed EDGAR', () => {
  it('stores a brief from real XBRL and 10-K text, cited to real accession numbers, with missing feeds named', async () => {
    const outcome = await processStock({ runId: 'edgar-run-1', asOf: AS_OF, ticker: 'AAPL' }, deps());
    expect(outcome.sourceFailures.map((f) => f.source).sort()).toEqual(['fundamentals', 'news', 'research']);
    const stored = (await dynamo.repositories.summaries.getLatest('AAPL'))!;
    const documents = new Set(stored.documents.map((d) => d.docId));
    expect(documents).toContain(layout.apple10K.accessionNumber);
    const cited = new Set(
      (['hook', 'medium', 'expanded'] as const).flatMap((length) =>
        stored.summary[length].sections.flatMap((s) => s.sentences.flatMap((sentence) => sentence.citations)),
      ),
    );
    expect(cited.size).toBeGreaterThan(0);
    for (const docId of cited) expect(docId).toMatch(/^0000320193-\d{2}-\d{6}$/);
    expect(stored.snapshot.missingSources.map((m) => m.source).sort()).toEqual(['fundamentals', 'news', 'research']);
    const chunks = await dynamo.repositories.chunks.countChunks('AAPL');
    expect(chunks).toBeGreaterThan(50);
  });

  it('is verified, not facts-only: sub-headings of the 10-K do not run into the excerpts the writer quotes', async () => {
    const stored = (await dynamo.repositories.summaries.getLatest('AAPL'))!;
    expect(stored.status).toBe('verified');
    expect(stored.verification.findings).toEqual([]);
  });
});
