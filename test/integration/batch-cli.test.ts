/**
 * The batch as a user runs it: the real CLI in a child process, the real state machine, handlers
 * and dynalite on a throwaway data dir.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoSources } from '../../lambdas/adapters/sources/demo';
import { connectOrStartDynalite } from '../../local/dynalite';
import { createDocumentClient, createRepositories } from '../../lambdas/adapters/store/dynamo-repositories';
import { tableNamesFor } from '../../lambdas/core/contracts/tables';

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  json?: Record<string, any>;
}

function cli(script: string, args: string[], env: Record<string, string>, killWhen?: () => boolean): Promise<CliRun> {
  return new Promise((resolve) => {
    // node itself (not the tsx wrapper, which forks) so that a kill reaches the batch process.
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const watch = killWhen && setInterval(() => killWhen() && child.kill('SIGKILL'), 50);
    child.on('close', (code) => {
      if (watch) clearInterval(watch);
      const last = stdout.trim().split('\n').at(-1) ?? '';
      resolve({ code, stdout, stderr, json: last.startsWith('{') ? JSON.parse(last) : undefined });
    });
  });
}

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fa-cli-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('npm run batch', () => {
  it('runs stocks through the state machine and prints the run summary as the last stdout line', async () => {
    const dir = dataDir();
    const run = await cli('scripts/batch.ts', ['--limit', '12', '--as-of', '2026-11-23', '--json'], { FA_DATA_DIR: dir });
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({ asOf: '2026-11-23', stocks: 12, succeeded: 12, failed: 0 });
    for (const key of [
      'runId',
      'skippedUnchanged',
      'regenerated',
      'factsOnly',
      'durationMs',
      'embeddingCache',
      'verification',
      'cost',
      'peakRssMb',
    ]) {
      expect(run.json).toHaveProperty(key);
    }
    expect(run.json!.cost.estimated).toBe(true);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    // EMF for CloudWatch, captured to a file locally.
    const emf = readFileSync(join(dir, 'metrics.emf.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(emf.some((line) => line._aws?.CloudWatchMetrics?.[0]?.Namespace === 'FAAdvisorAI' && 'StockProcessed' in line)).toBe(true);

    const again = await cli('scripts/batch.ts', ['--limit', '12', '--as-of', '2026-11-23', '--json'], { FA_DATA_DIR: dir });
    expect(again.json).toMatchObject({ succeeded: 12, skippedUnchanged: 12 });

    const [first] = await createDemoSources().universe.list();
    const show = await cli('scripts/show.ts', [first!.ticker, '--length', 'expanded'], { FA_DATA_DIR: dir });
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('Sources:');
    expect(show.stdout).toMatch(/\[1\]/);
  });

  it('answers bad arguments with a one-line reason and a non-zero exit', async () => {
    for (const args of [['--as-of', '2026-02-30'], ['--limit', '-3'], ['--tickers', 'lower case!'], ['--bogus']]) {
      const run = await cli('scripts/batch.ts', args, { FA_DATA_DIR: dataDir() });
      expect(run.code).not.toBe(0);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/^error: /);
    }
  });

  it('after a batch is killed midway, the next run keeps what was done and finishes the rest', async () => {
    const dir = dataDir();
    // Kill -9 once at least ten stocks have finished (each emits one StockProcessed EMF line).
    const finished = () => {
      try {
        return readFileSync(join(dir, 'metrics.emf.jsonl'), 'utf8').split('"StockProcessed":').length - 1;
      } catch {
        return 0;
      }
    };
    const killed = await cli(
      'scripts/batch.ts',
      ['--limit', '40', '--concurrency', '2', '--as-of', '2026-11-23'],
      { FA_DATA_DIR: dir },
      () => finished() >= 10,
    );
    expect(killed.code).not.toBe(0);
    expect(finished()).toBeLessThan(40);
    const resumed = await cli('scripts/batch.ts', ['--limit', '40', '--as-of', '2026-11-23', '--json'], { FA_DATA_DIR: dir });
    expect(resumed.stderr).toContain('was interrupted before it finished');
    expect(resumed.json).toMatchObject({ stocks: 40, succeeded: 40, failed: 0 });
    expect(resumed.json!.skippedUnchanged).toBeGreaterThan(0);
    expect(resumed.json!.skippedUnchanged).toBeLessThan(40);

    // Nothing duplicated or corrupted: every brief decodes, each run appears once per ticker.
    const dynamo = await connectOrStartDynalite(dir);
    const doc = createDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
    const { summaries, runs } = createRepositories(doc, tableNamesFor(''));
    try {
      const tickers = (await createDemoSources().universe.list()).slice(0, 40).map((c) => c.ticker);
      for (const ticker of tickers) {
        const latest = await summaries.getLatest(ticker);
        expect(latest?.summary.expanded.sections.length).toBeGreaterThan(0);
        const runIds = (await summaries.history(ticker, 10)).map((h) => h.runId);
        expect(new Set(runIds).size).toBe(runIds.length);
      }
      expect(await runs.runningRuns()).toEqual([]);
    } finally {
      doc.destroy();
      await dynamo.close();
    }
  });
});

describe('with REDIS_URL pointing at a cache that is not there', () => {
  let blackHole: Server;
  let blackHolePort = 0;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    // Accepts connections and never answers: the worst kind of broken cache.
    blackHole = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    blackHolePort = (blackHole.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => blackHole.close(() => resolve()));
  });

  for (const [name, url] of [
    ['nothing listens', () => 'redis://127.0.0.1:1'],
    ['the server never answers', () => `redis://127.0.0.1:${blackHolePort}`],
  ] as const) {
    it(`still completes every stock when ${name}, counting the degraded lookups`, async () => {
      const run = await cli('scripts/batch.ts', ['--limit', '10', '--as-of', '2026-11-23', '--json'], {
        FA_DATA_DIR: dataDir(),
        REDIS_URL: url(),
      });
      expect(run.json).toMatchObject({ succeeded: 10, failed: 0 });
      expect(run.json!.embeddingCache.degraded).toBeGreaterThan(0);
      expect(run.json!.embeddingCache.hits).toBe(0);
      expect(run.stderr).toMatch(/warning: the embedding cache was unavailable/);
    });
  }
});
