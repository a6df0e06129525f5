/**
 * `npm run ab -- list|start|stop|report|simulate|aa [--test NAME] [--json]`: the A/B tests of
 * config/ab_tests.yaml (docs/EXPERIMENTS.md). `list` shows them; `start`/`stop` set a test's run-time
 * status in DynamoDB; `report` prints the decision from the per-arm counters and writes an HTML
 * report with interval plots; `aa` runs seeded A/A, planted-lift and planted-SRM simulations of the
 * statistics; `simulate` is the paired pre-launch check: the evaluation suite run through each arm,
 * paired item by item.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { loadExperiments } from '../lambdas/adapters/experiments-file';
import { createDocumentClient } from '../lambdas/adapters/store/dynamo-repositories';
import { DynamoExperimentRepository } from '../lambdas/adapters/store/experiment-repository';
import { tableNamesFor } from '../lambdas/core/contracts/tables';
import { analyse } from '../lambdas/core/experiments/decision';
import type { ExperimentReport } from '../lambdas/core/experiments/decision';
import type { Experiment } from '../lambdas/core/experiments/definitions';
import { simulateStatistics } from '../lambdas/core/experiments/simulation';
import { startLocalRuntime } from '../local/runtime';
import { renderAbReportHtml } from './lib/ab-report-html';
import { simulateArms } from './lib/ab-simulate';
import { cli, fail, runCli } from './lib/cli';

const ACTIONS = ['list', 'start', 'stop', 'report', 'simulate', 'aa'] as const;

const OptionsSchema = z
  .object({
    action: z.enum(ACTIONS, { message: `must be one of ${ACTIONS.join(', ')}` }),
    test: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,47}$/, 'must be an experiment key such as medium_writer')
      .optional(),
    runs: z.coerce.number().int().min(100).max(100_000).default(1_000),
    peeks: z.coerce.number().int().min(1).max(1_000).default(40),
    seed: z.coerce
      .number()
      .int()
      .min(0)
      .max(2 ** 31)
      .default(13),
    stocks: z.coerce.number().int().min(2).max(1_000).optional(),
    reportDir: z.string().min(1).optional(),
    config: z.string().min(1).default('config/ab_tests.yaml'),
    out: z.string().min(1).optional(),
    json: z.boolean().default(false),
  })
  .strict();

const program = cli('ab', 'A/B tests of prompts and models: list, start, stop, report, simulate, aa')
  .argument('<action>', ACTIONS.join('|'))
  .option('--test <name>', 'experiment key (default: the first running one)')
  .option('--runs <n>', 'aa: simulated runs per check', '1000')
  .option('--peeks <n>', 'aa: looks at the data per run', '40')
  .option('--seed <n>', 'aa: random seed', '13')
  .option('--stocks <n>', 'simulate: only the first N regression stocks of the evaluation suite (default all)')
  .option('--report-dir <dir>', "simulate: keep each arm's evaluation reports in DIR/<arm>/")
  .option('--config <file>', 'experiment definitions', 'config/ab_tests.yaml')
  .option('--out <file>', 'report: HTML path (default: <data dir>/reports/ab-<test>.html)');

function pick(experiments: Experiment[], key: string | undefined): Experiment {
  const found = key ? experiments.find((e) => e.key === key) : (experiments.find((e) => e.status === 'running') ?? experiments[0]);
  if (!found)
    fail(
      key
        ? `no experiment ${key} in the config (known: ${experiments.map((e) => e.key).join(', ') || 'none'})`
        : 'the config defines no experiment',
    );
  return found;
}

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : x > 0 ? '+∞' : '−∞');

function describeReport(report: ExperimentReport, file: string): string {
  const lines = [`${report.experiment}: ${report.decision.replace('_', ' ').toUpperCase()} — ${report.reason}`];
  lines.push(
    `  SRM: ${report.srm.observed.join('/')} units against expected ${report.srm.expected.map((e) => e.toFixed(0)).join('/')}, p = ${report.srm.p.toPrecision(3)}`,
  );
  for (const arm of report.arms) {
    for (const m of [arm.primary, ...arm.guardrails, ...arm.secondary]) {
      const c = m.comparison;
      lines.push(
        `  ${arm.arm} ${m.metric}: ${c.control.mean.toPrecision(3)} (n ${c.control.n}) → ${c.treatment.mean.toPrecision(3)} (n ${c.treatment.n}), lift ${pct(c.relativeLift.value)} [${pct(c.relativeLift.sequential[0])}, ${pct(c.relativeLift.sequential[1])}], adjusted p ${m.adjustedP.toPrecision(2)}, ${m.verdict}`,
      );
    }
  }
  lines.push(`report: ${file}`);
  return lines.join('\n');
}

runCli(program, OptionsSchema, async (options) => {
  const file = loadExperiments(options.config);

  if (options.action === 'aa') {
    const experiment = pick(file.experiments, options.test);
    const [control, treatment] = experiment.arms;
    const design = {
      baseline: experiment.metrics.primary.baseline,
      plannedLift: experiment.metrics.primary.minimumDetectableLift,
      alpha: experiment.alpha,
      power: experiment.power,
      treatmentShare: treatment!.weight / (control!.weight + treatment!.weight),
    };
    const started = Date.now();
    const result = simulateStatistics(design, { runs: options.runs, peeks: options.peeks, seed: options.seed });
    process.stderr.write(
      [
        `${experiment.key}: ${options.runs} runs of ${result.units} units (${pct(design.treatmentShare)} treatment, baseline ${design.baseline}), ${options.peeks} peeks each, seed ${options.seed}, ${((Date.now() - started) / 1000).toFixed(1)} s`,
        `  A/A false positives ${pct(result.aa.falsePositiveRate)} (α ${pct(design.alpha)})`,
        `  planted ${pct(design.plannedLift)} lift detected in ${pct(result.power.detectedRate)} (planned power ${pct(design.power)})`,
        `  planted 45/55 split on 50/50: SRM ${result.srm.detected ? 'raised' : 'NOT raised'}, p = ${result.srm.p.toExponential(2)}`,
      ].join('\n') + '\n',
    );
    if (result.aa.falsePositiveRate > design.alpha || result.power.detectedRate < design.power || !result.srm.detected) {
      process.exitCode = 1;
    }
    const { units: _units, ...summary } = result;
    return summary;
  }

  if (options.action === 'simulate') {
    const experiment = pick(file.experiments, options.test);
    // The children read the same definitions this process was given.
    process.env.FA_AB_TESTS_CONFIG = options.config;
    const check = await simulateArms(experiment, {
      ...(options.stocks ? { limit: options.stocks } : {}),
      ...(options.reportDir ? { reportDir: resolve(options.reportDir) } : {}),
      progress: (line) => process.stderr.write(`${line}\n`),
    });
    const fmt = (v: number) => v.toPrecision(3);
    process.stderr.write(
      [
        `${experiment.key}: ${check.treatment} against ${check.control}, the evaluation suite through each arm, paired item by item`,
        ...check.evaluations.map(
          (e) =>
            `  arm ${e.arm}: evaluation gates ${e.gatesPassed ? 'passed' : 'FAILED'} in ${e.seconds} s${options.reportDir ? ` (${e.reportDir})` : ''}`,
        ),
        ...check.metrics.map(
          (m) =>
            `  ${m.metric} (n=${m.n}): ${fmt(m.control)} → ${fmt(m.treatment)}, difference ${fmt(m.difference)} [${fmt(m.interval[0])}, ${fmt(m.interval[1])}], p ${m.p.toPrecision(2)}`,
        ),
        `  ${check.passed ? 'PASSED' : 'BLOCKED'}: ${check.reason}`,
      ].join('\n') + '\n',
    );
    if (!check.passed) process.exitCode = 1;
    return check;
  }

  if (options.action === 'list') {
    const runtime = await startLocalRuntime();
    const doc = createDocumentClient({ region: process.env.AWS_REGION ?? 'us-east-1', endpoint: runtime.dynamo.endpoint });
    try {
      const repository = new DynamoExperimentRepository(doc, tableNamesFor(process.env.FA_TABLE_PREFIX ?? '').experiments);
      const experiments = await Promise.all(
        file.experiments.map(async (e) => {
          const state = await repository.getState(e.key);
          const counts = await repository.counts(e.key, e.bucketVersion);
          return {
            key: e.key,
            status: state?.status ?? e.status,
            startedAt: state?.startedAt,
            units: e.units,
            bucketVersion: e.bucketVersion,
            arms: e.arms.map((a) => ({ key: a.key, weight: a.weight, params: a.params, exposures: counts.exposures[a.key] ?? 0 })),
            primary: e.metrics.primary.name,
          };
        }),
      );
      for (const e of experiments) {
        process.stderr.write(
          `${e.key} [${e.status}] units ${Object.entries(e.units)
            .map(([surface, unit]) => `${surface}:${unit}`)
            .join(
              ', ',
            )}; arms ${e.arms.map((a) => `${a.key} ${pct(a.weight)} (${a.exposures} exposed)`).join(', ')}; primary ${e.primary}\n`,
        );
      }
      return { experiments };
    } finally {
      doc.destroy();
      await runtime.close();
    }
  }

  const experiment = pick(file.experiments, options.test);
  const runtime = await startLocalRuntime();
  const doc = createDocumentClient({ region: process.env.AWS_REGION ?? 'us-east-1', endpoint: runtime.dynamo.endpoint });
  try {
    const repository = new DynamoExperimentRepository(doc, tableNamesFor(process.env.FA_TABLE_PREFIX ?? '').experiments);
    if (options.action === 'start' || options.action === 'stop') {
      const state = await repository.setStatus(experiment.key, options.action === 'start' ? 'running' : 'stopped', new Date());
      process.stderr.write(
        `${experiment.key}: ${state.status} (started ${state.startedAt ?? 'now'}${state.stoppedAt ? `, stopped ${state.stoppedAt}` : ''})\n`,
      );
      return state;
    }
    const state = await repository.getState(experiment.key);
    const counts = await repository.counts(experiment.key, experiment.bucketVersion);
    const startedAt = state?.startedAt ? Date.parse(state.startedAt) : Date.now();
    const report = analyse(experiment, counts, { elapsedDays: Math.max(0, (Date.now() - startedAt) / 86_400_000) });
    const out = resolve(options.out ?? join(runtime.dataDir, 'reports', `ab-${experiment.key}.html`));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, renderAbReportHtml(report, new Date().toISOString()));
    process.stderr.write(`${describeReport(report, out)}\n`);
    if (!options.json) process.stdout.write(`${report.decision}: ${report.reason}\n`);
    return { ...report, status: state?.status ?? experiment.status, htmlFile: out };
  } finally {
    doc.destroy();
    await runtime.close();
  }
});
