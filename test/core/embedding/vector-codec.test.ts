import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cosine,
  decodeFloat32,
  decodeInt8,
  decodeVector,
  encodeFloat32,
  encodeInt8,
  encodeVector,
} from '../../../lambdas/core/embedding/vector-codec';

const component = fc.float({ min: -1, max: 1, noNaN: true, noDefaultInfinity: true });

/** Normalised vectors (Titan v2 with normalize: true, and the local embedder, produce these). */
const unitVector = fc
  .array(component, { minLength: 2, maxLength: 1024 })
  .filter((xs) => xs.some((x) => Math.abs(x) > 1e-3))
  .map((xs) => {
    const n = Math.sqrt(xs.reduce((s, x) => s + x * x, 0));
    return Float32Array.from(xs.map((x) => x / n));
  });

describe('int8 codec', () => {
  it('stores a float32 scale and one byte per component', () => {
    const bytes = encodeInt8(Float32Array.from([0.5, -1, 0.25]));
    expect(bytes).toHaveLength(4 + 3);
    expect(new DataView(bytes.buffer).getFloat32(0, true)).toBeCloseTo(1 / 127, 7);
    expect(new Int8Array(bytes.buffer, 4)).toEqual(Int8Array.from([64, -127, 32]));
  });

  it('decodes each component within half a quantisation step', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }), { maxLength: 300 }), (xs) => {
        const v = Float32Array.from(xs);
        const decoded = decodeInt8(encodeInt8(v));
        const maxAbs = v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
        const step = maxAbs / 127;
        expect(decoded).toHaveLength(v.length);
        v.forEach((x, i) => expect(Math.abs(decoded[i]! - x)).toBeLessThanOrEqual(step / 2 + maxAbs * 1e-6 + 1e-30));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps cosine similarity within 0.01 for normalised vectors', () => {
    fc.assert(
      fc.property(unitVector, unitVector, (a, b) => {
        fc.pre(a.length === b.length);
        const exact = cosine(a, b);
        const quantised = cosine(decodeInt8(encodeInt8(a)), decodeInt8(encodeInt8(b)));
        expect(Math.abs(exact - quantised)).toBeLessThan(0.01);
        expect(cosine(a, decodeInt8(encodeInt8(a)))).toBeGreaterThan(0.99);
      }),
      { numRuns: 200 },
    );
    // Same-length pairs, so the property above is not vacuous; unnormalised too, at embedding-like
    // magnitudes (a float32 scale cannot represent vectors whose largest component is below ~1e-36).
    const sized = (n: number) => fc.array(component, { minLength: n, maxLength: n }).filter((xs) => xs.some((x) => Math.abs(x) > 1e-20));
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 1024 }).chain((n) => fc.tuple(sized(n), sized(n))),
        ([xs, ys]) => {
          const a = Float32Array.from(xs);
          const b = Float32Array.from(ys);
          expect(Math.abs(cosine(a, b) - cosine(decodeInt8(encodeInt8(a)), decodeInt8(encodeInt8(b))))).toBeLessThan(0.01);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('encodes an all-zero vector as zeros and decodes it back', () => {
    const v = new Float32Array(5);
    expect(decodeInt8(encodeInt8(v))).toEqual(v);
  });

  it('decodes from a view into a larger buffer (as DynamoDB binary attributes arrive)', () => {
    const encoded = encodeInt8(Float32Array.from([0.1, -0.2, 0.3]));
    const padded = new Uint8Array(encoded.length + 3);
    padded.set(encoded, 3);
    expect(decodeInt8(padded.subarray(3))).toEqual(decodeInt8(encoded));
  });

  it('rejects non-finite components and truncated bytes', () => {
    expect(() => encodeInt8(Float32Array.from([1, Number.NaN]))).toThrow(RangeError);
    expect(() => decodeInt8(new Uint8Array(3))).toThrow(RangeError);
  });
});

describe('float32 codec', () => {
  it('round-trips exactly, little-endian', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true }), { maxLength: 300 }), (xs) => {
        const v = Float32Array.from(xs);
        expect(decodeFloat32(encodeFloat32(v))).toEqual(v);
      }),
    );
    expect(Array.from(encodeFloat32(Float32Array.from([1])))).toEqual([0, 0, 0x80, 0x3f]);
  });

  it('rejects a length that is not a multiple of four', () => {
    expect(() => decodeFloat32(new Uint8Array(6))).toThrow(RangeError);
  });
});

describe('decodeVector', () => {
  it('recognises either encoding by its length', () => {
    fc.assert(
      fc.property(unitVector, fc.constantFrom('int8' as const, 'float32' as const), (v, encoding) => {
        const decoded = decodeVector(encodeVector(v, encoding), v.length);
        expect(decoded).toHaveLength(v.length);
        expect(cosine(decoded, v)).toBeGreaterThan(0.99);
      }),
      { numRuns: 100 },
    );
  });

  it('rejects bytes that fit neither encoding', () => {
    expect(() => decodeVector(new Uint8Array(100), 256)).toThrow(RangeError);
  });
});

describe('cosine', () => {
  it('is 1 for a vector with itself, -1 with its negation, 0 with a zero vector', () => {
    const v = Float32Array.from([0.3, -0.4, 0.5]);
    expect(cosine(v, v)).toBeCloseTo(1, 6);
    expect(
      cosine(
        v,
        v.map((x) => -x),
      ),
    ).toBeCloseTo(-1, 6);
    expect(cosine(v, new Float32Array(3))).toBe(0);
  });

  it('rejects vectors of different lengths', () => {
    expect(() => cosine(new Float32Array(2), new Float32Array(3))).toThrow(RangeError);
  });
});
