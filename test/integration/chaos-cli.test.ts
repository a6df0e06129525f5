/**
 * `npm run chaos` on a few stocks, as a user runs it: the real CLI in a child process, which starts
 * dynalite and the Bedrock simulator, the query API and the batch in processes of their own, injects
 * every fault, kills the batch with SIGKILL and restarts the same run, then checks the stores.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function chaos(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/chaos.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run chaos', () => {
  it('survives every fault on 20 stocks and 200 queries: nothing lost or duplicated, no undocumented 5xx, the faults counted', async () => {
    const run = await chaos(['--stocks', '20', '--queries', '200', '--connections', '50', '--seed', '3', '--json']);
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    const report = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    expect(Object.keys(report)).toEqual(['batch', 'queries', 'faults', 'seed']);
    expect(report.batch).toMatchObject({ stocks: 20, lost: 0, duplicated: 0 });
    expect(report.batch.stored + report.batch.failed).toBe(20);
    expect(report.queries.requests).toBe(200);
    expect(report.queries.unexpected5xx).toBe(0);
    expect(report.seed).toBe(3);
    expect(report.faults.batch_kill).toBe(1);
    // Each kind of fault was injected in a run this size (the simulator's and the fault plan's).
    for (const kind of ['bedrock_throttle', 'malformed_output', 'dynamo_throttle', 'dynamo_5xx'])
      expect(report.faults[kind]).toBeGreaterThan(0);
    expect(run.stderr).toMatch(/kill -9 of the batch \(pid \d+\) after \d+ stocks; restarting run chaos-3-/);
  }, 120_000);

  it('refuses a bad argument with one line and exit 2, before starting anything', async () => {
    const run = await chaos(['--stocks', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual(['error: --stocks Too small: expected number to be >=1']);
  });
});
