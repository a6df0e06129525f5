/**
 * Seeded random draws for the simulator (pure-rand's xoroshiro128+): latency samples and fault
 * decisions repeat for the same seed and the same order of requests.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { Distribution } from './config';

/** z of the 95th percentile of a standard normal. */
const Z95 = 1.6448536269514722;

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
}

export function seededRandom(seed: number): Random {
  const generator = xoroshiro128plus(seed);
  return { next: () => uniformFloat64(generator) };
}

/** A standard normal draw (Box–Muller). */
function standardNormal(random: Random): number {
  const u = Math.max(random.next(), Number.MIN_VALUE);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
}

/** One draw from `distribution`. A log-normal is fixed by its median and P95: σ = ln(P95/median)/z95. */
export function sample(distribution: Distribution, random: Random): number {
  switch (distribution.kind) {
    case 'fixed':
      return distribution.value;
    case 'uniform':
      return distribution.min + (distribution.max - distribution.min) * random.next();
    case 'lognormal': {
      const sigma = Math.log(distribution.p95 / distribution.median) / Z95;
      return distribution.median * Math.exp(sigma * standardNormal(random));
    }
  }
}
