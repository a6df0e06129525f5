/** Reads config/budgets.yaml (FA_BUDGETS_CONFIG); a bad file fails loudly at start-up. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseBudgets } from '../../core/cost/budget';
import type { Budgets } from '../../core/cost/budget';
import { ConfigError } from '../../core/errors';

/**
 * Read and validate the budgets file.
 * @throws ConfigError with a one-line reason (unreadable file, bad YAML or a bad field).
 */
export function loadBudgets(path: string): Budgets {
  let document: unknown;
  try {
    document = parseYaml(readFileSync(resolve(path), 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`cannot read budgets config ${path}: ${reason}`.split('\n')[0]!, { cause: error });
  }
  return parseBudgets(document, path);
}
