/**
 * The engine's step list: what a simulated or live handshake records, in order. Every message, every secret
 * (with its inputs and who knows it at that moment) and every verification is one step, so views can replay a
 * handshake one step at a time.
 */
import type { FieldNode } from "../tls/field";
import type { Direction } from "../tls/handshake/types";
import type { KeyPhase } from "../model";

export type Actor = "client" | "server";

export interface MessageStep {
  kind: "message";
  index: number;
  actor: Actor;
  dir: Direction;
  /** Handshake message name (`ClientHello`), or `ChangeCipherSpec`, `Alert`, `ApplicationData`. */
  title: string;
  contentType: number;
  handshakeType?: number;
  /** The message's exact bytes (handshake header included). */
  raw: Uint8Array;
  tree?: FieldNode;
  /** The record(s) as sent on the wire (protected where keys were in use). */
  records: Uint8Array[];
  encrypted: boolean;
  keyPhase: KeyPhase;
  note?: string;
}

export interface SecretStep {
  kind: "secret";
  index: number;
  actor: Actor;
  /** RFC name: `early_secret`, `client_handshake_traffic_secret`, `master_secret`, `client_write_key`... */
  title: string;
  /** Lowercase hex. */
  value: string;
  /** Names of the values it was derived from, e.g. [`handshake_secret`, `transcript hash (ClientHello..ServerHello)`]. */
  inputs: string[];
  /** How: `HKDF-Extract`, `Derive-Secret(., "c hs traffic", ...)`, `PRF(pre_master_secret, "master secret", ...)`. */
  derivation: string;
  /** Who knows this value at this step. */
  knownBy: Actor[];
  note?: string;
}

export interface CheckStep {
  kind: "check";
  index: number;
  actor: Actor;
  /** What was verified: `server Finished verify_data`, `certificate signature (leaf by intermediate)`... */
  title: string;
  ok: boolean;
  detail: string;
  note?: string;
}

export type Step = MessageStep | SecretStep | CheckStep;

export interface SimulationOptions {
  version: "1.2" | "1.3";
  /** TLS 1.2 key exchange; TLS 1.3 is always (EC)DHE (optionally with PSK). */
  keyExchange?: "ECDHE" | "DHE" | "RSA";
  /** Named group code point (x25519 29, secp256r1 23, secp384r1 24, ffdhe2048 256). */
  group?: number;
  cipherSuite?: number;
  signatureScheme?: number;
  /** TLS 1.3: make the client offer a key share the server does not accept. */
  helloRetry?: boolean;
  /** Resume a session from a first full handshake (TLS 1.2 ticket or id; TLS 1.3 PSK). */
  resumption?: boolean;
  clientAuth?: boolean;
  /** Deterministic randomness: every byte reproducible from the seed. */
  seed?: string;
  serverName?: string;
  /** TLS 1.2 resumption by ticket (RFC 5077, default) or by session id (RFC 5246 §7.3). */
  resumeWith?: "ticket" | "session-id";
  /** TLS 1.2: offer extended_master_secret / encrypt_then_mac (default true). */
  extendedMasterSecret?: boolean;
  encryptThenMac?: boolean;
  /** TLS 1.3: after the handshake the client sends KeyUpdate(update_requested) before its request. */
  keyUpdate?: boolean;
  /** Flip byte `offset` (counted across the step's records) of the records of message step `step` in transit. */
  tamper?: { step: number; offset: number };
}
