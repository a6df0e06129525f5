/**
 * The domain vocabulary: companies, source payloads, the fact snapshot, summaries, stored records,
 * runs, cost and sessions. Pure types and constants: no I/O, no AWS SDK.
 */
export * from './answer';
export * from './company';
export * from './cost';
export * from './facts';
export * from './run';
export * from './session';
export * from './source-payloads';
export * from './stored';
export * from './summary';
