/**
 * JA4, the TLS client fingerprint of FoxIO's open specification (technical_details/JA4.md of FoxIO-LLC/ja4,
 * BSD-3-Clause), computed from a decoded ClientHello:
 *
 *   JA4   = a_b_c
 *   a     = transport (t, q) · version (2 chars) · SNI (d, i) · cipher count (2) · extension count (2) · ALPN (2)
 *   b     = first 12 hex digits of SHA-256 over the cipher suites, 4-digit hex, sorted, comma-separated
 *   c     = the same over the extensions, sorted, without server_name and ALPN, then `_` and the
 *           signature_algorithms in wire order (no `_` when there are none)
 *   JA4_r = a, then b and c unhashed
 *
 * GREASE values (RFC 8701 §2) are ignored everywhere: they change from one connection to the next by design,
 * and a fingerprint must not. Lists are sorted because a client may shuffle them: Chromium has permuted its
 * extension order on every connection since version 110 (so an ordered list, as JA3 hashed, would give a new
 * fingerprint per connection); sorting keeps what the client supports and drops the order it was sent in.
 *
 * Where FoxIO's two reference implementations (the Rust `ja4` and the Python `ja4.py`) read the specification
 * differently from its text, this file follows the text; test/fixtures/ja4/README.md lists the cases.
 */
import { createHash } from "node:crypto";
import type { DecodedHandshake } from "../handshake/types";
import { ExtensionType, isGrease16, ProtocolVersion } from "../registry";

/** The extensions JA4 reads: server_name (RFC 6066 §3), ALPN (RFC 7301 §3.1), supported_versions (RFC 8446 §4.2.1), signature_algorithms (RFC 8446 §4.2.3). */
export const {
  server_name: SERVER_NAME,
  application_layer_protocol_negotiation: APPLICATION_LAYER_PROTOCOL_NEGOTIATION,
  supported_versions: SUPPORTED_VERSIONS,
  signature_algorithms: SIGNATURE_ALGORITHMS,
} = ExtensionType;

/** The transport a ClientHello travelled on: TLS over TCP, QUIC (RFC 9001 §4.1.3) or DTLS. */
export type Ja4Transport = "tcp" | "quic" | "dtls";

const TRANSPORT_CODE: Record<Ja4Transport, string> = { tcp: "t", quic: "q", dtls: "d" };

/** The specification's version codes; anything else is "00". */
const VERSION_CODE: ReadonlyMap<number, string> = new Map([
  [ProtocolVersion.TLSv1_3, "13"],
  [ProtocolVersion.TLSv1_2, "12"],
  [ProtocolVersion.TLSv1_1, "11"],
  [ProtocolVersion.TLSv1_0, "10"],
  [ProtocolVersion.SSLv3, "s3"],
  [ProtocolVersion.SSLv2, "s2"],
  [ProtocolVersion.DTLSv1_0, "d1"],
  [ProtocolVersion.DTLSv1_2, "d2"],
  [ProtocolVersion.DTLSv1_3, "d3"],
]);

/** What JA4 reads from a ClientHello, in wire order with GREASE still in (the function drops it). */
export interface Ja4Input {
  transport: Ja4Transport;
  /** legacy_version (client_version in TLS 1.2). */
  legacyVersion: number;
  cipherSuites: readonly number[];
  /** Extension types in wire order. */
  extensions: readonly number[];
  /** supported_versions' list, or null when the extension is absent. */
  supportedVersions: readonly number[] | null;
  /** signature_algorithms (not signature_algorithms_cert), in wire order; empty when absent. */
  signatureAlgorithms: readonly number[];
  /** The bytes of the first protocol name of ALPN; null without the extension or without a name. */
  alpnFirst: Uint8Array | null;
}

/** One fingerprint and what each part was made of (the fields tree shows these). */
export interface Ja4Result {
  ja4: string;
  ja4_r: string;
  a: {
    text: string;
    transport: Ja4Transport;
    /** The version the code stands for, and where it was read. */
    version: { code: string; value: number; from: "supported_versions" | "legacy_version" };
    sni: "d" | "i";
    /** Counts without GREASE (capped at 99 in the text). */
    cipherCount: number;
    extensionCount: number;
    /** The two characters, and how they were chosen. */
    alpn: { code: string; from: "none" | "characters" | "hex"; value: Uint8Array | null };
  };
  b: { text: string; /** Sorted, comma-separated (the hash's input). */ list: string };
  c: { text: string; /** Sorted extensions without SNI and ALPN. */ extensions: string; /** Wire order. */ signatureAlgorithms: string };
}

const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const hex4 = (v: number): string => HEX2[v >> 8] + HEX2[v & 0xff];
const count2 = (n: number): string => (n > 99 ? "99" : n < 10 ? "0" + n : String(n));

/**
 * Hashes already computed, by their input: the clients of one capture send the same lists over and over (a
 * 97k-connection capture has a handful of distinct ones), and two SHA-256 runs would be most of JA4's cost.
 */
const hashes = new Map<string, string>();
const HASHES_KEPT = 4096;

/** The first 12 hex digits of SHA-256, or twelve zeros for an empty list (the specification's marker for "none"). */
function hash12(text: string): string {
  if (text === "") return "000000000000";
  let h = hashes.get(text);
  if (h === undefined) {
    h = createHash("sha256").update(text, "latin1").digest("hex").slice(0, 12);
    if (hashes.size >= HASHES_KEPT) hashes.clear();
    hashes.set(text, h);
  }
  return h;
}

/** Comma-separated 4-digit hex of the values that are not GREASE (nor in `drop`), sorted or in wire order. */
function hexList(values: readonly number[], sorted: boolean, drop?: (v: number) => boolean): { text: string; count: number } {
  const kept: number[] = [];
  for (const v of values) if (!isGrease16(v) && !drop?.(v)) kept.push(v);
  // Sorting the numbers sorts their fixed-width hex forms the same way.
  const list = sorted ? Uint16Array.from(kept).sort() : kept;
  let text = "";
  for (let i = 0; i < list.length; i++) text += (i ? "," : "") + hex4(list[i]);
  return { text, count: kept.length };
}

/** ASCII letters and digits: 0x30-0x39, 0x41-0x5A, 0x61-0x7A. */
function isAlphanumeric(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
}

/**
 * The ALPN code: first and last characters of the first protocol name (a one-character name gives that character
 * twice); when either is not an ASCII letter or digit, the first and last hex digits of the whole name instead.
 */
function alpnCode(name: Uint8Array | null): Ja4Result["a"]["alpn"] {
  if (name === null || name.length === 0) return { code: "00", from: "none", value: name };
  const first = name[0];
  const last = name[name.length - 1];
  if (isAlphanumeric(first) && isAlphanumeric(last)) return { code: String.fromCharCode(first, last), from: "characters", value: name };
  const hex = (b: number) => b.toString(16).padStart(2, "0");
  return { code: hex(first)[0] + hex(last)[1], from: "hex", value: name };
}

/** The version code: the highest non-GREASE supported_versions entry if the extension is there, else legacy_version. */
function versionOf(input: Ja4Input): Ja4Result["a"]["version"] {
  if (input.supportedVersions !== null) {
    let best = -1;
    for (const v of input.supportedVersions) if (!isGrease16(v) && v > best) best = v;
    // Only GREASE listed: no version to name.
    if (best < 0) return { code: "00", value: 0, from: "supported_versions" };
    return { code: VERSION_CODE.get(best) ?? "00", value: best, from: "supported_versions" };
  }
  return { code: VERSION_CODE.get(input.legacyVersion) ?? "00", value: input.legacyVersion, from: "legacy_version" };
}

export function ja4(input: Ja4Input): Ja4Result {
  const suites = hexList(input.cipherSuites, true);
  const extensionCount = hexList(input.extensions, false).count;
  const extensions = hexList(input.extensions, true, (v) => v === SERVER_NAME || v === APPLICATION_LAYER_PROTOCOL_NEGOTIATION);
  const sigalgs = hexList(input.signatureAlgorithms, false);
  const version = versionOf(input);
  const sni = input.extensions.includes(SERVER_NAME) ? "d" : "i";
  const alpn = alpnCode(input.alpnFirst);
  const aText = TRANSPORT_CODE[input.transport] + version.code + sni + count2(suites.count) + count2(extensionCount) + alpn.code;

  const cInput = sigalgs.text === "" ? extensions.text : `${extensions.text}_${sigalgs.text}`;
  // An empty extension list is "none" even when signature algorithms exist (they need an extension to travel in).
  const cHash = extensions.text === "" ? "000000000000" : hash12(cInput);
  const bHash = hash12(suites.text);
  return {
    ja4: `${aText}_${bHash}_${cHash}`,
    ja4_r: `${aText}_${suites.text}_${cInput}`,
    a: { text: aText, transport: input.transport, version, sni, cipherCount: suites.count, extensionCount, alpn },
    b: { text: bHash, list: suites.text },
    c: { text: cHash, extensions: extensions.text, signatureAlgorithms: sigalgs.text },
  };
}

const latin1Bytes = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0) & 0xff);

/**
 * JA4's input from a ClientHello the decoder read without an error (null otherwise: a fingerprint of half a
 * message would name a client that does not exist).
 */
export function ja4Input(hello: DecodedHandshake, transport: Ja4Transport): Ja4Input | null {
  if (hello.error) return null;
  const d = hello.details;
  const f = hello.fields;
  const legacyVersion = typeof f.legacyVersion === "number" ? f.legacyVersion : 0;
  const extensions = (d.extensions ?? []).map((e) => e.type);
  const sigalgs = Array.isArray(f.signatureAlgorithms) ? (f.signatureAlgorithms as number[]) : [];
  // The decoders keep ALPN names as Latin-1 strings: one character per byte, so the bytes come back exactly.
  const alpnFirst = extensions.includes(APPLICATION_LAYER_PROTOCOL_NEGOTIATION) && d.alpn?.length ? latin1Bytes(d.alpn[0]) : null;
  return {
    transport,
    legacyVersion,
    cipherSuites: d.cipherSuites ?? [],
    extensions,
    supportedVersions: extensions.includes(SUPPORTED_VERSIONS) ? (d.supportedVersions ?? []) : null,
    signatureAlgorithms: extensions.includes(SIGNATURE_ALGORITHMS) ? sigalgs : [],
    alpnFirst,
  };
}
