/** Every command line as a newcomer meets it: `--help` exits 0, a bad option is one line and exit 2. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const scripts = (JSON.parse(readFileSync(`${repo}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts;

/** Every npm script that runs one of our TypeScript CLIs. */
const CLIS = Object.entries(scripts).flatMap(([name, command]) => {
  const match = /^node --import tsx (\S+\.ts)$/.exec(command);
  return match ? [{ name, file: match[1]! }] : [];
});

function run(file: string, args: string[]) {
  const result = spawnSync(`${repo}node_modules/.bin/tsx`, [file, ...args], {
    cwd: repo,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, AWS_EC2_METADATA_DISABLED: 'true' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
}

describe('the command-line contract', () => {
  it('covers every CLI of package.json', () => {
    expect(CLIS.map((c) => c.name)).toEqual(expect.arrayContaining(['start', 'batch', 'show', 'serve', 'cost', 'load', 'bench:batch']));
  });

  it.each(CLIS)('$name --help prints its usage and exits 0', ({ file }) => {
    const { status, stdout, stderr } = run(file, ['--help']);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Usage: /);
    expect(stdout).toContain('--json');
    expect(status).toBe(0);
  });

  it('batch --limit abc is a one-line usage error naming the option, exit 2', () => {
    const { status, stdout, stderr } = run('scripts/batch.ts', ['--limit', 'abc']);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^error: --limit /);
  });

  it('an unknown option is a one-line usage error, exit 2', () => {
    const { status, stderr } = run('scripts/show.ts', ['WJRX', '--colour']);
    expect(status).toBe(2);
    expect(stderr).toBe("error: unknown option '--colour'");
  });
});
