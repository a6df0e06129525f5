/**
 * The operator's quality view: verification pass rate and hallucination flags per batch run over
 * a date range (from the run audits), beside the latest evaluation report and the experiments'
 * exposures where those exist. Pure.
 */
import type { IsoDate, RunAudit } from '../model';
import type { DateRange } from './runs';
import { inRange } from './runs';

export interface QualityPoint {
  date: IsoDate;
  runId: string;
  stocks: number;
  /** Share of stocks whose first draft passed verification, 0–1. */
  passRate: number;
  /** Stocks whose draft the verifier sent back (regenerated) or replaced by facts (facts-only). */
  flagged: number;
  regenerated: number;
  factsOnly: number;
  findings: number;
  claimsChecked: number;
}

export interface EvaluationSummary {
  pass: boolean;
  startedAt: string;
  llm: string;
  seconds: number;
  suites: Array<{ name: string; pass: boolean }>;
}

export interface ExperimentSummary {
  key: string;
  status: string;
  arms: Array<{ key: string; weight: number; exposures: number }>;
}

export interface QualityOverview {
  range: DateRange;
  runs: QualityPoint[];
  evaluation?: EvaluationSummary;
  experiments: ExperimentSummary[];
}

export function qualityOverview(
  audits: readonly RunAudit[],
  range: DateRange,
  extra: { evaluation?: EvaluationSummary; experiments?: ExperimentSummary[] } = {},
): QualityOverview {
  const runs = audits
    .filter((a) => a.totals && inRange(a.asOf, range))
    .map((a) => {
      const t = a.totals!;
      return {
        date: a.asOf,
        runId: a.runId,
        stocks: t.stocks,
        passRate: t.verification.passRate,
        flagged: t.regenerated + t.factsOnly,
        regenerated: t.regenerated,
        factsOnly: t.factsOnly,
        findings: t.verification.findings,
        claimsChecked: t.verification.claimsChecked,
      };
    })
    .sort((a, b) => a.date.localeCompare(b.date) || a.runId.localeCompare(b.runId));
  return {
    range,
    runs,
    ...(extra.evaluation ? { evaluation: extra.evaluation } : {}),
    experiments: extra.experiments ?? [],
  };
}
