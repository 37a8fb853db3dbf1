import { concatBytes } from "../tls/bytes";
/**
 * A small DER encoder (ITU-T X.690 §10) for the certificates the engine issues at run time: only the types an
 * X.509 v3 certificate needs (RFC 5280 §4.1).
 */
function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

export function tlv(tag: number, content: Uint8Array): Uint8Array {
  const len = lengthBytes(content.length);
  const out = new Uint8Array(1 + len.length + content.length);
  out[0] = tag;
  out.set(len, 1);
  out.set(content, 1 + len.length);
  return out;
}

const cat = (parts: Uint8Array[]): Uint8Array => concatBytes(...parts);

export const seq = (...items: Uint8Array[]): Uint8Array => tlv(0x30, cat(items));
export const set = (...items: Uint8Array[]): Uint8Array => tlv(0x31, cat(items));
/** Context-specific constructed [n] (EXPLICIT tagging). */
export const explicit = (n: number, inner: Uint8Array): Uint8Array => tlv(0xa0 | n, inner);
export const bool = (v: boolean): Uint8Array => tlv(0x01, new Uint8Array([v ? 0xff : 0]));
export const nullValue = (): Uint8Array => tlv(0x05, new Uint8Array(0));
export const octetString = (b: Uint8Array): Uint8Array => tlv(0x04, b);
export const utf8 = (s: string): Uint8Array => tlv(0x0c, new TextEncoder().encode(s));
/** BIT STRING with no unused bits. */
export const bitString = (b: Uint8Array): Uint8Array => tlv(0x03, cat([new Uint8Array([0]), b]));

/** INTEGER from unsigned big-endian bytes (a 0x00 is prepended when the top bit is set, X.690 §8.3). */
export function uintBytes(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const body = b.subarray(i);
  return tlv(0x02, body[0] & 0x80 ? cat([new Uint8Array([0]), body]) : body);
}
export const int = (n: number): Uint8Array => uintBytes(Uint8Array.of((n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255));

/** OBJECT IDENTIFIER from dotted text (X.690 §8.19). */
export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split(".").map(Number);
  const out: number[] = [arcs[0] * 40 + arcs[1]];
  for (const a of arcs.slice(2)) {
    const chunk: number[] = [];
    let v = a;
    do {
      chunk.unshift(v & 0x7f);
      v = Math.floor(v / 128);
    } while (v > 0);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i] |= 0x80;
    out.push(...chunk);
  }
  return tlv(0x06, Uint8Array.from(out));
}

/** UTCTime for years 1950–2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5). */
export function time(d: Date): Uint8Array {
  const p = (n: number) => String(n).padStart(2, "0");
  const y = d.getUTCFullYear();
  const rest = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
  return y >= 1950 && y < 2050 ? tlv(0x17, ascii(p(y % 100) + rest)) : tlv(0x18, ascii(String(y) + rest));
}

export { cat as concatDer };
