/**
 * DynamoDB tables, defined once: the local runtime creates them in dynalite from these
 * definitions and the CDK data stack creates them in AWS from the same ones.
 */

export interface TableDefinition {
  /** Logical id, also the suffix of the physical name (`fa-<stage>-<id>` in AWS, the bare id locally). */
  readonly id: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  /** Attribute holding an epoch-seconds expiry. DynamoDB deletes late; code must also check it. */
  readonly ttlAttribute?: string;
  readonly description: string;
}

export const TABLES = {
  /**
   * Summaries: `pk = TICKER#<t>`; `sk = LATEST` for the current summary, `sk = RUN#<asOf>#<runId>`
   * for history (one item per run and ticker, so re-writing the same run is idempotent).
   */
  summaries: {
    id: 'summaries',
    partitionKey: 'pk',
    sortKey: 'sk',
    description: 'Latest and historical summaries with citations and verification per stock',
  },
  /** Chunks and vectors: `pk = TICKER#<t>`, `sk = CHUNK#<docId>#<index>`. */
  chunks: {
    id: 'chunks',
    partitionKey: 'pk',
    sortKey: 'sk',
    description: 'Section-aware chunks of source documents with their embedding vectors',
  },
  /** Batch runs: `pk = RUN#<runId>`; `sk = AUDIT` for the run, `sk = STOCK#<t>` per stock outcome. */
  runs: {
    id: 'runs',
    partitionKey: 'pk',
    sortKey: 'sk',
    description: 'Batch run audits and per-stock outcomes',
  },
  /**
   * FA conversation memory: `pk = FA#<faId>#SESSION#<sessionId>`, `sk = TURN#<epochMs>#<turnId>`.
   * The FA id is part of the key, so one FA's session id can never address another FA's turns.
   * Expiry is also checked in code (dynalite has no TTL and DynamoDB deletes late).
   */
  sessions: {
    id: 'sessions',
    partitionKey: 'pk',
    sortKey: 'sk',
    ttlAttribute: 'expiresAt',
    description: 'FA conversation turns per FA and session, expiring after a day',
  },
  /**
   * Answers to identical questions about unchanged data: `pk = ANSWER#<sha256 of the cache key>`,
   * `sk = ENTRY`. The key covers the question, tickers, summary versions and prompt variant.
   */
  answerCache: {
    id: 'answer-cache',
    partitionKey: 'pk',
    sortKey: 'sk',
    ttlAttribute: 'expiresAt',
    description: 'Cached answers keyed by normalised question, tickers, summary versions and prompt variant',
  },
  /**
   * Cost ledger (docs/DESIGN.md §7), atomic counters updated with UpdateItem ADD: `pk = RUNS`,
   * `sk = RUN#<runId>` holds a run's totals; `pk = RUN#<runId>` holds `sk = LINE#<agent>#<model>#<task>`
   * counters and one `sk = UNIT#<stock|query>#<id>` row per unit of work. Queries use the run id
   * `queries-<YYYY-MM-DD>`.
   */
  costLedger: {
    id: 'cost-ledger',
    partitionKey: 'pk',
    sortKey: 'sk',
    description: 'Cost ledger: spend per run, per agent/model/task and per stock or query, with budget status',
  },
  /**
   * A/B tests (docs/EXPERIMENTS.md), per experiment and bucket version `pk = EXP#<key>#BV#<n>`:
   * `sk = UNIT#<surface>#<unitId>` a unit's sticky first exposure (a conditional write, so the first
   * writer wins); `sk = EXPOSURES#<surface>#<arm>` first exposures counted per arm (for the SRM
   * check); `sk = METRICS#<arm>` sufficient statistics per metric (`<metric>.n`, `.sum`, `.sumSq`) as atomic
   * counters (UpdateItem ADD). `pk = EXP#<key>`, `sk = STATE` holds what `npm run ab -- start|stop` set.
   */
  experiments: {
    id: 'experiments',
    partitionKey: 'pk',
    sortKey: 'sk',
    description: 'A/B test first exposures, exposure counts and per-arm metric sufficient statistics',
  },
  /**
   * Powertools Idempotency records of the stock processor: `pk = idempotency#<function>`,
   * `sk = <hash of (runId, ticker)>`, so a redelivered or retried stock that finished returns its
   * stored result and one still in progress is not processed twice at once.
   */
  idempotency: {
    id: 'idempotency',
    partitionKey: 'pk',
    sortKey: 'sk',
    ttlAttribute: 'expiration',
    description: 'Idempotency records of the stock processor per (run, ticker)',
  },
} as const satisfies Record<string, TableDefinition>;

export type TableKey = keyof typeof TABLES;

/** Physical table names, resolved once from the environment (AWS) or defaults (local). */
export type TableNames = Record<TableKey, string>;

export function tableNamesFor(prefix: string): TableNames {
  return Object.fromEntries(Object.entries(TABLES).map(([key, def]) => [key, prefix ? `${prefix}-${def.id}` : def.id])) as TableNames;
}
