/** Reads the A/B test definitions (config/ab_tests.yaml); a bad file fails loudly at start-up. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseExperimentFile } from '../core/experiments/definitions';
import type { ExperimentFile } from '../core/experiments/definitions';

export const DEFAULT_EXPERIMENTS_PATH = 'config/ab_tests.yaml';

export function loadExperiments(path: string = DEFAULT_EXPERIMENTS_PATH): ExperimentFile {
  return parseExperimentFile(parseYaml(readFileSync(resolve(path), 'utf8')), path);
}
