/**
 * Packet number recovery (RFC 9000 §17.1, Appendix A.3): a packet carries only the low 1–4 bytes of its number;
 * the full number is the one closest to the largest number received so far in the same packet number space + 1.
 */

/** `largest` is the largest packet number seen in the space, or -1 for none yet. */
export function decodePacketNumber(largest: number, truncated: number, pnLength: number): number {
  const expected = largest + 1;
  const win = 2 ** (pnLength * 8);
  const hwin = win / 2;
  const mask = win - 1;
  // expected - (expected mod win), i.e. expected with its low pnLength bytes cleared (numbers reach 2^62: no bit ops).
  const candidate = expected - (expected % win) + (truncated & mask);
  if (candidate <= expected - hwin && candidate < 2 ** 62 - win) return candidate + win;
  if (candidate > expected + hwin && candidate >= win) return candidate - win;
  return candidate;
}
