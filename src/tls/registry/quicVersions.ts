/**
 * IANA "QUIC Versions" registry (RFC 9000 §22.2, RFC 9369 §7): the versions this project decodes, and the reserved
 * versions of the form 0x?a?a?a?a that exercise version negotiation (RFC 9000 §15).
 */
import { OpenEnum } from "./openEnum";

export const quicVersions = new OpenEnum("QUIC Versions", 4, {
  /** The version field of a Version Negotiation packet (RFC 9000 §17.2.1): not a version. */
  version_negotiation: { value: 0x00000000, rfc: "RFC 9000", name: "Version Negotiation" },
  quic_v1: { value: 0x00000001, rfc: "RFC 9000", name: "QUIC v1" },
  quic_v2: { value: 0x6b3343cf, rfc: "RFC 9369", name: "QUIC v2" },
});
export const QuicVersion = quicVersions.codes;

/** QUIC version 1 (RFC 9000). */
export const QUIC_V1 = QuicVersion.quic_v1;
/** QUIC version 2 (RFC 9369 §3.1). */
export const QUIC_V2 = QuicVersion.quic_v2;
/** The version field of a Version Negotiation packet (RFC 9000 §17.2.1). */
export const QUIC_VERSION_NEGOTIATION = QuicVersion.version_negotiation;

/** RFC 9000 §15: versions whose every byte's low nibble is 0xa are reserved for greasing version negotiation. */
export function isReservedQuicVersion(v: number): boolean {
  return (v & 0x0f0f0f0f) === 0x0a0a0a0a;
}

/** The IETF drafts' versions 0xff0000xx (RFC 9000 §15): recognised as QUIC, not decrypted. */
export function isDraftQuicVersion(v: number): boolean {
  return v >>> 8 === 0xff0000;
}

/** The versions whose Initial keys and packet layout this project knows (RFC 9001 §5.2, RFC 9369 §3.3). */
export function isKnownQuicVersion(v: number): boolean {
  return v === QUIC_V1 || v === QUIC_V2;
}

export function quicVersionName(v: number): string {
  if (v !== QUIC_VERSION_NEGOTIATION && quicVersions.has(v)) return quicVersions.name(v);
  if (isReservedQuicVersion(v)) return "reserved (version negotiation)";
  if (isDraftQuicVersion(v)) return `draft-${v & 0xff}`;
  return "unknown";
}
