import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  checkLockFile,
  LockFileSchema,
  nonRegistrySpec,
  productionClosure,
  resolveDependency,
} from '../../../../scripts/lib/supply-chain/lock-file';
import type { LockEntry, LockFile } from '../../../../scripts/lib/supply-chain/lock-file';

const REGISTRY = 'https://registry.npmjs.org/';
const INTEGRITY = 'sha512-ulkCYfFbYj01ie1MDOyxv2F6SpRN1TOj7fQxbP07D6HmeR+gr2JLSmINKjga2emB+b1L2KGrFKBTc+e00p54nw==';

function lockWith(packages: Record<string, LockEntry>, rootDependencies: Record<string, string> = { good: '^1.0.0' }): LockFile {
  return {
    lockfileVersion: 3,
    packages: {
      '': { name: 'app', version: '1.0.0', dependencies: rootDependencies },
      'node_modules/good': { version: '1.0.0', resolved: `${REGISTRY}good/-/good-1.0.0.tgz`, integrity: INTEGRITY, license: 'MIT' },
      ...packages,
    },
  };
}

const problems = (lock: LockFile) => checkLockFile(lock, REGISTRY, 'package-lock.json').map((f) => `${f.subject} ${f.problem}`);

describe('the lock-file check', () => {
  it('passes a lock of registry tarballs with sha512 integrity, and one without resolved URLs', () => {
    expect(problems(lockWith({}))).toEqual([]);
    expect(problems(lockWith({ 'node_modules/bare': { version: '2.0.0', integrity: INTEGRITY } }))).toEqual([]);
  });

  it('passes the repository lock files as they are', () => {
    for (const file of ['package-lock.json', 'tools/lint/package-lock.json']) {
      const lock = LockFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
      expect(checkLockFile(lock, REGISTRY, file)).toEqual([]);
    }
  });

  it('fails a package without an integrity hash, or with only a sha1 one', () => {
    expect(problems(lockWith({ 'node_modules/loose': { version: '1.0.0' } }))).toEqual(['loose@1.0.0 has no integrity hash']);
    expect(problems(lockWith({ 'node_modules/old': { version: '1.0.0', integrity: 'sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk=' } }))[0]).toMatch(
      /^old@1.0.0 has no sha512 integrity/,
    );
  });

  it('lets bundled packages go without integrity (their parent tarball carries it)', () => {
    expect(problems(lockWith({ 'node_modules/good/node_modules/inner': { version: '1.0.0', inBundle: true } }))).toEqual([]);
  });

  it('fails git, tarball-URL, plain-http, other-registry and file sources', () => {
    const found = problems(
      lockWith({
        'node_modules/from-git': { version: '1.0.0', resolved: 'git+ssh://git@github.com/evil/from-git.git#abc123', integrity: INTEGRITY },
        'node_modules/from-url': { version: '1.0.0', resolved: 'https://evil.example.com/from-url-1.0.0.tgz', integrity: INTEGRITY },
        'node_modules/over-http': {
          version: '1.0.0',
          resolved: 'http://registry.npmjs.org/over-http/-/over-http-1.0.0.tgz',
          integrity: INTEGRITY,
        },
        'node_modules/from-file': { version: '1.0.0', resolved: 'file:../vendor/from-file-1.0.0.tgz', integrity: INTEGRITY },
        'node_modules/linked': { resolved: '../linked', link: true },
      }),
    );
    expect(found).toEqual([
      expect.stringMatching(/^from-git@1.0.0 is resolved from a git source/),
      expect.stringMatching(/^from-url@1.0.0 is resolved from a tarball URL/),
      expect.stringMatching(/^over-http@1.0.0 is resolved over plain http/),
      expect.stringMatching(/^from-file@1.0.0 is resolved from a local path/),
      'linked@? is a link to ../linked, not a registry package',
    ]);
  });

  it('fails git and URL specs in the root dependencies', () => {
    const found = problems(lockWith({}, { good: '^1.0.0', hosted: 'evil/hosted#main', tarball: 'https://evil.example.com/t.tgz' }));
    expect(found).toEqual([
      expect.stringMatching(/dependencies.hosted comes from a git source/),
      expect.stringMatching(/dependencies.tarball comes from a tarball URL/),
    ]);
  });

  it('fails a registry that is not https', () => {
    expect(checkLockFile(lockWith({}), 'http://registry.example.com/', 'package-lock.json')[0]?.problem).toMatch(/is not https/);
  });

  it('tells registry specs and aliases from the rest', () => {
    expect(nonRegistrySpec('^1.2.3')).toBeUndefined();
    expect(nonRegistrySpec('npm:@scope/pkg@^2.0.0')).toBeUndefined();
    expect(nonRegistrySpec('github:evil/pkg')).toMatch(/git/);
    expect(nonRegistrySpec('npm:evil/pkg')).toBeUndefined();
  });
});

describe('the production closure', () => {
  it('resolves a dependency as Node does: the nearest node_modules upward', () => {
    const packages = lockWith({
      'node_modules/a': { version: '1.0.0' },
      'node_modules/b': { version: '1.0.0' },
      'node_modules/b/node_modules/a': { version: '2.0.0' },
    }).packages;
    expect(resolveDependency(packages, 'node_modules/b', 'a')).toBe('node_modules/b/node_modules/a');
    expect(resolveDependency(packages, 'node_modules/good', 'a')).toBe('node_modules/a');
    expect(resolveDependency(packages, 'node_modules/good', 'missing')).toBeUndefined();
  });

  it('walks dependencies and required peers, not devDependencies, and skips absent optional ones', () => {
    const lock = lockWith({
      'node_modules/good': { version: '1.0.0', dependencies: { child: '^1' }, optionalDependencies: { 'other-platform': '^1' } },
      'node_modules/child': {
        version: '1.0.0',
        peerDependencies: { peer: '^1', 'optional-peer': '^1' },
        peerDependenciesMeta: { 'optional-peer': { optional: true } },
      },
      'node_modules/peer': { version: '1.0.0' },
      'node_modules/dev-only': { version: '1.0.0', dev: true },
    });
    lock.packages['']!.devDependencies = { 'dev-only': '^1' };
    const closure = productionClosure(lock);
    expect(closure.paths).toEqual(['node_modules/child', 'node_modules/good', 'node_modules/peer']);
    expect(closure.findings).toEqual([]);
  });

  it('reports a required dependency the lock file does not hold', () => {
    const closure = productionClosure(lockWith({ 'node_modules/good': { version: '1.0.0', dependencies: { gone: '^1' } } }));
    expect(closure.findings.map((f) => `${f.subject} ${f.problem}`)).toEqual(['good@1.0.0 needs gone, which the lock file does not hold']);
  });

  it('finds exactly the packages npm marks as production in the repository lock file', () => {
    const lock = LockFileSchema.parse(JSON.parse(readFileSync('package-lock.json', 'utf8')));
    const marked = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && !entry.dev && !entry.devOptional)
      .map(([path]) => path)
      .sort();
    const closure = productionClosure(lock);
    expect(closure.findings).toEqual([]);
    expect(closure.paths).toEqual(marked);
  });
});
