/** `npm run edgar-replay` as an operator runs it: prints its URL, serves until Ctrl-C, then its counts with --json. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const tsx = `${repo}node_modules/.bin/tsx`;

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'edgar-replay-cli-'));
  mkdirSync(join(dir, 'submissions'));
  writeFileSync(join(dir, 'submissions/CIK0000000042.json'), '{"cik":"0000000042"}');
  return dir;
}

let running: ChildProcess | undefined;
afterEach(() => {
  // A failed assertion must not leave the server running.
  if (running && running.exitCode === null) running.kill('SIGKILL');
  running = undefined;
});

describe('npm run edgar-replay', () => {
  it('prints the URL it serves on, answers as EDGAR, and prints its request counts as JSON when stopped', async () => {
    const child = spawn(tsx, ['scripts/edgar-replay.ts', '--dir', folder(), '--json'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    running = child;
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        const match = /^(http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code} before printing its URL`)));
    });
    const response = await fetch(`${url}/submissions/CIK0000000042.json`, { headers: { 'user-agent': 'Tests tests@example.com' } });
    expect(await response.json()).toEqual({ cik: '0000000042' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const last = JSON.parse(stdout.trim().split('\n').at(-1)!) as { url: string; requests: number; byStatus: Record<string, number> };
    expect(last).toMatchObject({ url, requests: 1, byStatus: { '200': 1 } });
  });

  it('refuses a --dir that is not a folder with one line and exit 2', () => {
    const result = spawnSync(tsx, ['scripts/edgar-replay.ts', '--dir', join(tmpdir(), 'no-such-edgar-folder')], {
      cwd: repo,
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe('error: --dir must be an existing folder');
  });
});
