/**
 * `npm run check:supply-chain` end to end, on throwaway projects with planted problems (a git
 * dependency, a missing integrity hash, a GPL production dependency, an expired acceptance, a
 * high advisory) and on this repository. npm is replaced by a stand-in on PATH where the test
 * needs the advisory endpoint to refuse or to hang, so no test depends on the network.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const INTEGRITY = 'sha512-ulkCYfFbYj01ie1MDOyxv2F6SpRN1TOj7fQxbP07D6HmeR+gr2JLSmINKjga2emB+b1L2KGrFKBTc+e00p54nw==';
const REGISTRY = 'https://registry.npmjs.org/';
const CLEAN_AUDIT = { auditReportVersion: 2, vulnerabilities: {}, metadata: {} };

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Planted {
  lockEntries?: Record<string, Record<string, unknown>>;
  installed?: Record<string, string>;
  allow?: Array<Record<string, string>>;
}

/** A project with one production dependency `left-pad` (MIT), plus whatever is planted. */
function project(planted: Planted = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'supply-chain-'));
  dirs.push(root);
  const entries: Record<string, Record<string, unknown>> = {
    'node_modules/left-pad': {
      version: '1.3.0',
      resolved: `${REGISTRY}left-pad/-/left-pad-1.3.0.tgz`,
      integrity: INTEGRITY,
      license: 'MIT',
    },
    ...planted.lockEntries,
  };
  const dependencies = Object.fromEntries(Object.keys(entries).map((path) => [path.replace('node_modules/', ''), '*']));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'planted', version: '1.0.0', dependencies }));
  writeFileSync(
    join(root, 'package-lock.json'),
    JSON.stringify({
      name: 'planted',
      lockfileVersion: 3,
      packages: { '': { name: 'planted', version: '1.0.0', dependencies }, ...entries },
    }),
  );
  for (const [path, entry] of Object.entries(entries)) {
    mkdirSync(join(root, path), { recursive: true });
    const licence = planted.installed?.[path] ?? entry.license;
    writeFileSync(
      join(root, path, 'package.json'),
      JSON.stringify({ name: path.replace('node_modules/', ''), version: entry.version, license: licence }),
    );
  }
  mkdirSync(join(root, 'config'));
  writeFileSync(
    join(root, 'config/supply-chain.yaml'),
    JSON.stringify({
      registry: REGISTRY,
      licences: { allowed: ['MIT', 'ISC', 'Apache-2.0'], exceptions: [] },
      audit: { failOn: ['high', 'critical'], allow: planted.allow ?? [] },
    }),
  );
  writeFileSync(join(root, 'clean-audit.json'), JSON.stringify(CLEAN_AUDIT));
  return root;
}

/** A stand-in npm: `config get registry` answers; `audit` prints `auditOutput` or hangs. */
function fakeNpm(auditBehaviour: 'refuse' | 'hang'): string {
  const bin = mkdtempSync(join(tmpdir(), 'fake-npm-'));
  dirs.push(bin);
  const refusal = JSON.stringify({
    message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
    statusCode: 405,
  });
  writeFileSync(
    join(bin, 'npm'),
    [
      '#!/bin/sh',
      `if [ "$1" = config ]; then echo ${REGISTRY}; exit 0; fi`,
      auditBehaviour === 'hang' ? 'sleep 30' : `echo '${refusal}'; exit 1`,
    ].join('\n'),
  );
  chmodSync(join(bin, 'npm'), 0o755);
  return bin;
}

function check(args: string[], pathPrefix?: string) {
  const result = spawnSync(`${repo}node_modules/.bin/tsx`, [`${repo}scripts/check-supply-chain.ts`, ...args, '--json'], {
    cwd: repo,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: pathPrefix ? `${pathPrefix}:${process.env.PATH}` : process.env.PATH, HOME: process.env.HOME },
  });
  const lines = result.stdout.trim().split('\n');
  return { status: result.status, json: JSON.parse(lines[lines.length - 1]!) as Record<string, any>, stderr: result.stderr };
}

const withCleanAudit = (root: string) => ['--root', root, '--audit-report', join(root, 'clean-audit.json')];

describe('npm run check:supply-chain', () => {
  it('passes a clean project and reports its production licences', () => {
    const root = project();
    const { status, json } = check(withCleanAudit(root));
    expect(json.findings).toEqual([]);
    expect(json.licences).toEqual({ packages: 1, byLicence: { MIT: 1 }, findings: 0 });
    expect(json.audit).toEqual({ status: 'passed', advisories: 0, accepted: 0, failing: 0 });
    expect(status).toBe(0);
  });

  it('fails a planted git dependency and a package without integrity, exit 1', () => {
    const root = project({
      lockEntries: {
        'node_modules/from-git': {
          version: '1.0.0',
          resolved: 'git+https://github.com/evil/from-git.git#0123abc',
          integrity: INTEGRITY,
          license: 'MIT',
        },
        'node_modules/no-hash': { version: '1.0.0', resolved: `${REGISTRY}no-hash/-/no-hash-1.0.0.tgz`, license: 'MIT' },
      },
    });
    const { status, json } = check(withCleanAudit(root));
    expect(status).toBe(1);
    expect(json.pass).toBe(false);
    expect(json.findings).toEqual([
      expect.stringMatching(/^lock: from-git@1.0.0 is resolved from a git source/),
      'lock: no-hash@1.0.0 has no integrity hash',
    ]);
  });

  it('fails a GPL production dependency, read from the installed package.json', () => {
    // The lock says MIT; the installed package says GPL: what ships is what is installed.
    const root = project({
      lockEntries: {
        'node_modules/copyleft': {
          version: '2.0.0',
          resolved: `${REGISTRY}copyleft/-/copyleft-2.0.0.tgz`,
          integrity: INTEGRITY,
          license: 'MIT',
        },
      },
      installed: { 'node_modules/copyleft': 'GPL-3.0-only' },
    });
    const { status, json } = check(withCleanAudit(root));
    expect(status).toBe(1);
    expect(json.findings).toEqual(['licence: copyleft@2.0.0 is licensed GPL-3.0-only, which the allow-list does not admit']);
  });

  it('fails an expired acceptance even when the audit is clean', () => {
    const root = project({
      allow: [
        {
          id: 'GHSA-2222-3333-4444',
          package: 'left-pad',
          reason: 'Only reachable from the build, never from a deployed function.',
          expires: '2026-01-31',
        },
      ],
    });
    const { status, json } = check(withCleanAudit(root));
    expect(status).toBe(1);
    expect(json.allowList).toEqual({ entries: 1, findings: 1 });
    expect(json.findings[0]).toMatch(/^allow-list: GHSA-2222-3333-4444 \(left-pad\) expired on 2026-01-31/);
  });

  it('fails a high advisory in a saved audit report', () => {
    const root = project();
    const audit = join(root, 'audit.json');
    writeFileSync(
      audit,
      JSON.stringify({
        auditReportVersion: 2,
        vulnerabilities: {
          'left-pad': {
            name: 'left-pad',
            severity: 'high',
            via: [
              { source: 9, name: 'left-pad', title: 'ReDoS', url: 'https://github.com/advisories/GHSA-2222-3333-4444', severity: 'high' },
            ],
          },
        },
      }),
    );
    const { status, json } = check(['--root', root, '--audit-report', audit]);
    expect(status).toBe(1);
    expect(json.audit).toEqual({ status: 'failed', advisories: 1, accepted: 0, failing: 1 });
  });

  it('reports the audit skipped in one line when the advisory endpoint refuses, and still passes', () => {
    const { status, json, stderr } = check(['--root', project()], fakeNpm('refuse'));
    expect(json.audit).toEqual({ status: 'skipped', reason: expect.stringMatching(/^HTTP 405: /) });
    expect(stderr.split('\n').filter((line) => line.startsWith('audit: skipped'))).toHaveLength(1);
    expect(status).toBe(0);
  });

  it('gives up on an endpoint that does not answer within the time box', () => {
    const started = Date.now();
    const { status, json } = check(['--root', project(), '--audit-timeout', '1'], fakeNpm('hang'));
    expect(json.audit).toEqual({ status: 'skipped', reason: 'the advisory endpoint did not answer within 1 s' });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(status).toBe(0);
  });

  it('fails a skipped audit with --require-audit', () => {
    const { status, json } = check(['--root', project(), '--require-audit'], fakeNpm('refuse'));
    expect(status).toBe(1);
    expect(json.findings[0]).toMatch(/^audit: npm audit could not run: HTTP 405/);
  });

  it('passes this repository: both lock files and every production licence', () => {
    const { json } = check(['--audit-report', join(project(), 'clean-audit.json')]);
    expect(json.lock).toMatchObject({ files: 2, findings: 0 });
    expect(json.licences.packages).toBeGreaterThan(100);
    expect(json.licences.findings).toBe(0);
    expect(json.pass).toBe(true);
  });
});
