/**
 * Big-endian byte strings as bigints and back, and the modular arithmetic that finite-field DH (ffdh.ts) and RSA
 * (rsa.ts) share.
 */

export function bytesToBig(b: Uint8Array): bigint {
  return b.length ? BigInt("0x" + Buffer.from(b.buffer, b.byteOffset, b.length).toString("hex")) : 0n;
}

/** `v` as big-endian bytes, left-padded to `length` when given; throws when it does not fit. */
export function bigToBytes(v: bigint, length?: number): Uint8Array {
  let h = v.toString(16);
  if (h.length % 2) h = "0" + h;
  const raw = Uint8Array.from(Buffer.from(h, "hex"));
  if (length === undefined || raw.length === length) return raw;
  if (raw.length > length) throw new RangeError("integer too large");
  const out = new Uint8Array(length);
  out.set(raw, length - raw.length);
  return out;
}

/** base^exp mod m by square-and-multiply. */
export function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  base %= mod;
  while (exp > 0n) {
    if (exp & 1n) result = (result * base) % mod;
    base = (base * base) % mod;
    exp >>= 1n;
  }
  return result;
}

export function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** a^-1 mod m (extended Euclid); a and m coprime. */
export function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}
