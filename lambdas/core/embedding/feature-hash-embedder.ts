/**
 * A deterministic local embedder (the embedded default has no model): feature hashing over
 * lower-cased word unigrams and bigrams into a fixed number of dimensions, with a second hash
 * choosing each feature's sign so collisions cancel out on average instead of piling up
 * (Weinberger et al., "Feature Hashing for Large Scale Multitask Learning", 2009). Counts are
 * damped (1 + ln n) so one repeated word cannot dominate, and the vector is L2-normalised, so cosine
 * similarity is a dot product exactly as with Titan v2 (`normalize: true`).
 *
 * It knows nothing of meaning, only shared words and word pairs, which is what retrieval inside one
 * stock's documents mostly needs. Pure: no I/O.
 */

export const FEATURE_HASH_MODEL_ID = 'local/feature-hash-v1';
export const DEFAULT_FEATURE_HASH_DIMENSIONS = 256;

/**
 * Function words carry no topic; dropping them keeps unrelated texts from looking alike just
 * because both are English.
 */
const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by for from had has have he her his if in into is it its of on or our ' +
    'she so than that the their them then there these they this those to was we were which while who will ' +
    'with would you your not no can could may might shall should do does did also such'
  ).split(' '),
);

/** Lower-cased words; internal apostrophes, periods and hyphens stay inside a word ("u.s.", "year-over-year"). */
export function featureTokens(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’.\-][\p{L}\p{N}]+)*/gu) ?? []).filter((t) => !STOP_WORDS.has(t));
}

/** 32-bit FNV-1a over UTF-16 code units: small, fast and stable across platforms. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** MurmurHash3's finaliser: decorrelates the sign bit from the low bits that pick the index. */
function fmix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Bigrams weigh a little less than words: they sharpen matches without drowning shared vocabulary. */
const BIGRAM_WEIGHT = 0.7;

/**
 * The embedding of `text`: a unit-length vector of `dimensions` float32 values. Text without any
 * content word (empty, punctuation, only stop words) maps to one fixed unit vector, so the result
 * is always unit-norm and such texts are all alike and unlike everything else.
 *
 * @throws RangeError when `dimensions` is not a positive integer.
 */
export function featureHashEmbedding(text: string, dimensions: number = DEFAULT_FEATURE_HASH_DIMENSIONS): Float32Array {
  if (!Number.isInteger(dimensions) || dimensions < 1) throw new RangeError(`dimensions must be a positive integer, got ${dimensions}`);
  const tokens = featureTokens(text);
  const counts = new Map<string, number>();
  const add = (feature: string, weight: number): void => {
    counts.set(feature, (counts.get(feature) ?? 0) + weight);
  };
  for (let i = 0; i < tokens.length; i += 1) {
    add(`u:${tokens[i]}`, 1);
    if (i + 1 < tokens.length) add(`b:${tokens[i]} ${tokens[i + 1]}`, BIGRAM_WEIGHT);
  }
  const sums = new Float64Array(dimensions);
  if (counts.size === 0) {
    sums[fnv1a('') % dimensions] = 1;
  } else {
    // Sorted so the float sums happen in one order whatever the insertion order was.
    for (const feature of [...counts.keys()].sort()) {
      const raw = counts.get(feature)!;
      const base = feature.startsWith('b:') ? BIGRAM_WEIGHT : 1;
      const occurrences = raw / base;
      const hash = fnv1a(feature);
      const sign = fmix32(hash ^ 0x9e3779b9) & 1 ? 1 : -1;
      sums[hash % dimensions]! += sign * base * (1 + Math.log(occurrences));
    }
  }
  let norm = 0;
  for (const value of sums) norm += value * value;
  norm = Math.sqrt(norm);
  const vector = new Float32Array(dimensions);
  if (norm === 0) {
    // Every feature cancelled another out (possible with signed hashing and tiny inputs).
    vector[fnv1a('') % dimensions] = 1;
    return vector;
  }
  for (let i = 0; i < dimensions; i += 1) vector[i] = sums[i]! / norm;
  return vector;
}
