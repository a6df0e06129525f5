/** What every suite hands back to the gate and the reports. */
import type { Estimate } from '../../../lambdas/core/evaluation/stats';

export interface ItemResult {
  id: string;
  pass: boolean;
  /** The evaluators this item failed, with why (one line each). */
  findings: Array<{ check: string; detail: string }>;
  /** What the item contributes to the experiment metrics (lambdas/core/experiments/observations.ts), for paired arms. */
  observations?: Record<string, number>;
  /** The A/B arm label the item was written or answered under (`medium_writer:v1`, or `control`). */
  arm?: string;
}

export interface SuiteRun {
  /** Items evaluated: stocks, rows or questions. */
  n: number;
  estimates: Record<string, Estimate>;
  items: ItemResult[];
  /** Figures worth printing that are not gated (wall time, statuses). */
  notes: Record<string, number | string>;
}

export type Progress = (line: string) => void;
