/**
 * The datasets on disk: evals/datasets/<name>.jsonl, one row per line, each row validated with zod
 * on read (a bad row stops the evaluation with its file, line and reason: an infrastructure error,
 * never a quality verdict).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { ConfigError } from '../../lambdas/core/errors';
import { describeIssue } from '../../lambdas/core/validation';
import {
  AdversarialRowSchema,
  canonicalJson,
  datasetHash,
  QueryRowSchema,
  RegressionRowSchema,
} from '../../lambdas/core/evaluation/datasets';
import type { AdversarialRow, QueryRow, RegressionRow } from '../../lambdas/core/evaluation/datasets';

export const DATASETS_DIR = 'evals/datasets';

export interface LoadedDataset<T> {
  rows: T[];
  hash: string;
}

export function writeDataset(dir: string, name: string, rows: readonly unknown[]): string {
  writeFileSync(join(dir, `${name}.jsonl`), rows.map((row) => canonicalJson(row)).join('\n') + '\n');
  return datasetHash(rows);
}

function readDataset<S extends z.ZodType>(dir: string, name: string, schema: S): LoadedDataset<z.infer<S>> {
  const file = join(dir, `${name}.jsonl`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`${file} is missing: run npm run eval:datasets`);
  }
  const rows: Array<z.infer<S>> = [];
  const ids = new Set<string>();
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new ConfigError(`${file}:${i + 1} is not JSON`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new ConfigError(`${file}:${i + 1} ${describeIssue(parsed.error)}`);
    const id = (parsed.data as { id: string }).id;
    if (ids.has(id)) throw new ConfigError(`${file}:${i + 1} repeats the id ${id}`);
    ids.add(id);
    rows.push(parsed.data);
  }
  if (rows.length === 0) throw new ConfigError(`${file} has no rows`);
  return { rows, hash: datasetHash(rows) };
}

export interface LoadedDatasets {
  regression: LoadedDataset<RegressionRow>;
  adversarial: LoadedDataset<AdversarialRow>;
  query: LoadedDataset<QueryRow>;
}

export function loadDatasets(dir = DATASETS_DIR): LoadedDatasets {
  return {
    regression: readDataset(dir, 'regression', RegressionRowSchema),
    adversarial: readDataset(dir, 'adversarial', AdversarialRowSchema),
    query: readDataset(dir, 'query', QueryRowSchema),
  };
}
