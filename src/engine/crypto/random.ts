/**
 * Randomness. Every function that needs random bytes takes an optional `Rng`, so the simulator can run from a seed
 * (`seededRng`) and reproduce every byte; without one, the OS CSPRNG is used.
 */
import * as nodeCrypto from "node:crypto";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { hmac as nobleHmac } from "@noble/hashes/hmac.js";

/** A source of random bytes: returns `n` fresh bytes. */
export type Rng = (n: number) => Uint8Array;

export function randomBytes(n: number, rng?: Rng): Uint8Array {
  if (rng) return rng(n);
  return new Uint8Array(nodeCrypto.randomBytes(n));
}

/** The OS CSPRNG as an `Rng`. */
export const osRng: Rng = (n) => randomBytes(n);

/**
 * A deterministic byte stream from a seed (for `--seed`): HMAC-SHA256(SHA-256(seed), counter) blocks. Not for
 * real secrets; its purpose is reproducible simulations.
 */
export function seededRng(seed: string): Rng {
  const key = nobleSha256(new TextEncoder().encode(seed));
  let counter = 0n;
  let pool = new Uint8Array(0);
  return (n: number) => {
    const out = new Uint8Array(n);
    let o = 0;
    while (o < n) {
      if (pool.length === 0) {
        const c = new Uint8Array(8);
        new DataView(c.buffer).setBigUint64(0, counter++);
        pool = nobleHmac(nobleSha256, key, c);
      }
      const take = Math.min(pool.length, n - o);
      out.set(pool.subarray(0, take), o);
      pool = pool.subarray(take);
      o += take;
    }
    return out;
  };
}
