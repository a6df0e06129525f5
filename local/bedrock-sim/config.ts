/**
 * Configuration of the Bedrock simulator: per-model latency profiles, prompt-cache rules, account
 * quotas and injected faults. Defaults are stated assumptions about Bedrock on-demand inference
 * through US cross-region profiles (they are not measurements of any account); every figure can be
 * overridden by environment variables (for one-off runs) or a YAML file (FA_SIM_CONFIG).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../../lambdas/core/errors';
import { describeIssue } from '../../lambdas/core/validation';

/** A random quantity: a constant, a uniform range, or a log-normal given by its median and P95. */
export const DistributionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('fixed'), value: z.number().nonnegative() }),
  z
    .strictObject({ kind: z.literal('uniform'), min: z.number().nonnegative(), max: z.number().nonnegative() })
    .refine((d) => d.max >= d.min, 'max must not be below min'),
  z
    .strictObject({ kind: z.literal('lognormal'), median: z.number().positive(), p95: z.number().positive() })
    .refine((d) => d.p95 >= d.median, 'p95 must not be below the median'),
]);
export type Distribution = z.infer<typeof DistributionSchema>;

const QuotaSchema = z.strictObject({
  /** Tokens per minute: input + cache writes + output × `outputBurndown` (Bedrock counts them so). */
  tokensPerMinute: z.number().int().positive().optional(),
  requestsPerMinute: z.number().int().positive().optional(),
});
export type Quota = z.infer<typeof QuotaSchema>;

export const ModelProfileSchema = z.strictObject({
  /** A name for stats and logs. */
  name: z.string().min(1),
  /** Model ids this profile answers to: an exact id, or a prefix ending in `*`. */
  match: z.array(z.string().min(1)).min(1),
  /** `converse`: a Claude-like text model; `titan-embed`: Titan Text Embeddings v2 over InvokeModel. */
  kind: z.enum(['converse', 'titan-embed']),
  /** Time to first token (embeddings: the whole call), simulated ms, before prompt processing. */
  firstTokenMs: DistributionSchema,
  /** Output speed, tokens per simulated second (converse only). */
  outputTokensPerSecond: DistributionSchema.prefault({ kind: 'fixed', value: 100 }),
  /** Uncached input processed per simulated second; cached prefix tokens cost nothing here. */
  prefillTokensPerSecond: z.number().positive().default(10_000),
  /** Smallest prefix a cache point can cache; 0: the model has no prompt caching. */
  minCacheTokens: z.number().int().nonnegative().default(0),
  maxOutputTokens: z.number().int().positive().default(64_000),
  /** Quota tokens each output token burns (5 for Claude 3.7 and later on Bedrock). */
  outputBurndown: z.number().positive().default(1),
  quota: QuotaSchema.prefault({}),
});
export type ModelProfile = z.infer<typeof ModelProfileSchema>;

const FaultsSchema = z.strictObject({
  /** Share of requests answered 429 ThrottlingException regardless of load. */
  throttleRate: z.number().min(0).max(1).default(0),
  /** Share answered 500 InternalServerException or 503 ServiceUnavailableException. */
  serverErrorRate: z.number().min(0).max(1).default(0),
  /** Share that time out: `hang` holds the connection open (the client's deadline fires), `error` answers 408 ModelTimeoutException. */
  timeoutRate: z.number().min(0).max(1).default(0),
  timeoutMode: z.enum(['hang', 'error']).default('hang'),
  /** How long a hung request is held, real ms, before the simulator drops the connection. */
  hangMs: z.number().int().positive().default(150_000),
  /** Share answered 200 with a body cut off mid-JSON. */
  malformedRate: z.number().min(0).max(1).default(0),
});
export type Faults = z.infer<typeof FaultsSchema>;

export const SimulatorConfigSchema = z.strictObject({
  /** Seed of every random draw (latency and faults): the same seed and requests give the same run. */
  seed: z.number().int().nonnegative().default(1),
  /**
   * Simulated time runs this many times faster than real time: latency waits are divided by it,
   * and quota windows and cache TTLs are measured in simulated time. Reported latencies
   * (`metrics.latencyMs`) are simulated, i.e. what Bedrock would take.
   */
  speedUp: z.number().positive().default(50),
  /** `none`: answer at once (cost benchmarks); `realistic`: the profiles' latency. */
  latency: z.enum(['realistic', 'none']).default('realistic'),
  /** Prompt-cache time to live, simulated seconds, refreshed on every hit (Bedrock: 5 minutes). */
  cacheTtlSeconds: z.number().positive().default(300),
  /** Enforce the profiles' quotas (off by default: an account's quotas vary). */
  enforceQuotas: z.boolean().default(false),
  faults: FaultsSchema.prefault({}),
  /** Share of first drafts in which the local writer slips on a figure (FA_LOCAL_SLIP_RATE). */
  slipRate: z.number().min(0).max(1).default(0.03),
  models: z.array(ModelProfileSchema).min(1),
});
export type SimulatorConfig = z.infer<typeof SimulatorConfigSchema>;
export type SimulatorConfigInput = z.input<typeof SimulatorConfigSchema>;

/**
 * Default model profiles. Latencies follow public benchmarks of these model classes on Bedrock
 * (Sonnet-class ~1 s to first token and ~60 tokens/s; Haiku-class about twice as fast); minimum
 * cacheable prefixes are Bedrock's (1,024 tokens for Claude Sonnet 4.5, 4,096 for Claude Haiku 4.5);
 * output tokens burn quota 5× for Claude 4.x on Bedrock. Quotas are ASSUMED account quotas for
 * the capacity model, not AWS defaults (those differ by account and change); set your own.
 */
export const DEFAULT_MODEL_PROFILES: z.input<typeof ModelProfileSchema>[] = [
  {
    name: 'claude-sonnet-4-5',
    match: ['us.anthropic.claude-sonnet-4-5*', 'global.anthropic.claude-sonnet-4-5*', 'anthropic.claude-sonnet-4-5*'],
    kind: 'converse',
    firstTokenMs: { kind: 'lognormal', median: 1_100, p95: 2_800 },
    outputTokensPerSecond: { kind: 'lognormal', median: 60, p95: 85 },
    prefillTokensPerSecond: 8_000,
    minCacheTokens: 1_024,
    maxOutputTokens: 64_000,
    outputBurndown: 5,
    quota: { tokensPerMinute: 2_000_000, requestsPerMinute: 250 },
  },
  {
    name: 'claude-haiku-4-5',
    match: ['us.anthropic.claude-haiku-4-5*', 'global.anthropic.claude-haiku-4-5*', 'anthropic.claude-haiku-4-5*'],
    kind: 'converse',
    firstTokenMs: { kind: 'lognormal', median: 550, p95: 1_400 },
    outputTokensPerSecond: { kind: 'lognormal', median: 130, p95: 170 },
    prefillTokensPerSecond: 16_000,
    minCacheTokens: 4_096,
    maxOutputTokens: 64_000,
    outputBurndown: 5,
    quota: { tokensPerMinute: 4_000_000, requestsPerMinute: 500 },
  },
  {
    name: 'titan-embed-text-v2',
    match: ['amazon.titan-embed-text-v2:0'],
    kind: 'titan-embed',
    firstTokenMs: { kind: 'lognormal', median: 70, p95: 180 },
    prefillTokensPerSecond: 50_000,
    // Bedrock throttles embedding models by requests per minute, not tokens.
    quota: { requestsPerMinute: 6_000 },
  },
];

function positive(name: string, value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new ConfigError(`${name} must be a positive number, got "${value}"`);
  return number;
}

function share(name: string, value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0 || number > 1) throw new ConfigError(`${name} must be a share within [0, 1], got "${value}"`);
  return number;
}

function readYaml(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `cannot read simulator config ${path}: ${error instanceof Error ? error.message : String(error)}`.split('\n')[0]!,
    );
  }
  const document: unknown = parseYaml(text);
  if (document === null || typeof document !== 'object' || Array.isArray(document))
    throw new ConfigError(`simulator config ${path} must be a YAML mapping`);
  return Object.fromEntries(Object.entries(document));
}

/**
 * Validate a (partial) configuration, filling defaults.
 * @throws ConfigError with a one-line reason naming the first bad field.
 */
export function parseSimulatorConfig(input: Partial<SimulatorConfigInput> = {}, source = 'simulator config'): SimulatorConfig {
  const parsed = SimulatorConfigSchema.safeParse({ models: DEFAULT_MODEL_PROFILES, ...input });
  if (!parsed.success) {
    throw new ConfigError(`${source} is invalid at ${describeIssue(parsed.error)}`);
  }
  return parsed.data;
}

/**
 * The configuration from the environment: FA_SIM_CONFIG (a YAML file with any of the fields) first,
 * then single variables on top —
 * FA_SIM_SPEEDUP, FA_SIM_LATENCY (realistic|none), FA_SIM_SEED, FA_SIM_CACHE_TTL_S,
 * FA_SIM_THROTTLE_RATE, FA_SIM_ERROR_RATE, FA_SIM_TIMEOUT_RATE, FA_SIM_TIMEOUT_MODE (hang|error),
 * FA_SIM_HANG_MS, FA_SIM_MALFORMED_RATE, FA_SIM_QUOTAS (on|off), FA_SIM_TPM and FA_SIM_RPM (every
 * text model's quota; either turns quotas on), FA_SIM_EMBED_RPM, FA_LOCAL_SLIP_RATE.
 * @throws ConfigError on a bad variable or file.
 */
export function simulatorConfigFromEnv(env: NodeJS.ProcessEnv = process.env): SimulatorConfig {
  const base: Partial<SimulatorConfigInput> = env.FA_SIM_CONFIG ? readYaml(env.FA_SIM_CONFIG) : {};
  const config = parseSimulatorConfig(base, env.FA_SIM_CONFIG ?? 'simulator config');
  const set = (name: string, apply: (value: string) => void): void => {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') apply(value.trim());
  };
  set('FA_SIM_SPEEDUP', (v) => (config.speedUp = positive('FA_SIM_SPEEDUP', v)));
  set('FA_SIM_LATENCY', (v) => {
    if (v !== 'realistic' && v !== 'none') throw new ConfigError(`FA_SIM_LATENCY must be realistic or none, got "${v}"`);
    config.latency = v;
  });
  set('FA_SIM_SEED', (v) => (config.seed = Math.floor(positive('FA_SIM_SEED', v))));
  set('FA_SIM_CACHE_TTL_S', (v) => (config.cacheTtlSeconds = positive('FA_SIM_CACHE_TTL_S', v)));
  set('FA_SIM_THROTTLE_RATE', (v) => (config.faults.throttleRate = share('FA_SIM_THROTTLE_RATE', v)));
  set('FA_SIM_ERROR_RATE', (v) => (config.faults.serverErrorRate = share('FA_SIM_ERROR_RATE', v)));
  set('FA_SIM_TIMEOUT_RATE', (v) => (config.faults.timeoutRate = share('FA_SIM_TIMEOUT_RATE', v)));
  set('FA_SIM_TIMEOUT_MODE', (v) => {
    if (v !== 'hang' && v !== 'error') throw new ConfigError(`FA_SIM_TIMEOUT_MODE must be hang or error, got "${v}"`);
    config.faults.timeoutMode = v;
  });
  set('FA_SIM_HANG_MS', (v) => (config.faults.hangMs = Math.ceil(positive('FA_SIM_HANG_MS', v))));
  set('FA_SIM_MALFORMED_RATE', (v) => (config.faults.malformedRate = share('FA_SIM_MALFORMED_RATE', v)));
  set('FA_SIM_QUOTAS', (v) => {
    if (v !== 'on' && v !== 'off') throw new ConfigError(`FA_SIM_QUOTAS must be on or off, got "${v}"`);
    config.enforceQuotas = v === 'on';
  });
  set('FA_SIM_TPM', (v) => {
    const tpm = Math.floor(positive('FA_SIM_TPM', v));
    for (const model of config.models) if (model.kind === 'converse') model.quota = { ...model.quota, tokensPerMinute: tpm };
    config.enforceQuotas = true;
  });
  set('FA_SIM_RPM', (v) => {
    const rpm = Math.floor(positive('FA_SIM_RPM', v));
    for (const model of config.models) if (model.kind === 'converse') model.quota = { ...model.quota, requestsPerMinute: rpm };
    config.enforceQuotas = true;
  });
  set('FA_SIM_EMBED_RPM', (v) => {
    const rpm = Math.floor(positive('FA_SIM_EMBED_RPM', v));
    for (const model of config.models) if (model.kind === 'titan-embed') model.quota = { ...model.quota, requestsPerMinute: rpm };
  });
  set('FA_LOCAL_SLIP_RATE', (v) => (config.slipRate = share('FA_LOCAL_SLIP_RATE', v)));
  return config;
}

/** The profile serving `modelId`, or undefined for a model the simulator does not offer. */
export function profileFor(config: Pick<SimulatorConfig, 'models'>, modelId: string): ModelProfile | undefined {
  return config.models.find((profile) =>
    profile.match.some((pattern) => (pattern.endsWith('*') ? modelId.startsWith(pattern.slice(0, -1)) : modelId === pattern)),
  );
}
