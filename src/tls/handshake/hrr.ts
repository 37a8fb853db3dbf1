/**
 * RFC 8446 §4.1.3: a HelloRetryRequest is a ServerHello whose random is SHA-256("HelloRetryRequest").
 */
export const HELLO_RETRY_REQUEST_RANDOM = Uint8Array.from([
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e,
  0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
]);

export function isHelloRetryRandom(random: Uint8Array): boolean {
  return random.length === 32 && isHelloRetryRandomAt(random, 0);
}

/** Whether the 32 bytes at `at` in `buf` are the HelloRetryRequest random (false if fewer remain). */
export function isHelloRetryRandomAt(buf: Uint8Array, at: number): boolean {
  if (buf.length - at < 32) return false;
  for (let i = 0; i < 32; i++) if (buf[at + i] !== HELLO_RETRY_REQUEST_RANDOM[i]) return false;
  return true;
}
