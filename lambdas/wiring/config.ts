/**
 * The runtime configuration: the process environment, parsed once with zod. Both runtimes read the
 * same variables: in AWS the CDK function construct sets them, locally the embedded runtime
 * (local/runtime.ts) does. The choice of sources, model provider and cache is made from these, in
 * this folder only.
 */
import { z } from 'zod';
import { ConfigError } from '../core/errors';
import { firstIssue } from '../core/validation';
import { SourceChoiceTextSchema } from '../core/contracts/sources';
import type { SourceChoice } from '../core/contracts/sources';
import { FaultPlanTextSchema } from '../adapters/faults/fault-plan';

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));

export const RuntimeConfigSchema = z
  .object({
    FA_STAGE: z.string().min(1).default('local'),
    /** Where the embedded runtime keeps dynalite, the file cache, EMF and logs. */
    FA_DATA_DIR: z.string().min(1).default('.fa-data'),
    /** `local`: deterministic grounded provider; `sim`: Bedrock adapter against the loopback simulator; `bedrock`: real Bedrock. */
    FA_LLM: z.enum(['local', 'sim', 'bedrock']).default('local'),
    /** A file of recorded model responses (evaluations): `record` stores every call, `replay` answers from it offline. */
    FA_LLM_CASSETTE: optionalString,
    FA_LLM_CASSETTE_MODE: z.enum(['record', 'replay']).default('replay'),
    FA_DEMO_SEED: z.coerce.number().int().nonnegative().optional(),
    FA_TABLE_PREFIX: z.string().default(''),
    DYNAMODB_ENDPOINT: optionalString.pipe(z.url().optional()),
    REDIS_URL: optionalString,
    /** Secrets Manager secret with the ElastiCache RBAC `{username, password}` (set by CDK in AWS). */
    REDIS_SECRET_ARN: optionalString,
    AWS_REGION: z.string().min(1).default('us-east-1'),
    FA_BEDROCK_ENDPOINT: optionalString.pipe(z.url().optional()),
    FA_MODELS_CONFIG: z.string().min(1).default('config/models.yaml'),
    FA_PRICES_CONFIG: z.string().min(1).default('config/prices.yaml'),
    /** Cost budgets per stock and per query (cap and target). */
    FA_BUDGETS_CONFIG: z.string().min(1).default('config/budgets.yaml'),
    /** `on`: every unit's spend goes to the cost ledger (DynamoDB) and EMF; `off`: neither (tests). */
    FA_COST_LEDGER: z.enum(['on', 'off']).default('on'),
    /**
     * Switches for the naive cost baseline (`npm run bench:cost`): `off` reprocesses unchanged stocks
     * and re-embeds every chunk. Never turned off in production.
     */
    FA_SKIP_UNCHANGED: z.enum(['on', 'off']).default('on'),
    FA_EMBEDDING_CACHE: z.enum(['on', 'off']).default('on'),
    /**
     * Which adapter serves each source kind (lambdas/core/contracts/sources.ts): `demo` (default),
     * `edgar` (CSV universe, EDGAR filings, vendor feeds), `kind=adapter,...` or JSON.
     */
    FA_SOURCES: z.string().default('demo').pipe(SourceChoiceTextSchema),
    /** The universe CSV with a `csv` universe: `s3://bucket/key` in AWS, a file path locally. */
    FA_UNIVERSE: optionalString,
    /** The vendor feeds root with `feed` sources: `s3://bucket/prefix` in AWS, a folder locally. */
    FA_FEEDS: optionalString,
    /** A feed delivery older than this many days (on the as-of date) counts as missing. */
    FA_FEED_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(366).default(7),
    /** One base URL for data.sec.gov and www.sec.gov, e.g. the local `edgar-replay` server. */
    FA_EDGAR_URL: optionalString.pipe(z.url().optional()),
    /** SEC's fair-access rule: "<Company> <contact e-mail>" on every EDGAR request. */
    EDGAR_USER_AGENT: optionalString,
    /**
     * Where EDGAR responses are kept between runs (re-validated by ETag; filed documents never refetched).
     * Default: `<FA_DATA_DIR>/edgar-cache` locally, `/tmp/edgar-cache` in Lambda (a warm container's).
     */
    FA_EDGAR_CACHE_DIR: optionalString,
    /** Locally, EMF lines and logs go to these files instead of stdout (which belongs to the CLI). */
    FA_EMF_FILE: optionalString,
    FA_LOG_FILE: optionalString,
    /** Share of first drafts in which the local model makes one planted model error (exercises verify/regenerate). */
    FA_LOCAL_SLIP_RATE: z.coerce.number().min(0).max(1).default(0.03),
    /** `varied`: the local writer restates facts as a real model does ($1.2B, FY25, "rose"); `canonical`: its own wording. */
    FA_LOCAL_SURFACE_FORMS: z.enum(['varied', 'canonical']).default('varied'),

    // The query path's settings (the batch ignores them).
    /** `realistic`: the local answer model waits like Bedrock would (for load tests); `none`: answers at once. */
    FA_LOCAL_LLM_LATENCY: z.enum(['none', 'realistic']).default('none'),
    /** Prompt variant of the running experiment; recorded on every answer and part of the cache key. */
    FA_PROMPT_VARIANT: z
      .string()
      .regex(/^[\w.-]{1,40}$/)
      .default('control'),
    /** How long a warm process trusts a stock's brief before checking its fingerprint (a new brief shows within this). */
    FA_BRIEF_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
    FA_CORS_ORIGINS: z
      .string()
      .default('')
      .transform((list) =>
        list
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      ),
    AWS_LAMBDA_FUNCTION_VERSION: z.string().optional(),
    /**
     * DynamoDB batch calls of one kind in flight at once; more requests wait and go in the next batch
     * (group commit). A Lambda serves one request at a time, so any value works there; the local
     * server, which serves every FA from one process against a single-threaded dynalite, uses 1.
     */
    FA_STORE_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(64).default(4),
    /**
     * Drills only (lambdas/wiring/faults.ts): tickers whose ProcessStock fails, so a run ends with
     * failed stocks to redrive. Never set in a deployed stage.
     */
    FA_FAULT_FAIL_TICKERS: z
      .string()
      .default('')
      .transform((list) =>
        list
          .split(',')
          .map((t) => t.trim().toUpperCase())
          .filter(Boolean),
      ),
    /** How long a DynamoDB batch waits for more requests to join it (ms); 0 for Lambda. */
    FA_STORE_GROUP_MS: z.coerce.number().min(0).max(100).default(0),
    /**
     * Faults to inject, for chaos runs only (`npm run chaos`, docs/CHAOS.md): a JSON fault plan
     * (lambdas/adapters/faults/fault-plan.ts) applied here, at the composition root, to the DynamoDB
     * client, the embedding cache and the vendor sources. Unset in every deployed stage.
     */
    FA_FAULTS: FaultPlanTextSchema,
  })
  .superRefine((config, ctx) => {
    for (const issue of missingSourceSettings(config.FA_SOURCES, config)) ctx.addIssue({ code: 'custom', ...issue });
  });

/**
 * The variables a source choice cannot do without. FA_FEEDS is not one: without it the feed kinds
 * are missing sources of every brief (named there), so a filings-only run still briefs.
 */
function missingSourceSettings(
  choice: SourceChoice,
  config: { FA_UNIVERSE?: string; EDGAR_USER_AGENT?: string },
): Array<{ path: string[]; message: string }> {
  const issues: Array<{ path: string[]; message: string }> = [];
  if (choice.universe === 'csv' && !config.FA_UNIVERSE)
    issues.push({ path: ['FA_UNIVERSE'], message: 'is required when FA_SOURCES has a csv universe (a file path or s3://bucket/key)' });
  if (choice.filings === 'edgar' && !config.EDGAR_USER_AGENT)
    issues.push({
      path: ['EDGAR_USER_AGENT'],
      message: 'is required when FA_SOURCES reads EDGAR (SEC asks for "<Company> <contact e-mail>")',
    });
  return issues;
}

export type RuntimeConfig = z.infer<typeof RuntimeConfigSchema>;

/** Parse an environment; a bad variable fails loudly with a one-line reason. */
export function parseRuntimeConfig(source: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const parsed = RuntimeConfigSchema.safeParse(source);
  if (!parsed.success) {
    const { path, message } = firstIssue(parsed.error);
    throw new ConfigError(`invalid environment variable ${path ?? '(environment)'}: ${message}`);
  }
  return parsed.data;
}

let cached: RuntimeConfig | undefined;

/** The runtime configuration, parsed on first use (the local runtime sets variables before that). */
export function runtimeConfig(): RuntimeConfig {
  cached ??= parseRuntimeConfig();
  return cached;
}
