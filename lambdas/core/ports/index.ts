/**
 * Ports: the interfaces the pure core depends on. Adapters (lambdas/adapters) implement them and own
 * their I/O policy: timeouts, retries, circuit breaking and failure metrics.
 */
export * from './cache';
export * from './cost';
export * from './embedder';
export * from './llm';
export * from './sources';
export * from './store';
export * from './experiments';
export * from './operations';
