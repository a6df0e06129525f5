/**
 * `npm run ab` as a user meets it: `aa --json` ends with the JSON line from seeded runs,
 * `simulate` runs the evaluation suite through each arm and pairs the items, a bad action is a one-line usage error, and the HTML report is
 * self-contained with an interval plot per metric.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyse } from '../../lambdas/core/experiments/decision';
import { loadExperiments } from '../../lambdas/adapters/experiments-file';
import { renderAbReportHtml } from '../../scripts/lib/ab-report-html';

const repo = fileURLToPath(new URL('../..', import.meta.url));

function ab(args: string[], timeout = 120_000) {
  const result = spawnSync(`${repo}node_modules/.bin/tsx`, ['scripts/ab.ts', ...args], {
    cwd: repo,
    encoding: 'utf8',
    timeout,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, AWS_EC2_METADATA_DISABLED: 'true' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
}

describe('npm run ab', () => {
  it('aa --json ends with {aa, power, srm} from seeded simulations that pass', () => {
    const { status, stdout, stderr } = ab(['aa', '--runs', '300', '--json']);
    expect(status, stderr).toBe(0);
    const last = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(Object.keys(last)).toEqual(['aa', 'power', 'srm']);
    expect(Object.keys(last.aa)).toEqual(['runs', 'peeks', 'falsePositiveRate']);
    expect(Object.keys(last.power)).toEqual(['plannedLift', 'plannedPower', 'detectedRate']);
    expect(Object.keys(last.srm)).toEqual(['detected', 'p']);
    expect(last.aa).toMatchObject({ runs: 300, peeks: 40 });
    expect(last.aa.falsePositiveRate).toBeLessThanOrEqual(0.05);
    expect(last.power).toMatchObject({ plannedLift: 0.1, plannedPower: 0.8 });
    expect(last.power.detectedRate).toBeGreaterThanOrEqual(0.8);
    expect(last.srm.detected).toBe(true);
    expect(last.srm.p).toBeLessThan(0.001);
    expect(stderr).toMatch(/A\/A false positives/);
  });

  it('simulate runs the evaluation suite through each arm, pairs the items, and v2 writes shorter medium briefs without failing a guardrail', () => {
    const reportDir = mkdtempSync(join(tmpdir(), 'fa-ab-sim-'));
    try {
      const { status, stdout, stderr } = ab(
        ['simulate', '--test', 'medium_writer', '--stocks', '12', '--report-dir', reportDir, '--json'],
        400_000,
      );
      expect(status, stderr).toBe(0);
      const check = JSON.parse(stdout.trim().split('\n').at(-1)!);
      expect(check).toMatchObject({ experiment: 'medium_writer', control: 'v1', treatment: 'v2', passed: true });
      expect(check.evaluations.map((e: { arm: string }) => e.arm)).toEqual(['v1', 'v2']);
      // Every one of the 12 stocks was written through the arm forced on it: had the hash assigned them
      // (90/10) both runs would be mostly v1 and the difference near 0.
      const words = check.metrics.find((m: { metric: string }) => m.metric === 'medium_words');
      expect(words.n).toBe(12);
      expect(words.difference).toBeLessThan(-10);
      expect(words.interval[1]).toBeLessThan(0);
      expect(check.metrics.map((m: { metric: string }) => m.metric)).toEqual(
        expect.arrayContaining([
          'fact_check_pass_rate',
          'facts_only_rate',
          'answer_flagged_rate',
          'eval_pass.regression',
          'eval_pass.query',
        ]),
      );
      for (const arm of ['v1', 'v2']) {
        const report = JSON.parse(readFileSync(join(reportDir, arm, 'report.json'), 'utf8'));
        expect(report.arms).toBe(`medium_writer=${arm}`);
        expect(Object.keys(report.suites.regression.items)).toHaveLength(12);
      }
      expect(stderr).toMatch(/PASSED: no guardrail degrades/);
    } finally {
      rmSync(reportDir, { recursive: true, force: true });
    }
  }, 420_000);

  it('an unknown action or experiment is a one-line usage error, exit 2', () => {
    const bad = ab(['deploy']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^error: .*must be one of list, start, stop, report, simulate, aa$/);
    const unknown = ab(['aa', '--test', 'no_such_test']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe('error: no experiment no_such_test in the config (known: medium_writer)');
  });
});

describe('the HTML report', () => {
  it('is one self-contained page with the decision and an SVG interval plot per metric', () => {
    const experiment = loadExperiments().experiments[0]!;
    const rate = (n: number, p: number) => ({ n, sum: Math.round(n * p), sumSq: Math.round(n * p) });
    const report = analyse(
      experiment,
      {
        exposures: { v1: 9_000, v2: 1_000 },
        metrics: {
          fact_check_pass_rate: { v1: rate(9_000, 0.8), v2: rate(1_000, 0.83) },
          facts_only_rate: { v1: rate(9_000, 0.02), v2: rate(1_000, 0.02) },
        },
      },
      { elapsedDays: 5 },
    );
    const html = renderAbReportHtml(report, '2026-12-04T00:00:00Z');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain(`Decision: ${report.decision.replace('_', ' ')}`);
    expect(html).not.toMatch(/<script|<link|src=/);
    const metrics = 1 + experiment.metrics.guardrails.length + experiment.metrics.secondary.length;
    expect(html.match(/<svg /g)).toHaveLength(metrics);
    expect(html).toMatch(/aria-label="relative lift 3\.[78]%, always-valid interval -?\d+\.\d% to \d+\.\d%"/);
  });
});
