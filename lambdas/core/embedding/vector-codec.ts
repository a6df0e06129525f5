/**
 * Vector encodings for storage (docs/DESIGN.md §5.3: int8 or float32, per ticker), both little-endian and
 * platform-independent:
 *
 * - int8: symmetric per-vector quantisation. Bytes 0–3 hold the scale as a float32
 *   (`scale = max|v| / 127`), then one signed byte per component, `q = round(v / scale)`, decoded as
 *   `q × scale`. A 256-dimension vector takes 260 bytes instead of 1,024, and for unit vectors the
 *   per-component error is at most `scale / 2`, which keeps cosine error far below 0.01. (Vectors
 *   whose largest component is below ~1e-36 lose precision: the float32 scale underflows. Embeddings
 *   never come near that.)
 * - float32: the raw IEEE-754 values, 4 bytes each.
 *
 * `decodeVector` tells them apart by length alone, given the dimension count (4 + d = 4d has no
 * integer solution), so stored items need no format marker. Pure: no I/O.
 */

const SCALE_BYTES = 4;
const INT8_MAX = 127;

/** int8 encoding: float32 scale, then one signed byte per component. */
export function encodeInt8(vector: Float32Array): Uint8Array {
  let maxAbs = 0;
  for (const value of vector) {
    if (!Number.isFinite(value)) throw new RangeError('cannot encode a vector with a non-finite component');
    maxAbs = Math.max(maxAbs, Math.abs(value));
  }
  // Stored as float32, so quantise against the float32 value the decoder will read back.
  const scale = Math.fround(maxAbs / INT8_MAX);
  const bytes = new Uint8Array(SCALE_BYTES + vector.length);
  const view = new DataView(bytes.buffer);
  view.setFloat32(0, scale, true);
  for (let i = 0; i < vector.length; i += 1) {
    const q = scale === 0 ? 0 : Math.max(-INT8_MAX, Math.min(INT8_MAX, Math.round(vector[i]! / scale)));
    view.setInt8(SCALE_BYTES + i, q);
  }
  return bytes;
}

/** @throws RangeError when the bytes are too short to hold the scale. */
export function decodeInt8(bytes: Uint8Array): Float32Array {
  if (bytes.length < SCALE_BYTES) throw new RangeError(`an int8 vector needs at least ${SCALE_BYTES} bytes, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const scale = view.getFloat32(0, true);
  const vector = new Float32Array(bytes.length - SCALE_BYTES);
  for (let i = 0; i < vector.length; i += 1) vector[i] = view.getInt8(SCALE_BYTES + i) * scale;
  return vector;
}

export function encodeFloat32(vector: Float32Array): Uint8Array {
  const bytes = new Uint8Array(vector.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < vector.length; i += 1) view.setFloat32(i * 4, vector[i]!, true);
  return bytes;
}

/** @throws RangeError when the length is not a multiple of 4. */
export function decodeFloat32(bytes: Uint8Array): Float32Array {
  if (bytes.length % 4 !== 0) throw new RangeError(`a float32 vector needs a multiple of 4 bytes, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const vector = new Float32Array(bytes.length / 4);
  for (let i = 0; i < vector.length; i += 1) vector[i] = view.getFloat32(i * 4, true);
  return vector;
}

export type VectorEncoding = 'int8' | 'float32';

export function encodeVector(vector: Float32Array, encoding: VectorEncoding): Uint8Array {
  return encoding === 'int8' ? encodeInt8(vector) : encodeFloat32(vector);
}

/**
 * Decode a stored vector of `dimensions` components in either encoding, recognised by its length.
 *
 * @throws RangeError when the length matches neither encoding.
 */
export function decodeVector(bytes: Uint8Array, dimensions: number): Float32Array {
  if (bytes.length === SCALE_BYTES + dimensions) return decodeInt8(bytes);
  if (bytes.length === dimensions * 4) return decodeFloat32(bytes);
  throw new RangeError(`${bytes.length} bytes is neither an int8 nor a float32 vector of ${dimensions} dimensions`);
}

/**
 * Cosine similarity in [-1, 1]; 0 when either vector is all zeros.
 *
 * @throws RangeError when the vectors differ in length.
 */
export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError(`cannot compare vectors of ${a.length} and ${b.length} dimensions`);
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  if (normA === 0 || normB === 0) return 0;
  return Math.max(-1, Math.min(1, dot / Math.sqrt(normA * normB)));
}
