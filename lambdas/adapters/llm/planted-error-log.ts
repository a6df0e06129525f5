/**
 * The local writer's confession: every model error it planted, one JSON line each, in the data
 * dir. A run joins it with its outcomes to score the verifier on errors it was not shaped for.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { PlantedDraftError } from './local-grounded-llm';

export const PLANTED_ERRORS_FILE = 'planted-errors.jsonl';

export function plantedErrorAppender(file: string): (planted: PlantedDraftError) => void {
  return (planted) => appendFileSync(file, `${JSON.stringify(planted)}\n`);
}

export function readPlantedErrors(file: string): PlantedDraftError[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as PlantedDraftError);
}
