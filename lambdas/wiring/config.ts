/**
 * The process environment, parsed once with zod. Both runtimes read the same variables: in AWS the
 * CDK function wrapper sets them, locally the embedded runtime (local/runtime.ts) does.
 */
import { z } from 'zod';
import { ConfigError } from '../core/errors';

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));

export const EnvSchema = z.object({
  FA_STAGE: z.string().min(1).default('local'),
  /** Where the embedded runtime keeps dynalite, the file cache, EMF and logs. */
  FA_DATA_DIR: z.string().min(1).default('.fa-data'),
  /** `local`: deterministic grounded provider; `sim`: Bedrock adapter against the loopback simulator; `bedrock`: real Bedrock. */
  FA_LLM: z.enum(['local', 'sim', 'bedrock']).default('local'),
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
  EDGAR_USER_AGENT: optionalString,
  /** Locally, EMF lines and logs go to these files instead of stdout (which belongs to the CLI). */
  FA_EMF_FILE: optionalString,
  FA_LOG_FILE: optionalString,
  /** Share of first drafts in which the local model slips on a number (exercises verify/regenerate). */
  FA_LOCAL_SLIP_RATE: z.coerce.number().min(0).max(1).default(0.03),
});

export type Env = z.infer<typeof EnvSchema>;

/** Parse an environment; a bad variable fails loudly with a one-line reason. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`invalid environment variable ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

let cached: Env | undefined;

/** The process environment, parsed on first use (the local runtime sets variables before that). */
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}
