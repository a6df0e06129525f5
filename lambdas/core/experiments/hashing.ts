/**
 * Deterministic bucketing compatible with GrowthBook (its published test vectors reproduce
 * exactly: test/core/experiments/hashing.test.ts). Hash version 2 is FNV-1a 32-bit applied twice,
 * the inner result fed back as its decimal string, then reduced to [0, 1) in steps of 1/10,000;
 * version 1, biased but still what namespaces use, is one FNV-1a of value + seed in steps of 1/1,000.
 */

/** A [start, end) slice of the unit interval. */
export type BucketRange = readonly [number, number];

/** FNV-1a, 32-bit, over UTF-16 code units (as GrowthBook's SDKs hash strings). */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    // × FNV prime 16777619 (2^24 + 2^8 + 0x93), modulo 2^32.
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A number in [0, 1) for (seed, value), or undefined for an unknown hash version. */
export function hashToUnit(seed: string, value: string, version: number): number | undefined {
  if (version === 2) return (fnv1a32(String(fnv1a32(seed + value))) % 10_000) / 10_000;
  if (version === 1) return (fnv1a32(value + seed) % 1_000) / 1_000;
  return undefined;
}

function equalWeights(n: number): number[] {
  return n <= 0 ? [] : Array.from({ length: n }, () => 1 / n);
}

/**
 * One range per arm: arm i starts at the sum of the weights before it and covers `coverage` of its
 * own weight, so lowering coverage shrinks every arm in place rather than moving units between arms.
 * Weights that do not add up to 1 (±0.01) or do not match the arm count fall back to equal weights.
 */
export function bucketRanges(arms: number, coverage = 1, weights?: readonly number[]): BucketRange[] {
  const cover = Math.min(1, Math.max(0, coverage));
  let w = weights && weights.length === arms ? [...weights] : equalWeights(arms);
  const total = w.reduce((sum, x) => sum + x, 0);
  if (total < 0.99 || total > 1.01) w = equalWeights(arms);
  let cumulative = 0;
  return w.map((weight) => {
    const start = cumulative;
    cumulative += weight;
    return [start, start + cover * weight] as const;
  });
}

/** The index of the range holding n, or -1 when n falls outside every range (not covered). */
export function chooseArm(n: number, ranges: readonly BucketRange[]): number {
  return ranges.findIndex(([start, end]) => n >= start && n < end);
}

/** Whether a unit falls in a namespace's [start, end) slice (hash version 1 with seed `__<name>`, as GrowthBook). */
export function inNamespace(unitId: string, namespace: { name: string; range: readonly [number, number] }): boolean {
  const n = hashToUnit(`__${namespace.name}`, unitId, 1)!;
  return n >= namespace.range[0] && n < namespace.range[1];
}
