/**
 * `npm run ops -- … --local` for real: the CLI in its own process on a fresh data dir (dynalite, the
 * state machine, the handlers), a run made to fail by FA_FAULT_FAIL_TICKERS, its redrive, its
 * metrics read back from the EMF file, and the store exported, wiped, imported and imported again.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../lib/paths';

const dirs: string[] = [];
function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `fa-ops-${name}-`));
  dirs.push(dir);
  return dir;
}

function ops(dataDir: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(join(REPO_ROOT, 'node_modules/.bin/tsx'), ['scripts/ops.ts', ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, FA_DATA_DIR: dataDir, AWS_EC2_METADATA_DISABLED: 'true', ...env },
  });
  const last = result.stdout.trim().split('\n').at(-1) ?? '';
  return { status: result.status, stderr: result.stderr, json: last.startsWith('{') ? (JSON.parse(last) as any) : undefined };
}

/** Every exported item, table by table, as sorted lines: what two stores must share to be the same. */
function exported(dir: string): Record<string, string[]> {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((file) => file.endsWith('.jsonl'))
      .map((file) => [file, readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean).sort()]),
  );
}

const TICKERS = ['WJRX', 'OJVT', 'GQRD'];
let dataDir: string;
let runId: string;

beforeAll(() => {
  dataDir = tempDir('data');
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('a local run made to fail, then redriven', () => {
  it('start runs the batch and reports the stock the injected fault failed, with its error', () => {
    const { status, json } = ops(dataDir, ['start', '--tickers', TICKERS.join(','), '--as-of', '2026-11-23', '--local', '--json'], {
      FA_FAULT_FAIL_TICKERS: 'OJVT',
    });
    expect(status).toBe(0);
    runId = json.runId;
    expect(json.run.counts).toMatchObject({ stocks: 3, succeeded: 2, failed: 1 });
    expect(json.run.failedStocks).toEqual([
      { ticker: 'OJVT', error: expect.stringMatching(/^InjectedFaultError: .*FA_FAULT_FAIL_TICKERS/) },
    ]);
  });

  it('runs lists it and run shows its status, duration, cost and failed stock', () => {
    expect(ops(dataDir, ['runs', '--since', '1h', '--json']).json.runs).toEqual([
      expect.objectContaining({ runId, status: 'succeeded', stocks: 3, failed: 1 }),
    ]);
    const { json } = ops(dataDir, ['run', runId, '--local', '--json']);
    expect(json).toMatchObject({ runId, status: 'succeeded', asOf: '2026-11-23', failedStocks: [{ ticker: 'OJVT' }] });
    expect(json.durationMs).toBeGreaterThan(0);
    expect(json.costUsd).toBeGreaterThan(0);
  });

  it('alarms shows StockFailureRate in ALARM with its runbook', () => {
    expect(ops(dataDir, ['alarms', '--json']).json.alarms).toContainEqual(
      expect.objectContaining({ name: 'StockFailureRate', state: 'ALARM', runbook: 'runbooks/stock-failures.md' }),
    );
  });

  it('redrive re-runs only the failed stock, leaves the succeeded ones as stored, and the run ends with none failed', () => {
    const before = tempDir('before');
    expect(ops(dataDir, ['export', '--out', before]).status).toBe(0);
    const { status, json } = ops(dataDir, ['redrive', runId, '--local', '--json']);
    expect(status).toBe(0);
    expect(json).toMatchObject({ action: 'redriven', runId, tickers: ['OJVT'] });
    expect(json.run.counts).toMatchObject({ stocks: 3, succeeded: 3, failed: 0 });
    expect(json.run.failedStocks).toEqual([]);
    const after = tempDir('after');
    ops(dataDir, ['export', '--out', after]);
    const outcome = (dir: string, ticker: string) =>
      exported(dir)['runs.jsonl']!.find((line) => line.includes(`"STOCK#${ticker}"`) && line.includes(`"RUN#${runId}"`));
    expect(outcome(after, 'WJRX')).toBe(outcome(before, 'WJRX'));
    expect(outcome(after, 'GQRD')).toBe(outcome(before, 'GQRD'));
    expect(outcome(after, 'OJVT')).not.toBe(outcome(before, 'OJVT'));
    expect(outcome(after, 'OJVT')).not.toContain('InjectedFaultError');
  });

  it('a second redrive has nothing to do: one line, exit 1', () => {
    const { status, stderr } = ops(dataDir, ['redrive', runId]);
    expect(status).toBe(1);
    expect(stderr.trim()).toMatch(/^error: run .* has no failed or unfinished stocks/);
  });

  it('metrics FactCheckPassRate prints the pass rate of both FinalizeBatch calls of the run, per hour', () => {
    const { status, json } = ops(dataDir, [
      'metrics',
      'FactCheckPassRate',
      '--since',
      '2h',
      '--until',
      'now',
      '--period',
      '3600',
      '--stat',
      'Average',
      '--local',
      '--json',
    ]);
    expect(status).toBe(0);
    expect(json).toMatchObject({ namespace: 'FAAdvisorAI', metric: 'FactCheckPassRate', service: 'fa-stock-batch', stage: 'local' });
    const samples = json.datapoints.reduce((total: number, point: { samples: number }) => total + point.samples, 0);
    expect(samples).toBe(2);
    for (const point of json.datapoints) {
      expect(point.value).toBeGreaterThanOrEqual(0);
      expect(point.value).toBeLessThanOrEqual(100);
    }
  });
});

describe('export and import of the local store', () => {
  it('exports every table, restores the same items into a wiped store, and a second import changes nothing', () => {
    const backup = tempDir('backup');
    const first = ops(dataDir, ['export', '--out', backup, '--json']);
    expect(first.status).toBe(0);
    expect(first.json.tables.runs).toBeGreaterThan(3);
    expect(first.json.tables.summaries).toBeGreaterThan(0);

    const wiped = tempDir('wiped');
    const imported = ops(wiped, ['import', '--in', backup, '--json']);
    expect(imported.status).toBe(0);
    expect(imported.json.items).toBe(first.json.items);
    const restored = tempDir('restored');
    ops(wiped, ['export', '--out', restored]);
    expect(exported(restored)).toEqual(exported(backup));

    expect(ops(wiped, ['import', '--in', backup]).status).toBe(0);
    const again = tempDir('again');
    ops(wiped, ['export', '--out', again]);
    expect(exported(again)).toEqual(exported(backup));
    // The restored store serves the run as the original did.
    expect(ops(wiped, ['run', runId, '--json']).json.counts).toMatchObject({ stocks: 3, failed: 0 });
  });

  it('refuses a damaged export before writing anything', () => {
    const backup = tempDir('damaged');
    ops(dataDir, ['export', '--out', backup]);
    writeFileSync(join(backup, 'sessions.jsonl'), '{"Item": {"pk": {"S": "x"}}}\nnot json\n');
    const manifest = JSON.parse(readFileSync(join(backup, 'manifest.json'), 'utf8'));
    manifest.tables.sessions.items = 2;
    writeFileSync(join(backup, 'manifest.json'), JSON.stringify(manifest));
    const empty = tempDir('empty');
    const { status, stderr } = ops(empty, ['import', '--in', backup]);
    expect(status).toBe(1);
    expect(stderr.trim()).toBe('error: sessions.jsonl line 2 is not {"Item": <DynamoDB JSON>}');
    expect(ops(empty, ['runs', '--since', '30d', '--json']).json.runs).toEqual([]);
  });
});
