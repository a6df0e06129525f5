/**
 * `npm run eval -- [--suite regression|adversarial|query|all] [--llm local|sim|bedrock] [--record|--replay]
 * [--limit N] [--arm EXPERIMENT=ARM] [--report-dir DIR] [--baseline FILE|none] [--thresholds FILE] [--accept] [--json]`: the evaluation suite
 * that gates CI and deploys (evals/README.md). Progress on stderr; with --json the last stdout line
 * is {pass, suites: {NAME: {n, metrics: {METRIC: {value, low, high, threshold, pass}}}}, datasets}.
 * Exit 0: every gate passed; 100: a quality gate failed; 1: the evaluation could not run; 2: usage.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { SUITES } from '../lambdas/core/evaluation/gate';
import { cli, printJson, runCli } from './lib/cli';
import { baselineOf, contractLine, exitCodeOf, runEvaluation } from '../evals/lib/run-eval';
import { writeReports } from '../evals/lib/reports';

const OptionsSchema = z
  .object({
    suite: z.enum([...SUITES, 'all']).default('all'),
    llm: z.enum(['local', 'sim', 'bedrock']).default('local'),
    record: z.boolean().default(false),
    replay: z.boolean().default(false),
    cassette: z.string().min(1).optional(),
    limit: z.coerce.number().int().positive().optional(),
    reportDir: z.string().min(1).default('evals/reports'),
    baseline: z.string().min(1).optional(),
    thresholds: z.string().min(1).default('evals/thresholds.json'),
    accept: z.boolean().default(false),
    arm: z
      .string()
      .regex(/^[\w-]+=[\w-]+(?:,[\w-]+=[\w-]+)*$/, 'must be experiment=arm, e.g. medium_writer=v2')
      .optional(),
    json: z.boolean().default(false),
  })
  .strict()
  .refine((o) => !(o.record && o.replay), { message: 'give --record or --replay, not both', path: ['record'] })
  .refine((o) => !(o.accept && o.arm), { message: 'a baseline is accepted only from a run without --arm', path: ['accept'] })
  .refine((o) => !o.accept || o.limit === undefined, {
    message: 'a baseline is accepted only from a full run (no --limit)',
    path: ['accept'],
  });

const program = cli(
  'eval',
  'Run the evaluation suite (regression, adversarial, query) and gate on evals/thresholds.json and the accepted baseline',
)
  .option('--suite <name>', 'regression, adversarial, query or all (default all)')
  .option('--llm <provider>', 'local (deterministic), sim (the Bedrock simulator) or bedrock (default local)')
  .option('--record', 'store every model response in the cassette, keyed by prompt hash')
  .option('--replay', 'answer every model call from the cassette (offline); a call it lacks fails the run')
  .option('--cassette <file>', 'the recorded model responses (default evals/recordings/<llm>.json)')
  .option('--limit <n>', 'only the first N regression stocks, and the rows and questions over them')
  .option('--report-dir <dir>', 'where report.json, junit.xml, report.md and report.html go (default evals/reports)')
  .option('--baseline <file>', 'the accepted baseline to compare with, or none (default evals/baselines/<llm>.json)')
  .option('--thresholds <file>', 'the limits every metric is judged against (default evals/thresholds.json)')
  .option('--accept', 'write this run as the new baseline (only when it passes)')
  .option(
    '--arm <experiment=arm>',
    'write and answer every unit through this arm of an A/B test (npm run ab -- simulate pairs two such runs)',
  );

runCli(program, OptionsSchema, async (options) => {
  const baselineFile = options.baseline === 'none' ? undefined : (options.baseline ?? `evals/baselines/${options.llm}.json`);
  if (options.record || options.replay) {
    process.env.FA_LLM_CASSETTE = options.cassette ?? `evals/recordings/${options.llm}.json`;
    process.env.FA_LLM_CASSETTE_MODE = options.record ? 'record' : 'replay';
  }
  const report = await runEvaluation({
    suites: options.suite === 'all' ? SUITES : [options.suite],
    llm: options.llm,
    thresholdsFile: options.thresholds,
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    ...(options.arm ? { arms: options.arm } : {}),
    ...(baselineFile && existsSync(baselineFile) ? { baselineFile } : {}),
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  const paths = writeReports(options.reportDir, report);
  for (const [name, suite] of Object.entries(report.suites)) {
    const failed = Object.entries(suite.metrics).filter(([, m]) => !m.pass);
    process.stderr.write(
      `${name}: n=${suite.n}, ${failed.length === 0 ? 'every gate passed' : `FAILED ${failed.map(([k, m]) => `${k} (${m.reason})`).join('; ')}`}\n`,
    );
  }
  process.stderr.write(
    `eval ${report.pass ? 'passed' : 'FAILED'} in ${report.seconds} s; reports: ${paths.html}, ${paths.junit}, ${paths.markdown}\n`,
  );
  if (options.accept) {
    if (!report.pass || options.suite !== 'all')
      process.stderr.write('not accepted as the baseline: only a passing run of every suite is\n');
    else {
      const file = baselineFile ?? `evals/baselines/${options.llm}.json`;
      writeFileSync(file, `${JSON.stringify(baselineOf(report), null, 2)}\n`);
      process.stderr.write(`accepted as the baseline: ${file}\n`);
    }
  }
  if (options.json) printJson(contractLine(report));
  process.exitCode = exitCodeOf(report);
});
