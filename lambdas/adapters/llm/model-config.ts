/**
 * Loads config/models.yaml. The file is read and parsed here (I/O belongs to adapters); validation
 * and name resolution are in the pure core (lambdas/core/routing/routing-config.ts).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../../core/errors';
import { parseModelConfig } from '../../core/routing/routing-config';
import type { ModelConfig } from '../../core/routing/routing-config';

export type { LlmMode, ModelConfig, ModelSpec, TaskRoute } from '../../core/routing/routing-config';
export { parseModelConfig, promptCachingFor, resolveModelIds } from '../../core/routing/routing-config';

/**
 * Parse the text of a models YAML file.
 * @throws ConfigError with a one-line reason (bad YAML or a bad field).
 */
export function parseModelConfigYaml(text: string, source = 'models config'): ModelConfig {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`${source} is not valid YAML: ${reason}`.split('\n')[0]!.replace(/:$/, ''), { cause: error });
  }
  return parseModelConfig(document, source);
}

/**
 * Read and validate the models configuration (default path: FA_MODELS_CONFIG, config/models.yaml).
 * @throws ConfigError when the file cannot be read or is invalid.
 */
export function loadModelConfig(path: string): ModelConfig {
  let text: string;
  try {
    text = readFileSync(resolve(path), 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`cannot read models config ${path}: ${reason}`.split('\n')[0]!, { cause: error });
  }
  return parseModelConfigYaml(text, path);
}
