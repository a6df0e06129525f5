/**
 * The batch on vendor feeds as an operator runs it: the real CLI, state machine, handlers and
 * dynalite. A kind with no delivery is a missing source of every brief, never a failed stock, and
 * nothing stored earlier is lost.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDemoSources } from '../../lambdas/adapters/sources/demo';
import { connectOrStartDynalite } from '../../local/dynalite';
import { createDocumentClient, createRepositories } from '../../lambdas/adapters/store/dynamo-repositories';
import { tableNamesFor } from '../../lambdas/core/contracts/tables';
import { writeDemoFeeds } from '../../local/demo-feeds';

function batch(args: string[], dataDir: string): Promise<{ code: number | null; stderr: string; json?: Record<string, any> }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/batch.ts', ...args, '--json'], {
      env: { ...process.env, FA_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      resolve({ code, stderr, json: last.startsWith('{') ? JSON.parse(last) : undefined });
    });
  });
}

const work = mkdtempSync(join(tmpdir(), 'fa-batch-feeds-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The demo's own fundamentals and notes for `tickers`, one delivery each with a malformed line; no news delivery. */
async function writeFeedsWithoutNews(tickers: string[], asOf: string): Promise<string> {
  const demo = createDemoSources();
  const fundamentals: unknown[] = [];
  const notes: unknown[] = [];
  for (const ticker of tickers) {
    const company = (await demo.universe.get(ticker))!;
    const record = await demo.fundamentals.fundamentals(company, asOf).catch(() => undefined);
    if (record) fundamentals.push(record);
    notes.push(...(await demo.research.notes(company, asOf)));
  }
  const root = join(work, 'feeds');
  for (const [kind, records] of [
    ['fundamentals', fundamentals],
    ['research', notes],
  ] as const) {
    mkdirSync(join(root, kind), { recursive: true });
    // Line 2 of each delivery is malformed: skipped and reported, never guessed at.
    const lines = records.map((r) => JSON.stringify(r));
    lines.splice(1, 0, '{"docId": "truncated by the vendor"');
    writeFileSync(join(root, kind, `${asOf}.jsonl`), lines.join('\n') + '\n');
  }
  return root;
}

describe('npm run batch on vendor feeds', () => {
  it('writes every brief with the missing news feed named, skips malformed lines by file and line, keeps the earlier briefs, and fails no stock', async () => {
    const dataDir = join(work, 'data');
    const tickers = (await createDemoSources().universe.list()).slice(0, 3).map((c) => c.ticker);
    const first = await batch(['--tickers', tickers.join(','), '--as-of', '2026-02-02'], dataDir);
    expect(first.json).toMatchObject({ stocks: 3, succeeded: 3, failed: 0 });

    const feeds = await writeFeedsWithoutNews(tickers, '2026-02-03');
    const second = await batch(
      ['--sources', 'fundamentals=feed,research=feed,news=feed', '--feeds', feeds, '--tickers', tickers.join(','), '--as-of', '2026-02-03'],
      dataDir,
    );
    expect(second.code).toBe(0);
    expect(second.json).toMatchObject({ stocks: 3, succeeded: 3, failed: 0 });

    const warnings = readFileSync(join(dataDir, 'logs.jsonl'), 'utf8');
    for (const kind of ['fundamentals', 'research'])
      expect(warnings).toContain(`skipped malformed ${kind} feed line ${join(feeds, kind, '2026-02-03.jsonl')}:2: not valid JSON`);

    const dynamo = await connectOrStartDynalite(dataDir);
    const doc = createDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
    const { summaries, runs } = createRepositories(doc, tableNamesFor(''));
    try {
      const outcomes = await runs.listStockOutcomes(second.json!.runId);
      expect(outcomes).toHaveLength(3);
      for (const outcome of outcomes) {
        expect(outcome.status).not.toBe('failed');
        expect(outcome.sourceFailures).toEqual([
          { source: 'news', reason: `SourceUnavailableError: news feed: no delivery on or before 2026-02-03 in ${join(feeds, 'news')}` },
        ]);
      }
      for (const ticker of tickers) {
        const latest = (await summaries.getLatest(ticker))!;
        expect(latest.runId).toBe(second.json!.runId);
        expect(latest.snapshot.missingSources.map((m) => m.source)).toEqual(['news']);
        // The brief of the first run is still stored beside the new one.
        expect((await summaries.history(ticker, 10)).map((h) => h.runId)).toEqual(
          expect.arrayContaining([first.json!.runId, second.json!.runId]),
        );
      }
    } finally {
      doc.destroy();
      await dynamo.close();
    }
  }, 120_000);

  it('briefs the demo written out as feeds exactly as the demo: every stock without a demo outage is reused unchanged', async () => {
    const dataDir = join(work, 'same');
    const asOf = '2026-02-02';
    const demo = createDemoSources();
    const companies = (await demo.universe.list()).slice(0, 30);
    const outages = companies.filter((c) => demo.sourceOutages(c.ticker, asOf).length > 0).length;
    const fromDemo = await batch(['--limit', '30', '--as-of', asOf], dataDir);
    expect(fromDemo.json).toMatchObject({ succeeded: 30, failed: 0, skippedUnchanged: 0 });

    const feeds = join(work, 'demo-feeds');
    await writeDemoFeeds({ out: feeds, asOf, limit: 30 });
    const fromFeeds = await batch(
      ['--sources', 'fundamentals=feed,research=feed,news=feed', '--feeds', feeds, '--limit', '30', '--as-of', asOf],
      dataDir,
    );
    // An outage is a recorded failure in the demo and simply an absent stock in a delivery, so only those briefs differ.
    expect(fromFeeds.json).toMatchObject({ succeeded: 30, failed: 0, skippedUnchanged: 30 - outages });
  }, 120_000);
});
