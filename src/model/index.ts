/**
 * The analysis model: what every view (CLI, tree, panel, custom editor) reads about a capture or transcript.
 * Field names follow shared/spec/inspect-json.md (schema 1) so the JSON output is this model, serialised.
 */
import type { FieldNode } from "../tls/field";
import type { Direction } from "../tls/direction";

export type { Direction };

export interface Endpoint {
  ip: string;
  port: number;
}

export type InputFormat = "pcap" | "pcapng" | "transcript" | "openssl-msg" | "live" | "simulated";

/** Which keys protected a record or message. */
export type KeyPhase = "plaintext" | "early" | "handshake" | "application";

export interface RecordInfo {
  dir: Direction;
  /** Outer content type (23 for protected TLS 1.3 records). */
  type: number;
  version: number;
  /** Fragment length from the record header. */
  length: number;
  /** 1-based packet number carrying the record's last byte. */
  frame: number;
  encrypted: boolean;
  /** Real content type of a decrypted TLS 1.3 record. */
  innerType?: number;
  keyPhase?: KeyPhase;
  /** Why a protected record could not be decrypted (wrong key, bad tag, no key). */
  decryptError?: string;
}

export interface MessageInfo {
  dir: Direction;
  /** QUIC: the packet number space whose CRYPTO stream carried the message (RFC 9000 §12.3). */
  space?: QuicSpace;
  /** QUIC: index into the connection's `packets` of the packet that carried the message's last CRYPTO byte. */
  packet?: number;
  type: number;
  name: string;
  length: number;
  frame: number;
  encrypted: boolean;
  /** Spec `fields` (absent in summary mode). */
  fields?: Record<string, unknown>;
  /** The same `fields` as JSON text (detail "json", see tlsConnection.ts Detail). */
  fieldsJson?: string;
  /** Index into the connection's `records` of the record that carried the message's first byte. */
  record?: number;
  keyPhase?: KeyPhase;
  /** Finished: recomputed from keys (true/false), null without keys. */
  verified?: boolean | null;
  /** The message's exact bytes, header included (kept when `keepBytes`). */
  raw?: Uint8Array;
  /** Field tree over `raw` (kept when `keepTrees`). */
  tree?: FieldNode;
  /**
   * The field tree as the readable text's lines (UTF-8), instead of `tree`: made when the message is decoded when
   * the inspection is given `treeText` (see TlsConnectionOptions), so the tree dies young.
   */
  treeText?: Uint8Array;
  /** A decoding error inside this message. */
  error?: string;
}

export interface AlertInfo {
  dir: Direction;
  level: number | null;
  description: number | null;
  frame: number;
  encrypted: boolean;
}

export interface LocatedError {
  frame?: number;
  /** Byte offset in the file (capture-level errors) or in the stream (connection errors). */
  offset?: number;
  message: string;
}

/** A secret the decryptor used or derived, for the key-schedule view. Values never leave the process by themselves. */
export interface SecretInfo {
  /** NSS key log label or derivation name: CLIENT_RANDOM, CLIENT_HANDSHAKE_TRAFFIC_SECRET, master_secret, ... */
  label: string;
  /** Lowercase hex. */
  value: string;
  /** Where it came from: the key log, a DSB, an RSA key, or derived. */
  source: "keylog" | "dsb" | "rsa-key" | "derived";
}

/** The transport a connection's TLS ran over. */
export type Transport = "tcp" | "quic";

/** QUIC's packet number spaces (RFC 9000 §12.3): each has its own keys and its own CRYPTO stream. */
export type QuicSpace = "initial" | "handshake" | "application";

export type QuicPacketType = "Initial" | "0-RTT" | "Handshake" | "Retry" | "VersionNegotiation" | "1-RTT";

/** What a QUIC connection is, beside its TLS handshake (shared/spec/inspect-json.md, "QUIC connections"). */
export interface QuicInfo {
  /** The version of the server's first long header (the one in use), else the client's. */
  version: number | null;
  /** The client's Source Connection ID and the server's (the one it chose in its first Initial), hex. */
  clientCid: string;
  serverCid: string;
  retry: boolean;
  versionNegotiation: boolean;
  /** The Destination Connection ID of the client's first Initial (its Initial keys come from it), hex. */
  originalDcid?: string;
}

/** One frame of a decrypted QUIC packet. */
export interface QuicFrameModel {
  type: number;
  /** RFC 9000 §19 name (`ACK`, `STREAM`, `CRYPTO`...). */
  name: string;
  /** Byte range within the packet's plaintext payload. */
  start: number;
  end: number;
  fields: Record<string, unknown>;
}

/** One QUIC packet (a datagram may hold several, coalesced). */
export interface QuicPacketInfo {
  dir: Direction;
  frame: number;
  type: QuicPacketType;
  /** Long header version; null for 1-RTT. */
  version: number | null;
  dcid: string;
  scid: string | null;
  /** Full packet number (RFC 9000 §17.1), null where header protection could not be removed. */
  packetNumber: number | null;
  /** Bytes of this packet within its datagram. */
  length: number;
  decrypted: boolean;
  /** Frame type names in order (decrypted packets only). */
  frames: string[];
  /** Offset of the packet within its UDP payload (coalesced packets follow each other). */
  datagramOffset: number;
  /** Which keys protect it: initial (derived from the client's DCID, no secret), early (0-RTT), handshake, application. */
  keys?: "initial" | "early" | "handshake" | "application";
  /** 1-RTT: the Key Phase bit (RFC 9001 §6) and the key generation it selected (0, 1, ...). */
  keyPhase?: number;
  keyGeneration?: number;
  /** Bytes of the header, packet number included (the AEAD's associated data). */
  headerLength?: number;
  /** Frames with their fields and ranges (detail `fields` and up). */
  frameDetails?: QuicFrameModel[];
  /** Initial: the token's length. Retry: the token's length and whether the integrity tag verified (RFC 9001 §5.8). */
  tokenLength?: number;
  retryIntegrity?: boolean;
  /** Version Negotiation: the versions the server lists. */
  supportedVersions?: number[];
  /** Why it was not decrypted (no keys, bad tag...), or what was wrong with its frames. */
  decryptError?: string;
  error?: string;
  /** Detail `full`: the packet as captured (protected) and, when decrypted, its plaintext payload. */
  raw?: Uint8Array;
  plaintext?: Uint8Array;
  /** Detail `full`, decrypted packets: the header with its protection removed (RFC 9001 §5.4), packet number included. */
  header?: Uint8Array;
}

/**
 * Plaintext before TLS on the same TCP stream (shared/spec/inspect-json.md, "Every connection"): a proxy request
 * (HTTP CONNECT, SOCKS) or a STARTTLS-style upgrade.
 */
export interface PreambleModel {
  /** http-connect | socks4 | socks5 | smtp | imap | pop3 | ftp | ldap | postgres */
  protocol: string;
  /** Proxies: the host and port asked for; null for STARTTLS. */
  target: string | null;
  /** Plaintext bytes before the first TLS record, per direction. */
  c2sBytes: number;
  s2cBytes: number;
}

export type DiagnosisSeverity = "error" | "warning" | "info";

/**
 * Why a handshake failed or traffic stayed encrypted (shared/spec/inspect-json.md, `diagnoses`): a stable code, a
 * one-sentence explanation in English and Korean, the evidence it rests on and the RFC section that says so.
 */
export interface Diagnosis {
  /** Stable, kebab-case (see src/inspect/diagnose/codes.ts). */
  code: string;
  severity: DiagnosisSeverity;
  message: string;
  messageKo: string;
  /** Evidence: frame numbers (1-based). */
  frames: number[];
  /** Evidence: paths into this connection's JSON document (`messages[1].fields.random`, `alerts[0]`). */
  fields: string[];
  rfc: string;
  action: string | null;
  /** The action in Korean (an addition beside the spec's keys). */
  actionKo: string | null;
  /** The note (media/notes id) that explains this family. */
  note: string;
}

export interface ConnectionModel {
  id: number;
  /** "tcp" for TLS over TCP, "quic" for TLS inside QUIC (absent: tcp, for models made before the field). */
  transport?: Transport;
  /** QUIC connections only. */
  quic?: QuicInfo;
  packets?: QuicPacketInfo[];
  /** What preceded TLS on the stream; absent or null when TLS started with the stream. */
  preamble?: PreambleModel | null;
  client: Endpoint;
  server: Endpoint;
  version: number | null;
  cipherSuite: number | null;
  sni: string | null;
  alpn: string | null;
  decrypted: boolean;
  /**
   * JA4 of the connection's first ClientHello (FoxIO's specification, src/tls/fingerprint/ja4.ts) and its raw,
   * unhashed form; null without a ClientHello decoded whole. Optional, so that a builder that has no ClientHello
   * yet need not say so: absent is written as null.
   */
  ja4?: string | null;
  ja4_r?: string | null;
  records: RecordInfo[];
  messages: MessageInfo[];
  alerts: AlertInfo[];
  errors: LocatedError[];
  /** Secrets known for this connection (empty without keys). */
  secrets?: SecretInfo[];
  /** Application data bytes seen each way (decrypted or not). */
  appDataBytes?: { c2s: number; s2c: number };
  firstFrame?: number;
  lastFrame?: number;
  /** Diagnoses (src/inspect/diagnose); absent is written as []. */
  diagnoses?: Diagnosis[];
  /** The connection's JSON object, already written by the thread that decoded it (see cli/pipelineInspect.ts). */
  json?: string;
}

export interface CaptureModel {
  schema: 1;
  input: { path: string; format: InputFormat; packets: number };
  connections: ConnectionModel[];
  errors: LocatedError[];
}
