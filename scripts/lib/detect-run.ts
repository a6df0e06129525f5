/**
 * The `npm run detect` run: stream a JSONL file of rows through the hallucination detector, one
 * zod-validated row at a time (a malformed row is reported on stderr by line and id, and the run
 * goes on), write one result row per input row, and — when rows carry labels — count the
 * confusion matrix and its summary figures.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { detect, detectWithJudge } from '../../lambdas/core/grounding';
import type { GroundingJudge } from '../../lambdas/core/ports/judge';
import type { DetectResult } from '../../lambdas/core/grounding';

const SourceSchema = z.object({
  id: z.string().min(1),
  text: z.string(),
  title: z.string().optional(),
  date: z.string().optional(),
  rank: z.number().optional(),
  /** TAT-QA style tables: 2-D arrays of cell strings. */
  tables: z.array(z.array(z.array(z.union([z.string(), z.number()]).transform(String)))).optional(),
});

const FactSchema = z
  .object({
    id: z.string(),
    metric: z.string(),
    value: z.number(),
    unit: z.enum(['USD', 'USD/share', 'shares', 'percent', 'ratio']),
    reportedScale: z.number().default(1),
    period: z.object({
      fiscalYear: z.number(),
      fiscalPeriod: z.enum(['FY', 'Q1', 'Q2', 'Q3', 'Q4', 'spot']),
      start: z.string().optional(),
      end: z.string(),
    }),
    source: z.enum(['filings', 'fundamentals', 'research', 'news']).default('filings'),
    docId: z.string(),
    filed: z.string().default(''),
  })
  .passthrough();

export const DetectRowSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  text: z.string(),
  sources: z.array(SourceSchema),
  facts: z.array(FactSchema).optional(),
  asOf: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}/, 'must be an ISO date')
    .optional(),
  label: z.boolean().optional(),
});

export interface Confusion {
  n: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
  balancedAccuracy: number;
}

export function confusion(tp: number, fp: number, tn: number, fn: number): Confusion {
  const r = (x: number) => Math.round(x * 10_000) / 10_000;
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const specificity = tn + fp === 0 ? 0 : tn / (tn + fp);
  // Key order is part of the CLI contract.
  return {
    n: tp + fp + tn + fn,
    tp,
    fp,
    tn,
    fn,
    precision: r(precision),
    recall: r(recall),
    f1: r(f1),
    balancedAccuracy: r((recall + specificity) / 2),
  };
}

export interface RunOptions {
  input: string;
  /** Where result rows go; undefined = nowhere. */
  output?: Writable;
  progress?: (line: string) => void;
  warn?: (line: string) => void;
  /** An LLM judge for the claims the deterministic checks leave unsettled (`--judge`). */
  judge?: GroundingJudge;
}

export interface RunSummary {
  rows: number;
  malformed: number;
  hallucinated: number;
  labelled: number;
  confusion?: Confusion;
  seconds: number;
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.length ? issue.path.join('.') : 'row'}: ${issue.message}`;
}

function write(out: Writable, line: string): Promise<void> {
  return new Promise((resolve) => {
    if (out.write(line)) resolve();
    else out.once('drain', resolve);
  });
}

/** Stream the input, detect each row, write results; resolves with the run's summary. */
export async function runDetect(options: RunOptions): Promise<RunSummary> {
  const started = performance.now();
  const rl = createInterface({ input: createReadStream(options.input, 'utf8'), crlfDelay: Infinity });
  let line = 0;
  let rows = 0;
  let malformed = 0;
  let hallucinated = 0;
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  let lastProgress = started;
  for await (const raw of rl) {
    line += 1;
    if (raw.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      malformed += 1;
      options.warn?.(`line ${line}: not JSON (${(error as Error).message.split('\n')[0]})`);
      continue;
    }
    const parsed = DetectRowSchema.safeParse(json);
    if (!parsed.success) {
      malformed += 1;
      const id = typeof json === 'object' && json !== null && 'id' in json ? ` (id ${String((json as { id: unknown }).id)})` : '';
      options.warn?.(`line ${line}${id}: ${describeIssue(parsed.error)}`);
      continue;
    }
    const row = parsed.data;
    let result: DetectResult;
    try {
      const input = { text: row.text, sources: row.sources, facts: row.facts as never, asOf: row.asOf?.slice(0, 10) };
      result = options.judge ? await detectWithJudge(input, { judge: options.judge }) : detect(input);
    } catch (error) {
      malformed += 1;
      options.warn?.(`line ${line} (id ${row.id}): detector failed: ${(error as Error).message}`);
      continue;
    }
    rows += 1;
    if (result.hallucinated) hallucinated += 1;
    if (row.label !== undefined) {
      if (row.label && result.hallucinated) tp += 1;
      else if (!row.label && result.hallucinated) fp += 1;
      else if (!row.label) tn += 1;
      else fn += 1;
    }
    if (options.output) {
      const out = {
        id: row.id,
        hallucinated: result.hallucinated,
        score: result.score,
        decision: result.decision,
        claims: result.claims.map((c) => ({
          text: c.text,
          status: c.status,
          span: c.span,
          reason: c.reason,
          ...(c.evidence ? { evidence: c.evidence } : {}),
        })),
      };
      await write(options.output, `${JSON.stringify(out)}\n`);
    }
    const now = performance.now();
    if (now - lastProgress > 2000) {
      lastProgress = now;
      options.progress?.(
        `detect: ${rows} rows (${Math.round(rows / ((now - started) / 1000))} rows/s), ${hallucinated} flagged, ${malformed} malformed`,
      );
    }
  }
  const labelled = tp + fp + tn + fn;
  return {
    rows,
    malformed,
    hallucinated,
    labelled,
    confusion: labelled > 0 ? confusion(tp, fp, tn, fn) : undefined,
    seconds: (performance.now() - started) / 1000,
  };
}

export function fileOutput(path: string): Writable {
  return createWriteStream(path, 'utf8');
}
