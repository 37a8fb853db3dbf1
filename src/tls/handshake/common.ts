/**
 * Field readers shared by several handshake messages: versions, randoms, session ids, cipher suites and the
 * digitally-signed element, each with its RFC citation and explanatory note.
 */
import { toHex, type Reader } from "../reader";
import { cipherSuites, ProtocolVersion, signatureSchemes, versionName } from "../registry";
import { hexInt } from "../reader";
import { isHelloRetryRandom } from "./hrr";
import { plural, type MessageState } from "./message";
import { bounds, vector } from "../shape";

/** A ProtocolVersion field, e.g. `TLS 1.2 (0x0303)`. */
export function readVersion(r: Reader, name: string, rfc?: string): number {
  return r.u16(name, { display: versionDisplay, rfc });
}

export function versionDisplay(v: number): string {
  return `${versionName(v)} (${hexInt(v, 2)})`;
}

/** RFC 8446 §4.1.2 / RFC 5246 §7.4.1.2: 32 bytes from a secure random generator (TLS 1.2: gmt_unix_time first). */
export function readRandom(r: Reader, rfc: string): Uint8Array {
  return r.bytes("random", 32, {
    rfc,
    note: "random-nonce",
    display: (b) => (isHelloRetryRandom(b) ? `${toHex(b)} (SHA-256("HelloRetryRequest"))` : toHex(b)),
  });
}

/**
 * The start both hellos share (RFC 5246 §7.4.1.2–3, RFC 8446 §4.1.2–3): version, random and session id, into the
 * message's fields (hex) and details (bytes). `names` are the version and session id fields' names for the version.
 */
export function readHelloStart(r: Reader, m: MessageState, rfc: string, names: { version: string; sessionId: string }): void {
  m.fields.legacyVersion = readVersion(r, names.version, rfc);
  const random = readRandom(r, rfc);
  m.details.random = random;
  m.fields.random = toHex(random);
  const sid = readSessionId(r, names.sessionId, rfc);
  m.details.sessionId = sid;
  m.fields.sessionId = toHex(sid);
}

/** opaque session_id<0..32> (called legacy_session_id[_echo] in TLS 1.3). */
export const SESSION_ID = vector(1, 0, 32);
/** The digitally-signed element's opaque signature<0..2^16-1> (RFC 5246 §4.7). */
export const SIGNATURE = vector(2);

export function readSessionId(r: Reader, name: string, rfc: string): Uint8Array {
  return r.opaque(name, SESSION_ID.width, {
    ...bounds(SESSION_ID),
    rfc,
    note: "session-id",
    display: (b) => (b.length ? `${toHex(b)} (${plural(b.length, "byte")})` : "(empty)"),
  });
}

export function readCipherSuite(r: Reader, name: string, rfc?: string): number {
  return r.u16(name, { display: (v) => cipherSuites.display(v), rfc, note: "cipher-suite" });
}

export function readSignatureScheme(r: Reader, name: string, rfc?: string): number {
  return r.u16(name, { display: (v) => signatureSchemes.display(v), rfc });
}

export interface Signed {
  algorithm: number | null;
  signature: Uint8Array;
}

/**
 * The digitally-signed element. TLS 1.2 (RFC 5246 §4.7) prefixes a SignatureAndHashAlgorithm; TLS 1.0/1.1
 * (RFC 4346 §4.7) do not — the algorithm follows from the certificate. `withAlgorithm` says which form.
 */
export function readSigned(r: Reader, withAlgorithm: boolean, rfc: string): Signed {
  const algorithm = withAlgorithm ? readSignatureScheme(r, "algorithm", rfc) : null;
  const signature = r.opaque("signature", SIGNATURE.width, { ...bounds(SIGNATURE), rfc, display: (b) => `${plural(b.length, "byte")}: ${toHex(b)}` });
  return { algorithm, signature };
}

/**
 * Whether the signed element carries an algorithm: known from the version when there is one, else sniffed from
 * the bytes left (`2 + 2 + len` with an algorithm, `2 + len` without).
 */
export function signedHasAlgorithm(version: number | null, buf: Uint8Array, pos: number, end: number): boolean {
  if (version !== null) return version >= ProtocolVersion.TLSv1_2;
  const left = end - pos;
  if (left >= 4 && 4 + ((buf[pos + 2] << 8) | buf[pos + 3]) === left) return true;
  if (left >= 2 && 2 + ((buf[pos] << 8) | buf[pos + 1]) === left) return false;
  return true;
}
