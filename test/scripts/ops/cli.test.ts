/** The ops CLIs as an operator runs them: one-line errors and exit codes (no AWS is reached). */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../..', import.meta.url));

function run(script: string, args: string[]) {
  const result = spawnSync(`${repo}node_modules/.bin/tsx`, [`scripts/${script}.ts`, ...args], {
    cwd: repo,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      // No credentials anywhere, and no instance-metadata lookups to wait for.
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
}

describe('ops command lines', () => {
  it('traffic: an out-of-range percentage is a one-line usage error, exit 2', () => {
    const { status, stderr, stdout } = run('traffic', ['--stage', 'dev', '--percent', '150']);
    expect(status).toBe(2);
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^error: --percent /);
    expect(stdout).toBe('');
  });

  it('rollback: a missing --stage is a one-line usage error, exit 2', () => {
    const { status, stderr } = run('rollback', []);
    expect(status).toBe(2);
    expect(stderr).toBe("error: required option '--stage <stage>' not specified");
  });

  it('deploy: an unknown stage names the known ones, exit 1', () => {
    const { status, stderr } = run('deploy', ['--stage', 'qa', '--json']);
    expect(status).toBe(1);
    expect(stderr).toBe('error: stage "qa" is not configured; known stages: dev, prod');
  });

  it('rollback: without AWS credentials it says so in one line, exit 1', () => {
    const { status, stderr, stdout } = run('rollback', ['--stage', 'dev', '--function', 'query-api', '--json']);
    expect(status).toBe(1);
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^error: .*credential/i);
    expect(stdout).toBe('');
  });
});
