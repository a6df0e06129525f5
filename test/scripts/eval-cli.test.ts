/** `npm run eval` as CI runs it: the real CLI in a child process, its exit codes and its last stdout line. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'eval-cli-'));

function evalCli(args: string[]) {
  const result = spawnSync(`${repo}node_modules/.bin/tsx`, ['scripts/eval.ts', '--report-dir', dir, ...args], {
    cwd: repo,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
}

describe('npm run eval', () => {
  it('exits 100 when a quality gate fails, with the contract line last and the reports written', () => {
    const thresholds = JSON.parse(readFileSync(`${repo}evals/thresholds.json`, 'utf8')) as {
      suites: Record<string, Record<string, object>>;
    };
    // A limit no detector meets: every clean control would have to be flagged.
    thresholds.suites.adversarial!.false_positive_rate = { min: 1 };
    const strict = join(dir, 'strict.json');
    writeFileSync(strict, JSON.stringify(thresholds));
    const { status, stdout, stderr } = evalCli([
      '--suite',
      'adversarial',
      '--limit',
      '20',
      '--thresholds',
      strict,
      '--baseline',
      'none',
      '--json',
    ]);
    expect(status).toBe(100);
    const line = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      pass: boolean;
      suites: Record<string, { n: number; metrics: Record<string, { pass: boolean }> }>;
      datasets: Record<string, string>;
    };
    expect(line.pass).toBe(false);
    expect(line.suites.adversarial!.metrics.false_positive_rate!.pass).toBe(false);
    expect(Object.keys(line.datasets)).toEqual(['regression', 'adversarial', 'query']);
    expect(stderr).toMatch(/adversarial: n=\d+, FAILED false_positive_rate/);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('FAIL');
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toMatch(
      /<testcase classname="eval.adversarial" name="false_positive_rate"[^]*?<failure /,
    );
  });

  it('exits 1 with a one-line reason when it cannot run', () => {
    const { status, stderr } = evalCli(['--suite', 'adversarial', '--thresholds', join(dir, 'missing.json')]);
    expect(status).toBe(1);
    expect(stderr.split('\n').at(-1)).toMatch(/^error: ConfigError: thresholds .*missing\.json cannot be read as JSON/);
  });

  it('exits 2 on a bad option, naming it', () => {
    const { status, stderr } = evalCli(['--suite', 'everything']);
    expect(status).toBe(2);
    expect(stderr).toMatch(/^error: --suite /);
    expect(stderr.split('\n')).toHaveLength(1);
  });
});
