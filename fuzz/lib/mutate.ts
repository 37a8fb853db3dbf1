/**
 * Classic byte-level mutators (AFL/libFuzzer style): bit and byte flips, arithmetic, interesting integers written
 * over what may be a length field, chunk insert/delete/duplicate/copy, splicing with another corpus entry, and
 * dictionary tokens (record headers, handshake types, extension codes) the target supplies. Each fuzz input gets
 * a small stack of them, so both single-byte edits and structural changes are tried.
 */
import type { Rng } from "./rng";

const INTERESTING_8 = [0, 1, 0x7f, 0x80, 0xff, 0x10, 0x20, 0x40, 0x16, 0x17, 0x14, 0x15];
const INTERESTING_16 = [0, 1, 0x7f, 0x80, 0xff, 0x100, 0x3fff, 0x4000, 0x4001, 0x47ff, 0x4800, 0x4801, 0x7fff, 0x8000, 0xfffe, 0xffff];
const INTERESTING_32 = [0, 1, 0xffff, 0x10000, 0xffffff, 0x1000000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

export interface MutateOptions {
  maxLength: number;
  dictionary?: readonly Uint8Array[];
  /** Another corpus entry to splice with (chosen by the caller). */
  other?: () => Uint8Array;
}

type Mutator = (d: Uint8Array, rng: Rng, o: MutateOptions) => Uint8Array;

function putBE(d: Uint8Array, at: number, v: number, width: number): void {
  for (let i = width - 1; i >= 0; i--, v = Math.floor(v / 256)) if (at + i < d.length) d[at + i] = v & 0xff;
}

function putLE(d: Uint8Array, at: number, v: number, width: number): void {
  for (let i = 0; i < width; i++, v = Math.floor(v / 256)) if (at + i < d.length) d[at + i] = v & 0xff;
}

function insertAt(d: Uint8Array, at: number, chunk: Uint8Array): Uint8Array {
  const out = new Uint8Array(d.length + chunk.length);
  out.set(d.subarray(0, at));
  out.set(chunk, at);
  out.set(d.subarray(at), at + chunk.length);
  return out;
}

/** Chunk sizes skewed small: most structure is a few bytes wide. */
function chunkLen(rng: Rng, max: number): number {
  if (max <= 1) return max;
  const r = rng.below(10);
  const n = r < 6 ? 1 + rng.below(4) : r < 9 ? 1 + rng.below(32) : 1 + rng.below(max);
  return Math.min(n, max);
}

const MUTATORS: Mutator[] = [
  // Bit flip.
  (d, rng) => {
    if (d.length) d[rng.below(d.length)] ^= 1 << rng.below(8);
    return d;
  },
  // Random byte.
  (d, rng) => {
    if (d.length) d[rng.below(d.length)] = rng.below(256);
    return d;
  },
  // Byte arithmetic.
  (d, rng) => {
    if (d.length) {
      const i = rng.below(d.length);
      d[i] = (d[i] + (rng.below(35) - 17)) & 0xff;
    }
    return d;
  },
  // Interesting 8-bit value.
  (d, rng) => {
    if (d.length) d[rng.below(d.length)] = rng.pick(INTERESTING_8);
    return d;
  },
  // Interesting 16/24/32-bit value, either byte order (length fields, counts, sequence numbers).
  (d, rng) => {
    if (d.length < 2) return d;
    const width = rng.pick([2, 2, 3, 4]);
    const v = width === 2 ? rng.pick(INTERESTING_16) : width === 3 ? rng.pick([0, 1, 0xffff, 0x10000, 0xffffff, 0x800000]) : rng.pick(INTERESTING_32);
    const at = rng.below(d.length);
    if (rng.chance(0.7)) putBE(d, at, v, width);
    else putLE(d, at, v, width);
    return d;
  },
  // Length field re-aimed at the bytes that follow it, ± a little (off-by-one boundaries).
  (d, rng) => {
    if (d.length < 3) return d;
    const width = rng.pick([1, 2, 2, 3]);
    const at = rng.below(d.length - 1);
    const v = Math.max(0, d.length - at - width + rng.below(5) - 2);
    putBE(d, at, v, width);
    return d;
  },
  // 16-bit arithmetic (big-endian).
  (d, rng) => {
    if (d.length < 2) return d;
    const at = rng.below(d.length - 1);
    const v = ((d[at] << 8) | d[at + 1]) + rng.below(65) - 32;
    putBE(d, at, v & 0xffff, 2);
    return d;
  },
  // Delete a chunk.
  (d, rng) => {
    if (d.length < 2) return d;
    const n = chunkLen(rng, d.length - 1);
    const at = rng.below(d.length - n + 1);
    const out = new Uint8Array(d.length - n);
    out.set(d.subarray(0, at));
    out.set(d.subarray(at + n), at);
    return out;
  },
  // Insert random bytes.
  (d, rng, o) => {
    const n = Math.min(chunkLen(rng, 64), Math.max(0, o.maxLength - d.length));
    const chunk = new Uint8Array(n);
    const fill = rng.chance(0.5) ? -1 : rng.below(256);
    for (let i = 0; i < n; i++) chunk[i] = fill < 0 ? rng.below(256) : fill;
    return insertAt(d, rng.below(d.length + 1), chunk);
  },
  // Duplicate a chunk in place (repeated records, extensions, segments).
  (d, rng, o) => {
    if (!d.length) return d;
    const n = Math.min(chunkLen(rng, d.length), Math.max(0, o.maxLength - d.length));
    const at = rng.below(d.length - n + 1);
    const times = rng.chance(0.9) ? 1 : 1 + rng.below(16);
    let out = d;
    for (let t = 0; t < times && out.length + n <= o.maxLength; t++) out = insertAt(out, at, d.slice(at, at + n));
    return out;
  },
  // Copy a chunk over another place.
  (d, rng) => {
    if (d.length < 2) return d;
    const n = chunkLen(rng, d.length >> 1);
    const from = rng.below(d.length - n + 1);
    const to = rng.below(d.length - n + 1);
    d.copyWithin(to, from, from + n);
    return d;
  },
  // Splice: our head with another input's tail, or a chunk of it inserted.
  (d, rng, o) => {
    const other = o.other?.();
    if (!other || !other.length) return d;
    if (rng.chance(0.5)) {
      const a = rng.below(d.length + 1);
      const b = rng.below(other.length + 1);
      const out = new Uint8Array(a + other.length - b);
      out.set(d.subarray(0, a));
      out.set(other.subarray(b), a);
      return out;
    }
    const n = chunkLen(rng, other.length);
    const from = rng.below(other.length - n + 1);
    return insertAt(d, rng.below(d.length + 1), other.slice(from, from + n));
  },
  // Dictionary token, inserted or written over.
  (d, rng, o) => {
    if (!o.dictionary?.length) return d;
    const tok = rng.pick(o.dictionary);
    const at = rng.below(d.length + 1);
    if (rng.chance(0.5)) return insertAt(d, at, tok);
    const out = at + tok.length > d.length ? insertAt(d, d.length, new Uint8Array(at + tok.length - d.length)) : d;
    out.set(tok, at);
    return out;
  },
  // Truncate.
  (d, rng) => (d.length ? d.slice(0, rng.below(d.length)) : d),
];

/** A mutated copy of `input`: 1–8 stacked mutations (fewer more often), capped at `maxLength`. */
export function mutate(input: Uint8Array, rng: Rng, o: MutateOptions): Uint8Array {
  let d: Uint8Array = input.slice();
  const n = 1 << rng.below(4);
  for (let i = 0; i < n; i++) d = MUTATORS[rng.below(MUTATORS.length)](d, rng, o);
  return d.length > o.maxLength ? d.slice(0, o.maxLength) : d;
}

/** Fresh random input (used when a corpus is empty). */
export function randomInput(rng: Rng, maxLength: number): Uint8Array {
  const d = new Uint8Array(rng.below(Math.min(256, maxLength) + 1));
  for (let i = 0; i < d.length; i++) d[i] = rng.below(256);
  return d;
}
