/**
 * What every message decoder shares: the output being filled in (fields for `inspect --json`, details for the
 * engine) and the connection context. Decoders fill `fields`/`details` as they read, so a message that stops
 * early still shows everything read before the problem.
 */
import type { Reader } from "../reader";
import { ProtocolVersion } from "../registry";
import type { HandshakeContext, HandshakeDetails } from "./types";

export interface MessageState {
  ctx: HandshakeContext;
  /** Message name; ServerHello decoding may change it to `HelloRetryRequest`. */
  name: string;
  fields: Record<string, unknown>;
  details: HandshakeDetails;
  /** Where this message's form is defined, when the decoder knows better than the type alone (TLS 1.2 vs 1.3). */
  rfc?: string;
  /** The full message (header included): offsets in the Reader are offsets in `raw`. */
  raw: Uint8Array;
}

/** Decodes one message body: the Reader is bounded to the body and the decoder must consume all of it. */
export type BodyDecoder = (r: Reader, m: MessageState) => void;

/** DTLS versions count down from 0xfeff (RFC 9147 §5.3); none of them is a TLS 1.3 form. */
const FIRST_DTLS_VERSION = 0xfe00;

/** RFC 8446 §4.2.1: TLS 1.3 is 0x0304; anything at or above is decoded in the TLS 1.3 forms. */
export function isTls13(version: number | null | undefined): boolean {
  return version !== null && version !== undefined && version >= ProtocolVersion.TLSv1_3 && version < FIRST_DTLS_VERSION;
}

/** Append to an array-valued field, creating it on first use. */
export function pushField(fields: Record<string, unknown>, key: string, value: unknown): void {
  const cur = fields[key];
  if (Array.isArray(cur)) cur.push(value);
  else fields[key] = [value];
}

/** Text of a name-like opaque (SNI host name, ALPN protocol): bytes as Latin-1 characters, never throwing. */
export function latin1(bytes: Uint8Array): string {
  // One call per 4 KiB builds a flat string (appending a character at a time builds a rope of one-character
  // pieces, which the summary of a large capture then pays for in garbage collection).
  let s = "";
  for (let i = 0; i < bytes.length; i += 4096) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 4096) as unknown as number[]);
  return s;
}

/** `"text"` with control characters escaped, for display. */
export function quoted(text: string): string {
  return JSON.stringify(text);
}

export function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

/**
 * A display function for `Reader.list`/`vector`, whose option is typed for opaque bytes but receives whatever the
 * callback returned.
 */
export function listDisplay<T>(fn: (value: T) => string): (value: Uint8Array) => string {
  return fn as unknown as (value: Uint8Array) => string;
}
