/**
 * `npm run check:supply-chain -- [--root DIR] [--policy FILE] [--audit-report FILE] [--audit-timeout S]
 * [--require-audit] [--json]`: the supply chain checked offline against config/supply-chain.yaml —
 * the lock files (https registry only, sha512 integrity on every downloaded package, no git, tarball
 * URL, file or link sources), the licences of the production closure, and `npm audit --omit=dev`
 * where the advisory endpoint answers (time-boxed; reported as skipped in one line where it does
 * not). Findings on stderr; with --json the last stdout line is
 * {pass, lock, licences, audit, allowList, findings}. Exit 0 clean, 1 a finding, 2 usage.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { describeIssue } from '../lambdas/core/validation';
import { cli, printJson, runCli } from './lib/cli';
import { AuditReportSchema, auditUnavailableReason, judgeAudit } from './lib/supply-chain/audit';
import type { AuditJudgement } from './lib/supply-chain/audit';
import { checkLicences, declaredLicence } from './lib/supply-chain/licences';
import type { DeclaredLicence } from './lib/supply-chain/licences';
import { checkLockFile, LockFileSchema, packageNameOf, productionClosure } from './lib/supply-chain/lock-file';
import type { Finding, LockFile } from './lib/supply-chain/lock-file';
import { checkAllowances, SupplyChainPolicySchema } from './lib/supply-chain/policy';
import type { SupplyChainPolicy } from './lib/supply-chain/policy';

const OptionsSchema = z
  .object({
    root: z.string().min(1).default('.'),
    policy: z.string().min(1).optional(),
    auditReport: z.string().min(1).optional(),
    auditTimeout: z.coerce.number().positive().max(600).default(20),
    requireAudit: z.boolean().default(false),
    json: z.boolean().default(false),
  })
  .strict();

/** Lock files checked, relative to the root: the application's and the lint toolchain's (tools/lint). */
const LOCK_FILES = ['package-lock.json', 'tools/lint/package-lock.json'];

const program = cli('check:supply-chain', 'Check the lock files, production licences and npm audit against config/supply-chain.yaml')
  .option('--root <dir>', 'the project whose package-lock.json and node_modules are checked (default .)')
  .option('--policy <file>', 'the policy (default <root>/config/supply-chain.yaml)')
  .option('--audit-report <file>', 'judge a saved `npm audit --omit=dev --json` report instead of running npm audit')
  .option('--audit-timeout <seconds>', 'give up on the advisory endpoint after this long and report the audit skipped (default 20)')
  .option('--require-audit', 'fail when npm audit cannot run (where the advisory endpoint is expected to answer)');

const log = (line: string) => process.stderr.write(`${line}\n`);

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8')) as unknown;
}

class CheckError extends Error {
  override readonly name = 'CheckError';
}

function readPolicy(file: string): SupplyChainPolicy {
  if (!existsSync(file)) throw new CheckError(`the policy ${file} does not exist`);
  const parsed = SupplyChainPolicySchema.safeParse(parseYaml(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new CheckError(`${file}: ${describeIssue(parsed.error)}`);
  return parsed.data;
}

function readLock(file: string): LockFile {
  const parsed = LockFileSchema.safeParse(readJson(file));
  if (!parsed.success) throw new CheckError(`${file} is not a package-lock.json: ${describeIssue(parsed.error)}`);
  return parsed.data;
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly timedOut: boolean;
  readonly error?: string;
}

/** Run a command with a deadline; never throws (a missing npm is a result too). */
function run(command: string, args: readonly string[], cwd: string, timeoutSeconds: number): Promise<Run> {
  return new Promise((done) => {
    // A process group of its own, so a deadline ends npm and anything it started (which would
    // otherwise hold stdout open).
    const child = spawn(command, [...args], { cwd, stdio: ['ignore', 'pipe', 'ignore'], detached: true });
    let stdout = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      done({ code: null, stdout, timedOut });
    }, timeoutSeconds * 1000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      done({ code: null, stdout, timedOut, error: error.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, timedOut });
    });
  });
}

/** The registry npm would install from here, or undefined when npm cannot say. */
async function configuredRegistry(root: string): Promise<string | undefined> {
  const result = await run('npm', ['config', 'get', 'registry'], root, 15);
  const value = result.stdout.trim();
  return result.code === 0 && value ? value : undefined;
}

const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

/** The production packages and their declared licences, read from node_modules (or the lock file). */
function productionLicences(root: string, lock: LockFile, paths: readonly string[]): DeclaredLicence[] {
  return paths.map((path) => {
    const entry = lock.packages[path]!;
    const manifestFile = join(root, path, 'package.json');
    const manifest = existsSync(manifestFile) ? readJson(manifestFile) : undefined;
    const licence = declaredLicence(manifest) ?? declaredLicence({ license: entry.license });
    return { name: packageNameOf(path, entry), version: entry.version ?? '?', licence };
  });
}

type AuditOutcome = { readonly status: 'skipped'; readonly reason: string } | ({ readonly status: 'passed' | 'failed' } & AuditJudgement);

async function audit(
  root: string,
  policy: SupplyChainPolicy,
  options: z.infer<typeof OptionsSchema>,
  today: string,
): Promise<AuditOutcome> {
  let output: unknown;
  if (options.auditReport) {
    output = readJson(options.auditReport);
  } else {
    log(`audit: npm audit --omit=dev (at most ${options.auditTimeout} s)`);
    const result = await run('npm', ['audit', '--omit=dev', '--json'], root, options.auditTimeout);
    if (result.timedOut) return { status: 'skipped', reason: `the advisory endpoint did not answer within ${options.auditTimeout} s` };
    if (result.error) return { status: 'skipped', reason: `npm could not run: ${result.error}` };
    try {
      output = JSON.parse(result.stdout) as unknown;
    } catch {
      return { status: 'skipped', reason: `npm audit exited ${result.code} without a JSON report` };
    }
  }
  const report = AuditReportSchema.safeParse(output);
  if (!report.success) {
    if (options.auditReport) throw new CheckError(`${options.auditReport} is not an npm audit report: ${describeIssue(report.error)}`);
    return { status: 'skipped', reason: auditUnavailableReason(output) };
  }
  const judgement = judgeAudit(report.data, policy.audit, today);
  return { status: judgement.findings.length > 0 ? 'failed' : 'passed', ...judgement };
}

runCli(program, OptionsSchema, async (options) => {
  const root = resolve(options.root);
  const policy = readPolicy(options.policy ?? join(root, 'config/supply-chain.yaml'));
  const today = new Date().toISOString().slice(0, 10);
  const findings: Finding[] = [];

  // 1. The lock files, and the registry npm is configured to use.
  const lockFiles = LOCK_FILES.filter((file) => existsSync(join(root, file)));
  if (!lockFiles.includes('package-lock.json')) throw new CheckError(`${root} has no package-lock.json`);
  const locks = lockFiles.map((file) => ({ file, lock: readLock(join(root, file)) }));
  for (const { file, lock } of locks) findings.push(...checkLockFile(lock, policy.registry, file));
  const registry = await configuredRegistry(root);
  if (registry !== undefined && withSlash(registry) !== withSlash(policy.registry)) {
    findings.push({ check: 'lock', subject: 'npm config', problem: `installs from ${registry}, not ${policy.registry}` });
  }
  const lockPackages = locks.reduce((sum, { lock }) => sum + Object.keys(lock.packages).length - 1, 0);
  log(`lock: ${lockPackages} packages in ${lockFiles.join(', ')}; registry ${registry ?? '(npm did not say)'}`);

  // 2. Licences of the production closure of the application's lock file.
  const appLock = locks[0]!.lock;
  const closure = productionClosure(appLock);
  findings.push(...closure.findings);
  const licences = checkLicences(productionLicences(root, appLock, closure.paths), policy.licences);
  findings.push(...licences.findings);
  log(`licences: ${closure.paths.length} production packages, ${Object.keys(licences.counts).length} distinct licence expressions`);

  // 3. The acceptances (an expired one fails even when the audit cannot run), then the audit.
  findings.push(...checkAllowances(policy.audit.allow, today));
  const audited = await audit(root, policy, options, today);
  if (audited.status === 'skipped') {
    log(`audit: skipped (${audited.reason})`);
    if (options.requireAudit) findings.push({ check: 'audit', subject: 'npm audit', problem: `could not run: ${audited.reason}` });
  } else {
    findings.push(...audited.findings);
    log(`audit: ${audited.status}, ${audited.advisories.length} advisories, ${audited.findings.length} failing`);
  }

  for (const finding of findings) log(`${finding.check}: ${finding.subject} ${finding.problem}`);
  const pass = findings.length === 0;
  log(pass ? 'supply chain: clean' : `supply chain: ${findings.length} finding${findings.length === 1 ? '' : 's'}`);
  if (options.json) {
    printJson({
      pass,
      lock: { files: lockFiles.length, packages: lockPackages, findings: findings.filter((f) => f.check === 'lock').length },
      licences: { packages: closure.paths.length, byLicence: licences.counts, findings: licences.findings.length },
      audit:
        audited.status === 'skipped'
          ? { status: 'skipped', reason: audited.reason }
          : {
              status: audited.status,
              advisories: audited.advisories.length,
              accepted: audited.advisories.filter((advisory) => advisory.accepted).length,
              failing: audited.findings.length,
            },
      allowList: { entries: policy.audit.allow.length, findings: findings.filter((f) => f.check === 'allow-list').length },
      findings: findings.map((f) => `${f.check}: ${f.subject} ${f.problem}`),
    });
  }
  if (!pass) process.exitCode = 1;
  return undefined;
});
