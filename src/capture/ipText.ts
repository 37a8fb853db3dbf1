/** IP addresses as text, built once per connection (never per packet). */

/** Dotted quad of an IPv4 address held as an unsigned 32-bit number. */
export function ipv4Text(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 0xff}.${(a >>> 8) & 0xff}.${a & 0xff}`;
}

/**
 * RFC 5952 §4 text of an IPv6 address held as four 32-bit words: lowercase hex, no leading zeros, the longest run
 * of two or more zero groups (the first one on a tie) replaced by "::".
 */
export function ipv6Text(w0: number, w1: number, w2: number, w3: number): string {
  const g = [w0 >>> 16, w0 & 0xffff, w1 >>> 16, w1 & 0xffff, w2 >>> 16, w2 & 0xffff, w3 >>> 16, w3 & 0xffff];
  let bestStart = -1;
  let bestLen = 1; // a single zero group is not compressed (§4.2.2)
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  // RFC 5952 §5: IPv4-mapped addresses keep the dotted quad.
  if (bestStart === 0 && bestLen === 5 && g[5] === 0xffff) return `::ffff:${ipv4Text(w3 >>> 0)}`;
  const hex = (from: number, to: number) =>
    g
      .slice(from, to)
      .map((x) => x.toString(16))
      .join(":");
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLen, 8)}`;
}

/** Text of an address stored in `buf` at `off` (4 or 16 bytes). */
export function ipText(buf: Uint8Array, off: number, len: 4 | 16): string {
  const w = (p: number) => ((buf[p] << 24) | (buf[p + 1] << 16) | (buf[p + 2] << 8) | buf[p + 3]) >>> 0;
  return len === 4 ? ipv4Text(w(off)) : ipv6Text(w(off), w(off + 4), w(off + 8), w(off + 12));
}
