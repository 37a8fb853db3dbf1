/**
 * Wire shapes: the length-prefixed vectors of RFC 8446 §3.4 (`opaque x<min..max>`, `T list<min..max>`) described as
 * data, so that an extension or message states its lengths, minimums and item sizes once and both of its readers use
 * that statement — the labelled decoder (which builds the field tree and reports located errors) and the summary
 * scanner's allocation-free walkers below (which only answer whether the decoder would accept the bytes).
 *
 * Every walker takes the buffer, a position and the current bound, and returns the position after the vector, or
 * -1 where the labelled decoder would fail.
 */

/** `opaque name<min..max>`: a `width`-byte length, then a body of `min`..`max` bytes. */
export interface VectorShape {
  readonly width: 1 | 2 | 3;
  readonly min: number;
  readonly max: number;
}

/** A vector of fixed-size items (`item` bytes each), bounds in bytes as the RFCs write them. */
export interface FixedListShape extends VectorShape {
  readonly item: number;
}

/** A vector whose items are themselves length-prefixed vectors. */
export interface OpaqueListShape extends VectorShape {
  readonly element: VectorShape;
}

export const vector = (width: 1 | 2 | 3, min = 0, max = Infinity): VectorShape => ({ width, min, max });
export const fixedList = (width: 1 | 2 | 3, item: number, min = 0, max = Infinity): FixedListShape => ({ width, item, min, max });
export const opaqueList = (width: 1 | 2 | 3, element: VectorShape, min = 0): OpaqueListShape => ({ width, element, min, max: Infinity });

/** The bounds in the form the labelled reader's `opaque`/`list`/`vector` take. */
export const bounds = (s: VectorShape): { min: number; max?: number } => (s.max === Infinity ? { min: s.min } : { min: s.min, max: s.max });

export const u16 = (b: Uint8Array, p: number): number => (b[p] << 8) | b[p + 1];
export const u24 = (b: Uint8Array, p: number): number => (b[p] << 16) | (b[p + 1] << 8) | b[p + 2];

/** Walks `opaque<min..max>` with a `w`-byte length (the primitive the shaped walkers share). */
export function skipOpaque(b: Uint8Array, p: number, e: number, w: 1 | 2 | 3, min: number, max = Infinity): number {
  if (e - p < w) return -1;
  const len = w === 1 ? b[p] : w === 2 ? u16(b, p) : u24(b, p);
  if (len < min || len > max || len > e - p - w) return -1;
  return p + w + len;
}

export function skipVector(b: Uint8Array, p: number, e: number, s: VectorShape): number {
  return skipOpaque(b, p, e, s.width, s.min, s.max);
}

export function skipFixedList(b: Uint8Array, p: number, e: number, s: FixedListShape): number {
  const q = skipOpaque(b, p, e, s.width, s.min, s.max);
  if (q < 0) return -1;
  // A trailing partial item is a read past the body's end in the decoder.
  return (q - p - s.width) % s.item === 0 ? q : -1;
}

export function skipOpaqueList(b: Uint8Array, p: number, e: number, s: OpaqueListShape): number {
  const q = skipOpaque(b, p, e, s.width, s.min, s.max);
  if (q < 0) return -1;
  // Each item consumes at least its length field, so the loop is bounded by the body's length.
  for (let i = p + s.width; i < q;) {
    i = skipVector(b, i, q, s.element);
    if (i < 0) return -1;
  }
  return q;
}
