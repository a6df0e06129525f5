/**
 * Issue acceptance, as an operator runs it: the real EDGAR files of ../shared/data served by
 * `edgar-replay`, and `npm run batch -- --sources edgar --edgar-url … --universe <the real
 * 1,000-stock CSV> --tickers AAPL,TSLA,SNOW,JPM,WMT --as-of 2026-02-02 --json` stores a verified
 * brief for each (banks and missing submissions included), 0 failed; `npm run show -- AAPL` shows
 * real figures cited to Apple's accession numbers; a second run with nothing changed fetches no
 * filed document again (the replay server counts the requests).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveRequestsOf, startEdgarReplay } from '../../local/edgar-replay';
import { buildEdgarReplayDir } from '../fixtures/edgar-replay-dir';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const universe = fileURLToPath(new URL('../../../shared/data/universe/universe_1000_us_derived.csv', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'fa-edgar-batch-'));
const layout = buildEdgarReplayDir(mkdtempSync(join(work, 'replay-')));
let replay: Awaited<ReturnType<typeof startEdgarReplay>>;

beforeAll(async () => {
  replay = await startEdgarReplay({ dir: layout.dir, port: 0 });
});
afterAll(async () => {
  await replay.close();
  rmSync(work, { recursive: true, force: true });
});

const env = { PATH: process.env.PATH, HOME: process.env.HOME, FA_DATA_DIR: join(work, 'data'), AWS_EC2_METADATA_DISABLED: 'true' };

/** Asynchronous, so the replay server in this process keeps answering while the CLI runs. */
function run(script: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: repo, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

const batchArgs = () => [
  '--sources',
  'edgar',
  '--edgar-url',
  replay.url,
  '--universe',
  universe,
  '--tickers',
  'AAPL,TSLA,SNOW,JPM,WMT',
  '--as-of',
  '2026-02-02',
  '--json',
];
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
const archiveRequests = () => archiveRequestsOf(replay.stats());

describe('the batch on replayed EDGAR with the real universe', () => {
  it('stores a verified brief for each of five real companies, 0 failed', async () => {
    const first = await run('scripts/batch.ts', batchArgs());
    expect(first.status, first.stderr).toBe(0);
    const summary = lastJson(first.stdout);
    expect(summary).toMatchObject({ stocks: 5, succeeded: 5, failed: 0, verified: 5 });
    expect(archiveRequests()).toBeGreaterThan(0);
  }, 180_000);

  it('shows Apple with real figures cited to its accession numbers', () => {
    const show = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/show.ts', 'AAPL'], { cwd: repo, env, encoding: 'utf8' });
    expect(show.status, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/\$416\.16 billion/); // FY2025 net sales, Apple's 10-K
    expect(show.stdout).toMatch(/0000320193-25-000079/);
    expect(show.stdout).not.toMatch(/\bWJRX\b/);
  }, 60_000);

  it('fetches no filed document again when nothing changed', async () => {
    const before = archiveRequests();
    const second = await run('scripts/batch.ts', batchArgs());
    expect(second.status, second.stderr).toBe(0);
    expect(lastJson(second.stdout)).toMatchObject({ succeeded: 5, failed: 0, skippedUnchanged: 5 });
    expect(archiveRequests()).toBe(before);
    expect(replay.stats().byStatus['304']).toBeGreaterThan(0);
  }, 180_000);
});
