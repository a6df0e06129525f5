/**
 * The cost commands as a user runs them: a batch through the Bedrock simulator (FA_LLM=sim, the
 * real SDK over loopback HTTP), then `npm run cost` on the same data dir — real CLIs in child
 * processes, a throwaway data dir.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  json?: unknown;
}

function cli(script: string, args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      resolve({ code, stdout, stderr, json: last.startsWith('{') ? JSON.parse(last) : undefined });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'fa-cost-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BatchJson = z.object({
  runId: z.string(),
  stocks: z.number(),
  failed: z.number(),
  cost: z.object({ perStockUsd: z.number(), estimated: z.boolean() }),
});
const CostJson = z.object({
  runId: z.string(),
  htmlFile: z.string(),
  total: z.object({ costUsd: z.number(), infrastructureUsd: z.number() }),
  byAgent: z.array(z.object({ name: z.string(), share: z.number() })),
  stocks: z.object({
    distribution: z.object({ count: z.number(), p50Usd: z.number(), p95Usd: z.number(), maxUsd: z.number(), meanUsd: z.number() }),
    meetsTarget: z.boolean(),
  }),
});

describe('the cost of a simulated run', () => {
  it('runs the batch through the Bedrock simulator, then breaks its cost down and writes a self-contained HTML report', async () => {
    const batch = await cli('scripts/batch.ts', ['--limit', '8', '--as-of', '2026-11-23', '--json'], {
      FA_DATA_DIR: dir,
      FA_LLM: 'sim',
      FA_SIM_LATENCY: 'none',
      FA_BEDROCK_ENDPOINT: '',
    });
    expect(batch.code).toBe(0);
    const summary = BatchJson.parse(batch.json);
    expect(summary).toMatchObject({ stocks: 8, failed: 0, cost: { estimated: false } });
    expect(summary.cost.perStockUsd).toBeGreaterThan(0.01);
    expect(summary.cost.perStockUsd).toBeLessThanOrEqual(0.1);

    const cost = await cli('scripts/cost.ts', ['--json'], { FA_DATA_DIR: dir });
    expect(cost.code).toBe(0);
    const report = CostJson.parse(cost.json);
    expect(report.runId).toBe(summary.runId);
    expect(report.stocks.distribution.count).toBe(8);
    expect(report.stocks.distribution.meanUsd).toBeCloseTo(summary.cost.perStockUsd, 6);
    expect(report.total.infrastructureUsd).toBeGreaterThan(0);
    expect(report.byAgent.map((a) => a.name)).toEqual(expect.arrayContaining(['writer', 'embedder', 'infrastructure']));
    expect(cost.stderr).toMatch(/per stock: mean \$/);
    expect(cost.stdout.trim().split('\n')).toHaveLength(1);

    expect(existsSync(report.htmlFile)).toBe(true);
    const html = readFileSync(report.htmlFile, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<svg');
    expect(html).toContain(summary.runId);
    // Self-contained: no scripts, no stylesheets or images fetched from anywhere.
    expect(html).not.toMatch(/<script|<link|src="http|href="http/i);
  });

  it('says in one line that a run id is unknown, and exits non-zero', async () => {
    const run = await cli('scripts/cost.ts', ['--run', 'run-that-never-was'], { FA_DATA_DIR: dir });
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(/^error: run run-that-never-was is not in the cost ledger/);
  });

  it('refuses a bad option with a one-line reason', async () => {
    const run = await cli('scripts/cost.ts', ['--run', 'bad id with spaces'], { FA_DATA_DIR: dir });
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(/^error: --run /);
  });
});
