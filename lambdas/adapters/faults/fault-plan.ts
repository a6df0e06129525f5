/**
 * A fault plan: which failures to inject, at what seeded rates, for chaos runs (`npm run chaos`,
 * docs/CHAOS.md). It is configuration (FA_FAULTS, parsed once in lambdas/wiring/config.ts) and the
 * wiring wraps the real clients and adapters with it; nothing in the core knows faults exist.
 *
 * Every decision is a pure function of (seed, kind, key): a key is what the fault is about — a
 * ticker for a vendor outage, the n-th DynamoDB request of a process — so the same seed gives the
 * same faults however the work interleaves, and a restarted process replays its own sequence.
 * Each injected fault is appended as one JSON line to the plan's log (when it has one), so a chaos
 * run can count them even across a `kill -9`.
 */
import { appendFileSync } from 'node:fs';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { z } from 'zod';

const share = z.number().min(0).max(1);

export const FAULT_SOURCE_KINDS = ['fundamentals', 'research', 'news'] as const;

/** The kinds of fault a plan injects into this process (Bedrock's are the simulator's own, FA_SIM_*). */
export const INJECTED_FAULT_KINDS = ['dynamo_throttle', 'dynamo_5xx', 'cache_blackhole', 'vendor_outage'] as const;
export type InjectedFaultKind = (typeof INJECTED_FAULT_KINDS)[number];

export const FaultPlanSchema = z
  .strictObject({
    seed: z.number().int().nonnegative().default(1),
    /** Share of DynamoDB requests answered ProvisionedThroughputExceededException (before they reach the table). */
    dynamoThrottleRate: share.default(0),
    /** Share of DynamoDB requests answered 500 InternalServerError (before they reach the table). */
    dynamoErrorRate: share.default(0),
    /**
     * A window (epoch ms) in which the embedding cache answers nothing: each lookup waits for the
     * cache client's deadline (`timeoutMs`) and reads as a miss, as a black-holed Redis does.
     */
    cacheBlackhole: z
      .strictObject({
        fromEpochMs: z.number().int().nonnegative(),
        untilEpochMs: z.number().int().nonnegative(),
        timeoutMs: z.number().int().min(1).max(10_000).default(200),
      })
      .refine((w) => w.untilEpochMs >= w.fromEpochMs, 'untilEpochMs must not be before fromEpochMs')
      .optional(),
    /** Share of stocks whose vendor sources (`vendorOutageSources`) are down for the whole run. */
    vendorOutageRate: share.default(0),
    vendorOutageSources: z.array(z.enum(FAULT_SOURCE_KINDS)).min(1).default(['fundamentals']),
    /** A file each injected fault is appended to, one JSON line `{kind, key, pid, at}`. */
    log: z.string().min(1).optional(),
  })
  .describe('FA_FAULTS');
export type FaultPlanConfig = z.infer<typeof FaultPlanSchema>;
export type FaultPlanInput = z.input<typeof FaultPlanSchema>;

/** FA_FAULTS as text: unset or empty for none, else the plan as one JSON object. */
export const FaultPlanTextSchema = z
  .string()
  .optional()
  .transform((text, ctx) => {
    if (text === undefined || text.trim() === '' || text.trim() === 'off') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object such as {"seed":1,"dynamoThrottleRate":0.02}' });
      return z.NEVER;
    }
  })
  .pipe(FaultPlanSchema.optional());

/** FNV-1a: a stable 32-bit hash of a short string. */
function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export class FaultPlan {
  readonly config: FaultPlanConfig;
  private readonly counters = new Map<string, number>();
  private readonly counts = new Map<InjectedFaultKind, number>();

  constructor(config: FaultPlanInput) {
    this.config = FaultPlanSchema.parse(config);
  }

  /** A uniform draw in [0, 1) for (seed, stream, key): the same arguments give the same draw. */
  draw(stream: string, key: string | number): number {
    const generator = xoroshiro128plus((hash32(`${this.config.seed}\u0000${stream}\u0000${key}`) ^ this.config.seed) | 0);
    return uniformFloat64(generator);
  }

  /** The next key of a per-process sequence (the n-th DynamoDB request, from 0). */
  next(stream: string): number {
    const n = this.counters.get(stream) ?? 0;
    this.counters.set(stream, n + 1);
    return n;
  }

  /** The DynamoDB fault for the next request of this process, if one is drawn. */
  nextDynamoFault(): 'dynamo_throttle' | 'dynamo_5xx' | undefined {
    const { dynamoThrottleRate, dynamoErrorRate } = this.config;
    if (dynamoThrottleRate === 0 && dynamoErrorRate === 0) return undefined;
    const n = this.next('dynamo');
    if (this.draw('dynamo_throttle', n) < dynamoThrottleRate) return 'dynamo_throttle';
    if (this.draw('dynamo_5xx', n) < dynamoErrorRate) return 'dynamo_5xx';
    return undefined;
  }

  /** Whether `ticker`'s vendor sources are down in this plan (the same answer on every call). */
  vendorDown(ticker: string): boolean {
    return this.config.vendorOutageRate > 0 && this.draw('vendor_outage', ticker) < this.config.vendorOutageRate;
  }

  /** Whether the embedding cache is black-holed at `epochMs`. */
  cacheBlackholed(epochMs: number): boolean {
    const window = this.config.cacheBlackhole;
    return window !== undefined && epochMs >= window.fromEpochMs && epochMs < window.untilEpochMs;
  }

  /** Count a fault and append it to the plan's log. */
  record(kind: InjectedFaultKind, key: string | number): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
    if (this.config.log) appendFileSync(this.config.log, `${JSON.stringify({ kind, key, pid: process.pid, at: Date.now() })}\n`);
  }

  /** Faults injected by this process so far, by kind. */
  injected(): Partial<Record<InjectedFaultKind, number>> {
    return Object.fromEntries(this.counts);
  }
}
