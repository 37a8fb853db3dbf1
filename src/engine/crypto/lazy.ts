/**
 * The @noble libraries that are costly to load, loaded on first use only: @noble/ciphers builds its AES tables when
 * loaded (~8 ms) and the ciphers run on node:crypto (noble is the fallback and the tests' reference);
 * @noble/post-quantum takes ~15 ms, so runs without a hybrid group never pay for it.
 */
import type * as NobleAes from "@noble/ciphers/aes.js";
import type * as NobleChacha from "@noble/ciphers/chacha.js";
import type * as NobleMlKem from "@noble/post-quantum/ml-kem.js";

let aesLib: typeof NobleAes | undefined;
let chachaLib: typeof NobleChacha | undefined;
let mlKemLib: typeof NobleMlKem | undefined;

// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start-up (see above)
export const nobleAes = (): typeof NobleAes => (aesLib ??= require("@noble/ciphers/aes.js") as typeof NobleAes);
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start-up (see above)
export const nobleChacha = (): typeof NobleChacha => (chachaLib ??= require("@noble/ciphers/chacha.js") as typeof NobleChacha);
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start-up (see above)
export const nobleMlKem = (): typeof NobleMlKem => (mlKemLib ??= require("@noble/post-quantum/ml-kem.js") as typeof NobleMlKem);

/** A node Buffer viewed as a Uint8Array (no copy). */
export const u8 = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.length);
