/**
 * TLS record layer framing (RFC 5246 §6.2, RFC 8446 §5.1): a 5-byte header — ContentType type, ProtocolVersion
 * legacy_record_version, uint16 length — followed by `length` bytes of fragment.
 */
import { ContentType } from "./registry/contentTypes";

export const RECORD_HEADER_LENGTH = 5;

/** RFC 8446 §5.1: plaintext fragments are at most 2^14 bytes. */
export const MAX_PLAINTEXT_LENGTH = 1 << 14;
/** RFC 8446 §5.2: TLSCiphertext.length must not exceed 2^14 + 256. */
export const MAX_CIPHERTEXT_LENGTH_13 = (1 << 14) + 256;
/** RFC 5246 §6.2.3: TLSCiphertext.length must not exceed 2^14 + 2048 (the largest any record may claim). */
export const MAX_RECORD_LENGTH = (1 << 14) + 2048;

/** Writes one record (the 5-byte header, then `fragment`) into `out` at `offset`; returns the offset after it. */
export function writeRecord(out: Uint8Array, offset: number, type: number, version: number, fragment: Uint8Array): number {
  out[offset] = type;
  out[offset + 1] = version >> 8;
  out[offset + 2] = version & 0xff;
  out[offset + 3] = fragment.length >> 8;
  out[offset + 4] = fragment.length & 0xff;
  out.set(fragment, offset + RECORD_HEADER_LENGTH);
  return offset + RECORD_HEADER_LENGTH + fragment.length;
}

/** One record as a new array. */
export function encodeRecord(type: number, version: number, fragment: Uint8Array): Uint8Array {
  const out = new Uint8Array(RECORD_HEADER_LENGTH + fragment.length);
  writeRecord(out, 0, type, version, fragment);
  return out;
}

/** The record layer's content types, from their registry (re-exported for the record layer's callers). */
export { ContentType };

/**
 * Whether three bytes can start a TLS record header: a content type from the registry's assigned range and a
 * version with major 3 (SSL 3.0 … TLS 1.3 all put 3 there). Used to tell TLS streams from other TCP traffic
 * cheaply, before anything is buffered.
 */
export function isPlausibleRecordHeader(type: number, major: number, minor: number): boolean {
  return type >= ContentType.change_cipher_spec && type <= ContentType.ack && major === 3 && minor <= 4;
}

export interface RecordHeader {
  type: number;
  version: number;
  length: number;
}
