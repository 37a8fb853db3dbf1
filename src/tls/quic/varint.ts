/**
 * QUIC variable-length integers (RFC 9000 §16): the two high bits of the first byte give the length (1, 2, 4 or 8
 * bytes), the rest is the value in network byte order. Values above 2^53 lose precision as JavaScript numbers;
 * the wire allows 2^62 - 1, which no field this project compares reaches (a located note is given instead).
 */
import type { Reader } from "../reader";

/** Length in bytes of the varint whose first byte is `b`. */
export function varintLength(b: number): 1 | 2 | 4 | 8 {
  return (1 << (b >> 6)) as 1 | 2 | 4 | 8;
}

/**
 * The varint at `buf[off..end)`: its value and length, or -1 as the length when it does not fit. Allocation-free:
 * the result goes into the reused `out` pair.
 */
export function readVarintAt(buf: Uint8Array, off: number, end: number, out: { value: number; length: number }): boolean {
  if (off >= end) {
    out.length = -1;
    return false;
  }
  const len = varintLength(buf[off]);
  if (off + len > end) {
    out.length = -1;
    return false;
  }
  let v = buf[off] & 0x3f;
  for (let i = 1; i < len; i++) v = v * 256 + buf[off + i];
  out.value = v;
  out.length = len;
  return true;
}

/** A varint read through the labelled reader: one node over its bytes, valued with the integer. */
export function readVarint(r: Reader, name: string, display?: (v: number) => string): number {
  if (r.remaining() < 1) r.fail(`${name}: needs 1 byte, none left`, name);
  const len = varintLength(r.buf[r.pos]);
  const bytes = r.bytes(name, len, {
    display: (b) => {
      const v = valueOf(b);
      return display ? display(v) : String(v);
    },
  });
  const v = valueOf(bytes);
  // The node's value is the integer, not the hex `bytes` gives it.
  const node = r.annotate ? r.node?.children?.at(-1) : undefined;
  if (node) node.value = v;
  return v;
}

function valueOf(b: Uint8Array): number {
  let v = b[0] & 0x3f;
  for (let i = 1; i < b.length; i++) v = v * 256 + b[i];
  return v;
}

/**
 * The varint at `buf[off..]` as an exact integer: a number up to 2^53, else a bigint (GREASE transport parameter
 * ids reach 2^62 - 1, RFC 9000 §18.1). Assumes the bytes are there (the caller read them).
 */
export function varintExact(bytes: Uint8Array): number | bigint {
  let v = BigInt(bytes[0] & 0x3f);
  for (let i = 1; i < bytes.length; i++) v = (v << 8n) | BigInt(bytes[i]);
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}
