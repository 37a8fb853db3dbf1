/**
 * The contract between handshake-message decoders and everything above them.
 * (Decoders live beside this file; `decodeHandshake` in ./decode.ts dispatches on the HandshakeType.)
 */
import type { FieldNode } from "../field";
import type { DecodeError } from "../reader";

import type { Direction } from "../direction";
export type { Direction };

/** What a decoder needs to know about the connection so far (several messages have version-dependent forms). */
export interface HandshakeContext {
  dir: Direction;
  /** Negotiated version once ServerHello was seen (supported_versions if present, else legacy_version); else null. */
  version: number | null;
  /** Negotiated cipher suite once ServerHello was seen; else null. */
  cipherSuite: number | null;
}

/** One decoded handshake message. */
export interface DecodedHandshake {
  /** HandshakeType from the header (a HelloRetryRequest keeps 2). */
  type: number;
  /** RFC 8446 name; `HelloRetryRequest` for a ServerHello carrying the special random; `unknown` otherwise. */
  name: string;
  /** The header's 24-bit length. */
  length: number;
  /** The whole message including its 4-byte header (the transcript hash needs exact bytes). */
  raw: Uint8Array;
  /**
   * The message's fields under the names of shared/spec/inspect-json.md (plus the oracle's extra names listed
   * there); numbers are wire values, bytes lowercase hex. These go into `inspect --json` verbatim.
   */
  fields: Record<string, unknown>;
  /** Raw parsed values the analysis and engine need (not serialised). */
  details: HandshakeDetails;
  /** Field tree (root covers `raw`, offsets relative to `raw`); present when decoded with annotate = true. */
  tree?: FieldNode;
  /** Set when decoding stopped early; `fields`, `details` and `tree` hold what was read before. */
  error?: DecodeError;
}

export interface KeyShareEntry {
  group: number;
  keyExchange: Uint8Array;
}

export interface Extension {
  type: number;
  /** Body bytes (a view into `raw`). */
  data: Uint8Array;
}

/** Values the analysis/engine layers need, per message type. Every property is optional: decoding may stop early. */
export interface HandshakeDetails {
  random?: Uint8Array;
  sessionId?: Uint8Array;
  cipherSuites?: number[];
  cipherSuite?: number;
  extensions?: Extension[];
  /** ClientHello key_share entries, or the ServerHello's single entry. */
  keyShares?: KeyShareEntry[];
  /** HelloRetryRequest's selected_group. */
  selectedGroup?: number;
  /** supported_versions: the ClientHello's list or ServerHello's selected version. */
  supportedVersions?: number[];
  selectedVersion?: number;
  sni?: string;
  alpn?: string[];
  /** ClientHello pre_shared_key: identities and binders; ServerHello: selected identity. */
  pskIdentities?: Uint8Array[];
  pskBinders?: Uint8Array[];
  /** Offset in `raw` where the ClientHello's binders list starts (the truncated transcript ends there). */
  pskBindersOffset?: number;
  selectedIdentity?: number;
  extendedMasterSecret?: boolean;
  encryptThenMac?: boolean;
  /** Certificate: the DER of each entry, leaf first. */
  certificates?: Uint8Array[];
  certificateRequestContext?: Uint8Array;
  /** ServerKeyExchange (ECDHE): curve type, group and public point; (DHE): p, g, Ys. */
  curveType?: number;
  namedGroup?: number;
  publicKey?: Uint8Array;
  dhP?: Uint8Array;
  dhG?: Uint8Array;
  dhYs?: Uint8Array;
  /** ServerKeyExchange: the exact signed params bytes (a view into `raw`). */
  signedParams?: Uint8Array;
  /** ServerKeyExchange / CertificateVerify. */
  signatureAlgorithm?: number;
  signature?: Uint8Array;
  /** ClientKeyExchange: the exchange value (ECDH point, DH Yc or RSA-encrypted premaster), without its length. */
  exchange?: Uint8Array;
  exchangeKind?: "ecdh" | "rsa" | "dh";
  /** Finished. */
  verifyData?: Uint8Array;
  /** NewSessionTicket. */
  ticket?: Uint8Array;
  ticketLifetime?: number;
  ticketAgeAdd?: number;
  ticketNonce?: Uint8Array;
  /** KeyUpdate. */
  requestUpdate?: number;
}
