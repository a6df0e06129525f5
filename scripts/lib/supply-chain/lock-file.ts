/**
 * What a package-lock.json (lockfileVersion 2 or 3) must hold for an install to fetch exactly what
 * was reviewed: every package from the https registry (or, with no `resolved`, from the configured
 * registry, which must itself be https), an `integrity` hash on every package npm downloads, and no
 * git, tarball-URL, file or link sources anywhere. Also the production closure: the packages a
 * deployed function or `npm ci --omit=dev` brings in, walked from the root's dependencies the way
 * Node resolves them. Pure: the caller reads the files.
 */
import { z } from 'zod';

const DependencyMap = z.record(z.string(), z.string());

/** One `packages` entry (only the fields the checks read; npm writes more). */
export const LockEntrySchema = z.looseObject({
  name: z.string().optional(),
  version: z.string().optional(),
  resolved: z.string().optional(),
  integrity: z.string().optional(),
  link: z.boolean().optional(),
  dev: z.boolean().optional(),
  devOptional: z.boolean().optional(),
  optional: z.boolean().optional(),
  inBundle: z.boolean().optional(),
  license: z.unknown().optional(),
  dependencies: DependencyMap.optional(),
  devDependencies: DependencyMap.optional(),
  optionalDependencies: DependencyMap.optional(),
  peerDependencies: DependencyMap.optional(),
  peerDependenciesMeta: z.record(z.string(), z.looseObject({ optional: z.boolean().optional() })).optional(),
});
export type LockEntry = z.infer<typeof LockEntrySchema>;

export const LockFileSchema = z.looseObject({
  lockfileVersion: z.number().int(),
  packages: z.record(z.string(), LockEntrySchema),
});
export type LockFile = z.infer<typeof LockFileSchema>;

/** One problem, as one line a reviewer can act on. */
export interface Finding {
  readonly check: 'lock' | 'licence' | 'audit' | 'allow-list';
  /** The package (name@version) or file the finding is about. */
  readonly subject: string;
  readonly problem: string;
}

/** Specs that bypass the registry: git, hosted-git shorthands, URLs, files, links, aliases to those. */
const NON_REGISTRY_SPEC = /^(git\+|git:|github:|gitlab:|bitbucket:|gist:|https?:|file:|link:|\.{0,2}\/|~\/)|^[\w.-]+\/[\w.-]+(#.*)?$/;

/** Why a dependency spec in package.json bypasses the registry, or undefined when it does not. */
export function nonRegistrySpec(spec: string): string | undefined {
  const target = spec.startsWith('npm:') ? spec.slice(spec.lastIndexOf('@') + 1) : spec;
  if (!NON_REGISTRY_SPEC.test(target)) return undefined;
  if (/^(git\+|git:|github:|gitlab:|bitbucket:|gist:)|^[\w.-]+\/[\w.-]+(#.*)?$/.test(target)) return `a git source (${spec})`;
  if (/^https?:/.test(target)) return `a tarball URL (${spec})`;
  return `a local path (${spec})`;
}

/** The package name of a lock path (`node_modules/a/node_modules/@s/b` → `@s/b`), or its `name`. */
export function packageNameOf(path: string, entry?: LockEntry): string {
  if (entry?.name) return entry.name;
  const at = path.lastIndexOf('node_modules/');
  return at < 0 ? path : path.slice(at + 'node_modules/'.length);
}

function subjectOf(path: string, entry: LockEntry): string {
  return `${packageNameOf(path, entry)}@${entry.version ?? '?'}`;
}

/** The registry's tarball URL shape: `<registry>/<name>/-/<file>.tgz`. */
function isRegistryTarball(resolved: string, registry: string): boolean {
  const base = registry.endsWith('/') ? registry : `${registry}/`;
  return resolved.startsWith(base) && /\/-\/[^/]+\.tgz$/.test(resolved);
}

/**
 * Check one lock file. `registry` is the registry every package must come from (https); `label`
 * names the file in findings.
 */
export function checkLockFile(lock: LockFile, registry: string, label: string): Finding[] {
  const findings: Finding[] = [];
  const add = (subject: string, problem: string) => findings.push({ check: 'lock', subject, problem });
  if (!registry.startsWith('https://')) add(label, `the registry ${registry} is not https`);
  if (lock.lockfileVersion < 2)
    add(label, `lockfileVersion ${lock.lockfileVersion} has no "packages" map; regenerate it with npm 7 or later`);
  const root = lock.packages[''];
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies'] as const) {
    for (const [name, spec] of Object.entries(root?.[field] ?? {})) {
      const why = nonRegistrySpec(spec);
      if (why) add(`${label} ${field}.${name}`, `comes from ${why}, not the registry`);
    }
  }
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '') continue;
    const subject = subjectOf(path, entry);
    if (entry.link) {
      add(subject, `is a link to ${entry.resolved ?? 'a local folder'}, not a registry package`);
      continue;
    }
    if (entry.version !== undefined && nonRegistrySpec(entry.version))
      add(subject, `has the version ${entry.version}, not a registry version`);
    if (entry.resolved !== undefined && !isRegistryTarball(entry.resolved, registry)) {
      const why = entry.resolved.startsWith('http://') ? undefined : nonRegistrySpec(entry.resolved);
      if (entry.resolved.startsWith('http://')) add(subject, `is resolved over plain http (${entry.resolved})`);
      else add(subject, `is resolved from ${why ?? entry.resolved}, not a tarball of ${registry}`);
    }
    // Bundled packages arrive inside their parent's tarball, which the parent's integrity covers.
    if (entry.inBundle) continue;
    if (!entry.integrity) add(subject, 'has no integrity hash');
    else if (!/(^|\s)sha512-[A-Za-z0-9+/]+=*(\s|$)/.test(entry.integrity))
      add(subject, `has no sha512 integrity (${entry.integrity.slice(0, 12)}…)`);
  }
  return findings;
}

/** Resolve `name` required by the package at `fromPath` as Node would: nearest node_modules upward. */
export function resolveDependency(packages: LockFile['packages'], fromPath: string, name: string): string | undefined {
  let base = fromPath;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (base === '') return undefined;
    const parent = base.lastIndexOf('/node_modules/');
    base = parent < 0 ? '' : base.slice(0, parent);
  }
}

/** The production closure and the required dependencies it could not find. */
export interface ProductionClosure {
  /** Lock paths, sorted. */
  readonly paths: readonly string[];
  readonly findings: readonly Finding[];
}

/**
 * Walk the production closure: the root's dependencies, optionalDependencies and (non-optional)
 * peerDependencies, then theirs, never its devDependencies. An optional dependency absent from the
 * lock (another platform's binary) is skipped; a required one is a finding.
 */
export function productionClosure(lock: LockFile): ProductionClosure {
  const { packages } = lock;
  const seen = new Set<string>();
  const findings: Finding[] = [];
  const queue: string[] = [''];
  while (queue.length > 0) {
    const from = queue.pop()!;
    const entry = packages[from];
    if (!entry) continue;
    const wanted: Array<[string, boolean]> = [
      ...Object.keys(entry.dependencies ?? {}).map((name): [string, boolean] => [name, false]),
      ...Object.keys(entry.optionalDependencies ?? {}).map((name): [string, boolean] => [name, true]),
      ...Object.keys(entry.peerDependencies ?? {}).map((name): [string, boolean] => [
        name,
        entry.peerDependenciesMeta?.[name]?.optional === true,
      ]),
    ];
    for (const [name, optional] of wanted) {
      const path = resolveDependency(packages, from, name);
      if (!path) {
        if (!optional)
          findings.push({
            check: 'lock',
            subject: from === '' ? 'package.json' : subjectOf(from, entry),
            problem: `needs ${name}, which the lock file does not hold`,
          });
        continue;
      }
      if (seen.has(path)) continue;
      seen.add(path);
      queue.push(path);
    }
  }
  return { paths: [...seen].sort(), findings };
}
