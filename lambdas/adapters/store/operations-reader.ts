/**
 * The operator dashboard's reads over the stores the batch and query paths write: run audits and
 * outcomes (runs table), the cost ledger, the experiments table, and the latest evaluation report
 * file when there is one (evals/reports/report.json locally). Read-only.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Experiment } from '../../core/experiments/definitions';
import type { EvaluationSummary, ExperimentSummary } from '../../core/operations/quality';
import type { OperationsReader } from '../../core/ports';
import type { DynamoRunRepository } from './dynamo-repositories';
import type { DynamoCostLedger } from './cost-ledger-repository';
import type { DynamoExperimentRepository } from './experiment-repository';

const EvalReportSchema = z
  .object({
    pass: z.boolean(),
    startedAt: z.string(),
    llm: z.string(),
    seconds: z.number(),
    suites: z.record(z.string(), z.object({ pass: z.boolean() }).loose()),
  })
  .loose();

/** A ledger holds one run row per batch night and per query day: a few hundred a year. */
const LEDGER_RUNS_READ = 2_000;

export interface OperationsReaderOptions {
  runs: DynamoRunRepository;
  ledger: DynamoCostLedger;
  experiments?: { repository: DynamoExperimentRepository; definitions: readonly Experiment[] };
  /** The evaluation report file; absent where none is written (AWS). */
  evaluationReport?: string;
}

export function createOperationsReader(options: OperationsReaderOptions): OperationsReader {
  return {
    ledgerRuns: async () =>
      (await options.ledger.listRuns(LEDGER_RUNS_READ)).map(({ runId, lastAt, costUsd }) => ({ runId, lastAt, costUsd })),
    ledgerRun: (runId) => options.ledger.readRun(runId),
    audit: (runId) => options.runs.getRun(runId),
    outcomes: (runId) => options.runs.listStockOutcomes(runId),
    latestEvaluation: async (): Promise<EvaluationSummary | undefined> => {
      if (!options.evaluationReport) return undefined;
      let text: string;
      try {
        text = await readFile(options.evaluationReport, 'utf8');
      } catch {
        return undefined; // no evaluation has run here yet
      }
      const parsed = EvalReportSchema.safeParse(JSON.parse(text));
      if (!parsed.success) return undefined;
      const r = parsed.data;
      return {
        pass: r.pass,
        startedAt: r.startedAt,
        llm: r.llm,
        seconds: r.seconds,
        suites: Object.entries(r.suites).map(([name, suite]) => ({ name, pass: suite.pass })),
      };
    },
    experiments: async (): Promise<ExperimentSummary[]> => {
      const source = options.experiments;
      if (!source) return [];
      return Promise.all(
        source.definitions.map(async (e) => {
          const [state, counts] = await Promise.all([source.repository.getState(e.key), source.repository.counts(e.key, e.bucketVersion)]);
          return {
            key: e.key,
            status: state?.status ?? e.status,
            arms: e.arms.map((a) => ({ key: a.key, weight: a.weight, exposures: counts.exposures[a.key] ?? 0 })),
          };
        }),
      );
    },
  };
}
