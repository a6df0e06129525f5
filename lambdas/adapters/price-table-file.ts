/** Reads the versioned price table (config/prices.yaml); a bad table fails loudly at start-up. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PriceTableSchema } from '../core/cost/price-table';
import type { PriceTable } from '../core/cost/price-table';
import { ConfigError } from '../core/errors';
import { describeIssue } from '../core/validation';

export function loadPriceTable(path: string): PriceTable {
  const parsed = PriceTableSchema.safeParse(parseYaml(readFileSync(resolve(path), 'utf8')));
  if (!parsed.success) {
    throw new ConfigError(`price table ${path} is invalid at ${describeIssue(parsed.error)}`);
  }
  return parsed.data;
}
