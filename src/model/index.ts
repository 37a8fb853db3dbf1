/**
 * The analysis model: what every view (CLI, tree, panel, custom editor) reads about a capture or transcript.
 * Field names follow shared/spec/inspect-json.md (schema 1) so the JSON output is this model, serialised.
 */
import type { FieldNode } from "../tls/field";
import type { Direction } from "../tls/handshake/types";

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

export interface ConnectionModel {
  id: number;
  client: Endpoint;
  server: Endpoint;
  version: number | null;
  cipherSuite: number | null;
  sni: string | null;
  alpn: string | null;
  decrypted: boolean;
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
}

export interface CaptureModel {
  schema: 1;
  input: { path: string; format: InputFormat; packets: number };
  connections: ConnectionModel[];
  errors: LocatedError[];
}
