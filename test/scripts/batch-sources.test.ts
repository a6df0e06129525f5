/** `npm run batch --sources/--universe/--feeds/--edgar-url/--tickers`: the options and their errors. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSourceSettings, missingFeedsNote, sourceEnvironment } from '../../scripts/lib/source-options';
import { EDGAR_SOURCES, parseSourceChoice } from '../../lambdas/core/contracts/sources';
import { InputValidationError } from '../../lambdas/core/errors';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'fa-batch-sources-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function batch(args: string[], script = 'scripts/batch.ts') {
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: repo,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, FA_DATA_DIR: join(work, 'data'), AWS_EC2_METADATA_DISABLED: 'true' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
}

const universe = join(work, 'universe.csv');
writeFileSync(
  universe,
  'ticker,name,cik,sector,industry\nAAPL,Apple Inc.,320193,Technology,Hardware\nMSFT,Microsoft,789019,Technology,Software\n',
);
const badUniverse = join(work, 'bad.csv');
writeFileSync(
  badUniverse,
  'ticker,name,cik,sector,industry\nAAPL,Apple Inc.,320193,Technology,Hardware\nNOPE,Nope Corp,CIK-42,Energy,Oil\n',
);
const real = ['--sources', 'edgar', '--feeds', join(work, 'feeds'), '--edgar-url', 'http://127.0.0.1:9'];

describe('the source options of the batch', () => {
  it('become the environment the wiring reads, local paths made absolute', () => {
    expect(sourceEnvironment({ sources: parseSourceChoice('edgar'), universe: 'u.csv', feeds: 's3://b/feeds' }, {})).toEqual({
      FA_SOURCES: 'edgar',
      FA_UNIVERSE: resolve('u.csv'),
      FA_FEEDS: 's3://b/feeds',
    });
    expect(sourceEnvironment({}, {})).toEqual({});
  });

  it('declare a User-Agent for a replay server unless one is set, and never override a real one', () => {
    expect(sourceEnvironment({ edgarUrl: 'http://127.0.0.1:8080' }, {}).EDGAR_USER_AGENT).toMatch(/^.+ \S+@\S+\.\S+$/);
    expect(sourceEnvironment({ edgarUrl: 'http://127.0.0.1:8080' }, { EDGAR_USER_AGENT: 'Acme a@acme.example' })).not.toHaveProperty(
      'EDGAR_USER_AGENT',
    );
  });

  it('name the flag a choice lacks, and note feeds that will be missing', () => {
    const check = (env: NodeJS.ProcessEnv) => () => checkSourceSettings(env);
    expect(check({ FA_SOURCES: 'edgar', FA_FEEDS: 'f', EDGAR_USER_AGENT: 'A b@c.de' })).toThrow(InputValidationError);
    expect(check({ FA_SOURCES: 'edgar', FA_FEEDS: 'f', EDGAR_USER_AGENT: 'A b@c.de' })).toThrow(
      /^--universe is required when --sources has a csv universe/,
    );
    expect(check({ FA_SOURCES: 'news=feed' })).not.toThrow();
    expect(missingFeedsNote({ FA_SOURCES: 'news=feed' })).toBe(
      'note: no --feeds given: news will be recorded as missing sources of every brief',
    );
    expect(missingFeedsNote({ FA_SOURCES: 'news=feed', FA_FEEDS: 'feeds' })).toBeUndefined();
    expect(check({ FA_SOURCES: 'demo' })).not.toThrow();
    expect(EDGAR_SOURCES.universe).toBe('csv');
  });
});

describe('npm run batch with real sources', () => {
  it('refuses --sources edgar without --universe: one line, exit 2', () => {
    const run = batch(['--sources', 'edgar', '--feeds', 'f', '--edgar-url', 'http://127.0.0.1:9']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('error: --universe is required when --sources has a csv universe (a file path or s3://bucket/key)');
  });

  it('refuses an unknown --sources value naming the option, exit 2', () => {
    const run = batch(['--sources', 'filings=sec']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('error: --sources filings Invalid option: expected one of "demo"|"edgar"');
  });

  it('refuses a ticker that is not in the universe before anything runs: one line, exit 2', () => {
    const run = batch([...real, '--universe', universe, '--tickers', 'AAPL,ZZZZ']);
    expect(run.stderr.split('\n').at(-1)).toBe('error: --tickers has a ticker not in the universe: ZZZZ');
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
  });

  it('names the file and line of a bad CIK in the universe, exit 1', () => {
    const run = batch([...real, '--universe', badUniverse, '--tickers', 'AAPL']);
    expect(run.stderr.split('\n').at(-1)).toBe(
      `error: SourceFormatError: ${badUniverse} line 3: cik "CIK-42" is not a CIK (a positive integer of at most 10 digits)`,
    );
    expect(run.status).toBe(1);
  });

  it('keeps every stored brief when it refuses a bad universe or ticker', () => {
    const stored = batch(['--limit', '1', '--as-of', '2026-02-02', '--json']);
    expect(stored.status).toBe(0);
    const ticker = (JSON.parse(stored.stdout.trim().split('\n').at(-1)!) as { exampleTicker: string }).exampleTicker;
    const before = batch([ticker, '--json'], 'scripts/show.ts');
    expect(before.stdout).toContain(`"ticker":"${ticker}"`);
    expect(batch([...real, '--universe', badUniverse]).status).toBe(1);
    expect(batch([...real, '--universe', universe, '--tickers', 'ZZZZ']).status).toBe(2);
    const after = batch([ticker, '--json'], 'scripts/show.ts');
    expect(after.status).toBe(0);
    expect(after.stdout).toBe(before.stdout);
  });
});
