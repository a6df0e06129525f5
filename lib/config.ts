/**
 * Stage configuration (dev, prod, …) read from the `fa:stages` context of cdk.json and validated
 * with zod once, in bin/app.ts. Constructs receive the parsed, typed values and never read context
 * themselves, so a bad value fails `cdk synth` with one sentence naming the field.
 */
import { z } from 'zod';
import { firstIssue } from '../lambdas/core/validation';
import { DEMO_SOURCES, SourceChoiceSchema } from '../lambdas/core/contracts/sources';

/** The retention periods CloudWatch Logs accepts (a log group with any other value fails to deploy). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const TickerSchema = z.string().regex(/^[A-Z][A-Z0-9.\-]{0,9}$/, 'must be a stock symbol such as ABC');
const IsoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD');

/** S3 key or prefix: no leading slash, no empty segments. */
const S3KeySchema = z.string().regex(/^[\w!.*'()\-]+(\/[\w!.*'()\-]+)*$/, 'must be an S3 key such as universe/universe.csv (no leading /)');

/**
 * Where the operator puts the universe CSV and the vendor feed deliveries (docs/SOURCES.md): a
 * bucket the stage creates (`fa-<stage>-source-data-<account>-<region>`), or an existing one.
 */
export const SourceDataSchema = z
  .object({
    /** An existing bucket (the data team's); without it the stage creates one. */
    bucketName: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name')
      .optional(),
    universeKey: S3KeySchema.default('universe/universe.csv'),
    feedsPrefix: S3KeySchema.default('feeds'),
  })
  .strict();

/** One FA tool that calls the API: it gets its own API key and usage plan (throttle + quota). */
export const ApiClientSchema = z
  .object({
    /** Kebab-case name, used in resource ids and the API key name. */
    id: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'must be kebab-case, such as crm-plugin'),
    /** Steady-state requests per second for this tool. */
    rateLimit: z.number().positive(),
    /** Burst (token bucket size) for this tool. */
    burstLimit: z.number().int().positive(),
    /** Requests per day before API Gateway answers 429. */
    quotaPerDay: z.number().int().positive(),
  })
  .strict();

export const StageConfigSchema = z
  .object({
    /** 12-digit account id. Optional: without it stacks are account-agnostic and deploy where the CLI's credentials point. */
    account: z
      .string()
      .regex(/^\d{12}$/, 'must be a 12-digit AWS account id')
      .optional(),
    region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region such as us-east-1'),
    /**
     * Explicit zones: CDK would otherwise look them up in the account, and synth must work offline.
     * Two is the minimum for ElastiCache Serverless subnets and for surviving one zone's outage.
     */
    availabilityZones: z
      .array(z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, 'must be a zone such as us-east-1a'))
      .min(2)
      .max(3),
    /** NAT gateways: 1 (cheapest; an AZ outage pauses the batch) or one per zone (prod). */
    natGateways: z.number().int().min(1).max(3),
    /** Stateful resources are retained on stack deletion and tables get deletion protection. */
    protectData: z.boolean(),
    logRetentionDays: z
      .number()
      .int()
      .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), `must be one of ${LOG_RETENTION_DAYS.join(', ')}`),
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']),
    /** Addresses subscribed to the alarm topic (each must confirm the subscription e-mail). */
    alarmEmails: z.array(z.email()).default([]),
    batch: z
      .object({
        /** Whether the weekday 05:00 America/New_York schedule is enabled (dev: run on demand). */
        scheduleEnabled: z.boolean(),
        /** Distributed Map MaxConcurrency passed by the schedule; capped at 100 (docs/DESIGN.md §1, Bedrock quotas). */
        maxConcurrency: z.number().int().min(1).max(100),
        /** SEC requires a User-Agent naming the requester with a contact address. */
        edgarUserAgent: z
          .string()
          .regex(/^.+\s\S+@\S+\.\S+$/, 'must name the company and a contact e-mail, such as "Example Corp ops@example.com"'),
        /**
         * Which adapter serves each source kind: `demo`, `edgar` (CSV universe, EDGAR filings, vendor
         * feeds), or `{ universe, filings, fundamentals, research, news }`. Passed as FA_SOURCES.
         */
        sources: SourceChoiceSchema.default(() => ({ ...DEMO_SOURCES })),
        /** Where the universe CSV and feed deliveries live, when the sources read them. */
        sourceData: SourceDataSchema.default({ universeKey: 'universe/universe.csv', feedsPrefix: 'feeds' }),
        processorMemoryMb: z.number().int().min(128).max(10240),
        processorTimeoutSeconds: z.number().int().min(30).max(900),
        /** A stock (fixed past as-of date) the pre-traffic hook runs through a new processor version. */
        goldenStock: z.object({ ticker: TickerSchema, asOf: IsoDateSchema }).strict().optional(),
      })
      .strict(),
    cache: z
      .object({
        /** Upper bounds for ElastiCache Serverless: a runaway loop cannot run up the bill. */
        maxDataStorageGb: z.number().int().min(1).max(5000),
        maxEcpuPerSecond: z.number().int().min(1000).max(15_000_000),
      })
      .strict(),
    api: z
      .object({
        /** Browser origins allowed by CORS; never `*` (the API carries FA data). */
        corsOrigins: z
          .array(
            z
              .url()
              .refine(
                (url) => url.startsWith('https://') || url.startsWith('http://localhost'),
                'must be https:// (or http://localhost for development)',
              ),
          )
          .min(1),
        /** Stage-wide throttle: the ceiling across all FA tools together. */
        stageRateLimit: z.number().positive(),
        stageBurstLimit: z.number().int().positive(),
        clients: z.array(ApiClientSchema).min(1),
        /** WAF rate-based rule: requests per 5 minutes per client IP before blocking. */
        wafRequestsPer5MinPerIp: z.number().int().min(10).max(2_000_000_000),
        /**
         * WAF rate-based rule per FA credential (the Authorization header, an FA's ID token): requests
         * per 5 minutes before that FA is blocked, so one FA (or a stolen token) cannot use up the
         * tool's usage plan for every other FA. 300 is one question a second, sustained.
         */
        wafRequestsPer5MinPerFa: z.number().int().min(10).max(2_000_000_000).default(300),
        /** Provisioned concurrency on the query alias (0 = none) so 500 concurrent FAs meet no cold starts. */
        provisionedConcurrency: z.number().int().min(0).max(3000),
        queryMemoryMb: z.number().int().min(128).max(10240),
      })
      .strict(),
    /** The FA console in AWS (lib/constructs/web-console.ts): S3 + CloudFront, signed in through the user pool. */
    console: z
      .object({
        /**
         * Cognito hosted-UI domain prefix (`<prefix>.auth.<region>.amazoncognito.com`), unique per
         * region across AWS; default `fa-<stage>-console-<account>`.
         */
        cognitoDomainPrefix: z
          .string()
          .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'must be lower-case letters, digits and hyphens')
          .refine((prefix) => !/aws|amazon|cognito/.test(prefix), 'may not contain aws, amazon or cognito (Cognito refuses them)')
          .optional(),
        /** Callback and sign-out URLs besides the distribution's own (a custom domain, a local dev server). */
        extraCallbackUrls: z
          .array(
            z
              .url()
              .refine(
                (url) => url.startsWith('https://') || url.startsWith('http://localhost'),
                'must be https:// (or http://localhost for development)',
              ),
          )
          .default([]),
      })
      .strict()
      .default({ extraCallbackUrls: [] }),
    alarms: z
      .object({
        /** Rollback alarm: average cost of a query on the new version, USD (docs/DESIGN.md §9 target ≤ 0.02). */
        maxCostPerQueryUsd: z.number().positive(),
        /** Batch alarm: cost per stock, USD (docs/DESIGN.md §9 target ≤ 0.10). */
        maxCostPerStockUsd: z.number().positive(),
        /** Rollback alarm: P95 query latency on the new version, ms (docs/DESIGN.md §9: P95 < 10 s). */
        maxQueryP95Ms: z.number().int().positive(),
      })
      .strict(),
  })
  .strict();

export type StageConfig = z.infer<typeof StageConfigSchema>;
export type ApiClientConfig = z.infer<typeof ApiClientSchema>;
export type SourceDataConfig = z.infer<typeof SourceDataSchema>;
export type ConsoleConfig = StageConfig['console'];

/** A stage name: lower-case, short, because it prefixes physical names (`fa-<stage>-summaries`). */
export const StageNameSchema = z.string().regex(/^[a-z][a-z0-9]{1,11}$/, 'must be 2-12 lower-case letters or digits, such as dev');

export const StagesSchema = z
  .record(StageNameSchema, StageConfigSchema)
  .refine((stages) => Object.keys(stages).length > 0, 'must define at least one stage');

/** A validated stage: its name and its settings. */
export interface Stage {
  readonly name: string;
  readonly config: StageConfig;
}

/** Thrown when the stage configuration is invalid; the message is one sentence naming the field. */
export class StageConfigError extends Error {
  override readonly name = 'StageConfigError';
}

/**
 * Parse the `fa:stages` context value.
 * @throws StageConfigError naming the first invalid field (for example `fa:stages.prod.api.corsOrigins.0`).
 */
export function parseStages(raw: unknown): Stage[] {
  const parsed = StagesSchema.safeParse(raw);
  if (!parsed.success) {
    const { path, message } = firstIssue(parsed.error);
    throw new StageConfigError(`invalid stage configuration at ${['fa:stages', ...(path ? [path] : [])].join('.')}: ${message}`);
  }
  return Object.entries(parsed.data).map(([name, config]) => ({ name, config }));
}

/**
 * The stages to synthesize: the one named by `-c stage=NAME`, or all of them (so `npm run synth`
 * proves every stage's configuration).
 * @throws StageConfigError when the selected stage is not configured.
 */
export function selectStages(stages: readonly Stage[], selected: unknown): Stage[] {
  if (selected === undefined || selected === null || selected === '') return [...stages];
  const name = String(selected);
  const stage = stages.find((candidate) => candidate.name === name);
  if (!stage) throw new StageConfigError(`stage "${name}" is not configured; known stages: ${stages.map((s) => s.name).join(', ')}`);
  return [stage];
}

/** The prefix of every physical name in a stage; the batch handlers read it as FA_TABLE_PREFIX. */
export function resourcePrefix(stageName: string): string {
  return `fa-${stageName}`;
}
