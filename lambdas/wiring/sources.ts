/** The sources the batch reads and the universe the query path resolves tickers from, from config. */
import type { Sources } from '../core/ports';
import { createDemoSources } from '../adapters/sources/demo';
import type { RuntimeConfig } from './config';

export function createSources(config: RuntimeConfig): Sources {
  return createDemoSources({ seed: config.FA_DEMO_SEED });
}
