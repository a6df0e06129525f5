/**
 * The pre-launch check of `npm run ab -- simulate`: the evaluation suite (`npm run eval`) run once
 * per arm, each in a process of its own with that arm forced on every unit (`--arm`, so no unit is
 * assigned or counted), on the same pinned datasets. Items evaluated in both runs are paired per
 * experiment metric and per suite verdict, and the treatment is judged against the guardrails.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Experiment } from '../../lambdas/core/experiments/definitions';
import { pairEvaluationItems, prelaunchCheck } from '../../lambdas/core/experiments/paired';
import type { EvaluatedItems, PrelaunchCheck } from '../../lambdas/core/experiments/paired';
import type { EvalReport } from '../../evals/lib/run-eval';

export interface SimulateOptions {
  /** Only the first N regression stocks (and the questions about them), as `npm run eval -- --limit`. */
  limit?: number;
  /** Where each arm's reports go: `<dir>/<arm>/report.{json,html,md}`; a temporary folder when absent. */
  reportDir?: string;
  progress: (line: string) => void;
}

export interface ArmEvaluation {
  arm: string;
  /** Whether this arm's run passed every gate of the evaluation suite (its thresholds, no baseline). */
  gatesPassed: boolean;
  seconds: number;
  reportDir: string;
}

export type SimulationResult = PrelaunchCheck & { evaluations: ArmEvaluation[] };

/** One evaluation through one arm; exit 100 (a failed gate) is a result, anything else but 0 an error. */
async function evaluateArm(experiment: Experiment, arm: string, reportDir: string, options: SimulateOptions): Promise<EvalReport> {
  const args = ['--import', 'tsx', 'scripts/eval.ts', '--suite', 'all', '--arm', `${experiment.key}=${arm}`];
  args.push('--baseline', 'none', '--report-dir', reportDir, ...(options.limit ? ['--limit', String(options.limit)] : []));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: process.env });
  const tail: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    tail.push(line);
    if (tail.length > 5) tail.shift();
    options.progress(`[${arm}] ${line}`);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0 && code !== 100) throw new Error(`the evaluation through arm ${arm} could not run (exit ${code}): ${tail.at(-1) ?? ''}`);
  return JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as EvalReport;
}

const itemsOf = (report: EvalReport): Record<string, EvaluatedItems> =>
  Object.fromEntries(Object.entries(report.suites).map(([suite, s]) => [suite, s.items]));

export async function simulateArms(experiment: Experiment, options: SimulateOptions): Promise<SimulationResult> {
  const [control, treatment] = experiment.arms;
  if (!control || !treatment) throw new Error(`${experiment.key} needs a control and a treatment arm`);
  const root = options.reportDir ?? mkdtempSync(join(tmpdir(), 'fa-ab-simulate-'));
  try {
    const evaluations: ArmEvaluation[] = [];
    const reports: EvalReport[] = [];
    // One after the other: each run is the whole suite on this machine's cores.
    for (const arm of [control.key, treatment.key]) {
      const reportDir = join(root, arm);
      const report = await evaluateArm(experiment, arm, reportDir, options);
      reports.push(report);
      evaluations.push({ arm, gatesPassed: report.pass, seconds: report.seconds, reportDir });
    }
    const pairs = pairEvaluationItems(itemsOf(reports[0]!), itemsOf(reports[1]!));
    return { ...prelaunchCheck(experiment, treatment.key, pairs), evaluations };
  } finally {
    if (!options.reportDir) rmSync(root, { recursive: true, force: true });
  }
}
