/**
 * QUIC packet headers read without keys (RFC 9000 §17; v2's packet types, RFC 9369 §3.2; the invariants every
 * version shares, RFC 8999 §5). A datagram may hold several coalesced packets (RFC 9000 §12.2): every long header
 * but Retry and Version Negotiation carries a Length that ends it; a short header packet takes the rest.
 */
import { QUIC_V2, QUIC_VERSION_NEGOTIATION } from "../../tls/registry/quicVersions";
import { readVarintAt } from "../../tls/quic/varint";

export type QuicPacketType = "Initial" | "0-RTT" | "Handshake" | "Retry" | "VersionNegotiation" | "1-RTT";

/** RFC 9000 §17.2: connection IDs are at most 20 bytes in QUIC v1 and v2. */
export const MAX_CID_LENGTH = 20;

export interface QuicHeader {
  type: QuicPacketType;
  /** Long header version (0 for Version Negotiation); null for a short header. */
  version: number | null;
  /** Bounds of the whole packet in the datagram's buffer. */
  start: number;
  end: number;
  dcidStart: number;
  dcidLength: number;
  /** -1 for a short header. */
  scidStart: number;
  scidLength: number;
  /** Initial: the token; Retry: the retry token (up to the integrity tag). */
  tokenStart: number;
  tokenLength: number;
  /** Offset of the (protected) packet number; -1 for Retry and Version Negotiation. */
  pnOffset: number;
  /** Version Negotiation: the supported versions at buf[start..end). */
  versionsStart: number;
}

const LONG_TYPES_V1: QuicPacketType[] = ["Initial", "0-RTT", "Handshake", "Retry"];
const LONG_TYPES_V2: QuicPacketType[] = ["Retry", "Initial", "0-RTT", "Handshake"];

/** The long packet type of a first byte under `version` (v1's layout for every version but v2). */
export function longPacketType(first: number, version: number): QuicPacketType {
  const bits = (first >> 4) & 0x03;
  return version === QUIC_V2 ? LONG_TYPES_V2[bits] : LONG_TYPES_V1[bits];
}

const vi = { value: 0, length: 0 };

/**
 * The long header packet at `buf[start..end)`; a string saying what is wrong when it does not parse. The header
 * protection is still on (first byte's low bits and the packet number are masked).
 */
export function parseLongHeader(buf: Uint8Array, start: number, end: number): QuicHeader | string {
  if (end - start < 7) return `long header truncated: ${end - start} bytes`;
  const first = buf[start];
  const version = ((buf[start + 1] << 24) | (buf[start + 2] << 16) | (buf[start + 3] << 8) | buf[start + 4]) >>> 0;
  let p = start + 5;
  const dcidLength = buf[p++];
  // RFC 8999 §5.1 allows up to 255 bytes; versions 1 and 2 (and Version Negotiation answering them) up to 20.
  if (dcidLength > MAX_CID_LENGTH && version !== QUIC_VERSION_NEGOTIATION) return `Destination Connection ID length ${dcidLength} exceeds ${MAX_CID_LENGTH}`;
  if (p + dcidLength + 1 > end) return "long header truncated inside the Destination Connection ID";
  const dcidStart = p;
  p += dcidLength;
  const scidLength = buf[p++];
  if (scidLength > MAX_CID_LENGTH && version !== QUIC_VERSION_NEGOTIATION) return `Source Connection ID length ${scidLength} exceeds ${MAX_CID_LENGTH}`;
  if (p + scidLength > end) return "long header truncated inside the Source Connection ID";
  const scidStart = p;
  p += scidLength;
  const h: QuicHeader = {
    type: "VersionNegotiation",
    version,
    start,
    end,
    dcidStart,
    dcidLength,
    scidStart,
    scidLength,
    tokenStart: p,
    tokenLength: 0,
    pnOffset: -1,
    versionsStart: p,
  };
  if (version === QUIC_VERSION_NEGOTIATION) {
    // RFC 9000 §17.2.1: a list of 32-bit versions fills the rest of the datagram.
    if ((end - p) % 4 !== 0) return `Version Negotiation: ${end - p} bytes is not a whole number of versions`;
    return h;
  }
  h.type = longPacketType(first, version);
  if (h.type === "Retry") {
    // RFC 9000 §17.2.5: Retry Token, then the 16-byte Retry Integrity Tag, to the end of the datagram.
    if (end - p < 16) return `Retry packet truncated: ${end - p} bytes after the connection IDs, needs the 16-byte integrity tag`;
    h.tokenLength = end - p - 16;
    return h;
  }
  if (h.type === "Initial") {
    if (!readVarintAt(buf, p, end, vi)) return "Initial packet truncated inside the Token Length";
    p += vi.length;
    if (vi.value > end - p) return `Initial token length ${vi.value} exceeds the ${end - p} bytes left`;
    h.tokenStart = p;
    h.tokenLength = vi.value;
    p += vi.value;
  }
  if (!readVarintAt(buf, p, end, vi)) return `${h.type} packet truncated inside its Length`;
  p += vi.length;
  if (vi.value > end - p) return `${h.type} packet Length ${vi.value} exceeds the ${end - p} bytes left in the datagram`;
  h.pnOffset = p;
  h.end = p + vi.value;
  return h;
}

/** A short header (1-RTT) packet (RFC 9000 §17.3.1), its DCID length known from the connection. */
export function parseShortHeader(buf: Uint8Array, start: number, end: number, dcidLength: number): QuicHeader | string {
  if (end - start < 1 + dcidLength) return `short header truncated: ${end - start} bytes, the Destination Connection ID needs ${dcidLength}`;
  return {
    type: "1-RTT",
    version: null,
    start,
    end,
    dcidStart: start + 1,
    dcidLength,
    scidStart: -1,
    scidLength: 0,
    tokenStart: -1,
    tokenLength: 0,
    pnOffset: start + 1 + dcidLength,
    versionsStart: -1,
  };
}

/** RFC 9000 §17.2: the Header Form bit. */
export function isLongHeader(first: number): boolean {
  return (first & 0x80) !== 0;
}
