/**
 * The Retry packet's integrity tag (RFC 9001 §5.8, RFC 9369 §3.3.3): AES-128-GCM with a fixed key and nonce over
 * nothing, the associated data being the Retry pseudo-packet — the client's original Destination Connection ID
 * (length-prefixed) followed by the Retry packet without its tag. It proves the Retry answers that Initial; it
 * is no secret.
 */
import { aeadSeal } from "../crypto/aead";
import { constantTimeEqual } from "../crypto/hash";
import { QUIC_V2 } from "../../tls/registry/quicVersions";

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, "hex"));
const RETRY_V1 = { key: hex("be0c690b9f66575a1d766b54e368c84e"), nonce: hex("461599d35d632bf2239825bb") };
const RETRY_V2 = { key: hex("8fb4b01b56ac48e260fbcbcead7ccc92"), nonce: hex("d86969bc2d7c6d9990efb04a") };

export const RETRY_TAG_LENGTH = 16;

/** The tag for a Retry whose bytes before the tag are `retryWithoutTag`, answering an Initial sent to `odcid`. */
export function retryIntegrityTag(version: number, odcid: Uint8Array, retryWithoutTag: Uint8Array): Uint8Array {
  const k = version === QUIC_V2 ? RETRY_V2 : RETRY_V1;
  const pseudo = new Uint8Array(1 + odcid.length + retryWithoutTag.length);
  pseudo[0] = odcid.length;
  pseudo.set(odcid, 1);
  pseudo.set(retryWithoutTag, 1 + odcid.length);
  return aeadSeal("AES_128_GCM", k.key, k.nonce, pseudo, new Uint8Array(0));
}

/** Whether the last 16 bytes of `retry` are its integrity tag for `odcid`. */
export function verifyRetryIntegrity(version: number, odcid: Uint8Array, retry: Uint8Array): boolean {
  if (retry.length < RETRY_TAG_LENGTH) return false;
  const split = retry.length - RETRY_TAG_LENGTH;
  return constantTimeEqual(retryIntegrityTag(version, odcid, retry.subarray(0, split)), retry.subarray(split));
}
