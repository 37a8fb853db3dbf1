/** The decryptor, loaded when first needed (shared by the one-thread inspection and both halves of the two-thread one). */
import type * as Decrypt from "./decrypt";

/**
 * The decryptor and the engine's crypto behind it (whose curve tables take ~15 ms to set up) are loaded the first
 * time a key matches: a capture read without keys — and the CLI's decoding thread — never pays for them.
 */
let decrypt: typeof Decrypt | undefined;
export function createDecryptor(...args: Parameters<typeof Decrypt.createDecryptor>): ReturnType<typeof Decrypt.createDecryptor> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start-up (see above)
  decrypt ??= require("./decrypt") as typeof Decrypt;
  return decrypt.createDecryptor(...args);
}
