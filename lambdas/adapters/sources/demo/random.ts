/**
 * Seeded randomness for the demo universe. Every stream is derived by hashing (seed, ticker, what,
 * when), never by advancing one global generator, so one stock on one day can be generated without
 * generating anything else, and adding a stock or a day never shifts another's values.
 *
 * Two tools: cheap 32-bit hashes for yes/no decisions made per (ticker, business day) — scanning
 * a few hundred days back must cost microseconds — and a pure-rand generator for anything that
 * draws more than a couple of values (texts, traits).
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/** FNV-1a over UTF-16 code units: a stable 32-bit hash of a short string. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** murmur3's finaliser: scrambles every input bit into every output bit. */
function avalanche(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Combine a stream key with further integers (a day, a quarter, a salt) into a new 32-bit key. */
export function mix(key: number, ...parts: number[]): number {
  let h = avalanche(key ^ 0x9e3779b9);
  for (const part of parts) h = avalanche((h + Math.imul(part | 0, 0x9e3779b1) + 0x7f4a7c15) ^ (h >>> 7));
  return h;
}

/** A uniform number in [0, 1) from a 32-bit key. */
export function unit(key: number): number {
  return key / 0x100000000;
}

/** A roughly standard-normal value from a key (sum of four uniforms, variance rescaled): cheap and bounded to ±3.5. */
export function gaussian(key: number): number {
  const a = mix(key, 1);
  const b = mix(key, 2);
  const sum = (a & 0xffff) / 0x10000 + (a >>> 16) / 0x10000 + (b & 0xffff) / 0x10000 + (b >>> 16) / 0x10000;
  return (sum - 2) * Math.sqrt(3);
}

/** Salts that keep the per-day decision streams independent of one another. */
export const SALT = {
  news: 11,
  newsKind: 12,
  note: 21,
  postEarningsNote: 22,
  coverage: 24,
  earningsNews: 23,
  outage: 31,
  quarter: 41,
  instant: 42,
  filingLag: 43,
  frameGap: 44,
  price: 51,
  consensus: 52,
  rating: 61,
  target: 62,
  text: 71,
} as const;

/** A small drawing API over a pure-rand xoroshiro128+ generator. */
export class Rng {
  private readonly generator: RandomGenerator;

  constructor(seed: number) {
    this.generator = xoroshiro128plus(seed | 0);
  }

  /** Uniform in [0, 1). */
  float(): number {
    return uniformFloat64(this.generator);
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.float();
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return uniformInt(this.generator, min, max);
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list');
    return items[this.int(0, items.length - 1)]!;
  }

  /** Pick by relative weight. */
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let threshold = this.float() * total;
    for (const [value, weight] of entries) {
      threshold -= weight;
      if (threshold < 0) return value;
    }
    return entries[entries.length - 1]![0];
  }

  /** `count` distinct items, in draw order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < count && pool.length > 0) out.push(pool.splice(this.int(0, pool.length - 1), 1)[0]!);
    return out;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = Math.max(this.float(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float());
  }
}
