/**
 * Extension encoders (RFC 8446 §4.2 and the RFCs each extension cites). Each returns `{ type, data }` with the
 * body only; `writeExtensions` writes the `extensions<..2^16-1>` block.
 */
import { ECPointFormat, ExtensionType, NameType } from "../registry";
import { Writer } from "../writer";

export interface ExtensionData {
  type: number;
  data: Uint8Array;
}

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);

function ext(type: number, fn?: (w: Writer) => void): ExtensionData {
  const w = new Writer(64);
  fn?.(w);
  return { type, data: w.finish() };
}

/** Writes `Extension extensions<0..2^16-1>` (RFC 8446 §4.2). */
export function writeExtensions(w: Writer, list: readonly ExtensionData[]): void {
  w.vector(2, () => {
    for (const e of list) w.u16(e.type).opaque(2, e.data);
  });
}

/** RFC 6066 §3: ServerNameList with one host_name entry. */
export function serverNameExt(host: string): ExtensionData {
  return ext(ExtensionType.server_name, (w) => w.vector(2, () => w.u8(NameType.host_name).opaque(2, ascii(host))));
}

/** RFC 6066 §3: the server's acknowledgement is an empty extension_data. */
export function serverNameAck(): ExtensionData {
  return ext(ExtensionType.server_name);
}

/** RFC 7301 §3.1: ProtocolNameList (a list of one on the server's side). */
export function alpnExt(protocols: readonly string[]): ExtensionData {
  return ext(ExtensionType.application_layer_protocol_negotiation, (w) => w.vector(2, () => protocols.forEach((p) => w.opaque(1, ascii(p)))));
}

/** RFC 8446 §4.2.7 / RFC 8422 §5.1.1. */
export function supportedGroupsExt(groups: readonly number[]): ExtensionData {
  return ext(ExtensionType.supported_groups, (w) => w.vector(2, () => groups.forEach((g) => w.u16(g))));
}

/** RFC 8446 §4.2.3. */
export function signatureAlgorithmsExt(schemes: readonly number[]): ExtensionData {
  return ext(ExtensionType.signature_algorithms, (w) => w.vector(2, () => schemes.forEach((s) => w.u16(s))));
}

export interface KeyShare {
  group: number;
  keyExchange: Uint8Array;
}

/** RFC 8446 §4.2.8: KeyShareClientHello. */
export function keyShareClientExt(shares: readonly KeyShare[]): ExtensionData {
  return ext(ExtensionType.key_share, (w) => w.vector(2, () => shares.forEach((s) => w.u16(s.group).opaque(2, s.keyExchange))));
}

/** RFC 8446 §4.2.8: KeyShareServerHello. */
export function keyShareServerExt(share: KeyShare): ExtensionData {
  return ext(ExtensionType.key_share, (w) => w.u16(share.group).opaque(2, share.keyExchange));
}

/** RFC 8446 §4.2.8: KeyShareHelloRetryRequest (the selected group only). */
export function keyShareHrrExt(group: number): ExtensionData {
  return ext(ExtensionType.key_share, (w) => w.u16(group));
}

/** RFC 8446 §4.2.1: the client's list. */
export function supportedVersionsClientExt(versions: readonly number[]): ExtensionData {
  return ext(ExtensionType.supported_versions, (w) => w.vector(1, () => versions.forEach((v) => w.u16(v))));
}

/** RFC 8446 §4.2.1: the server's selected version. */
export function supportedVersionsServerExt(version: number): ExtensionData {
  return ext(ExtensionType.supported_versions, (w) => w.u16(version));
}

/** RFC 8446 §4.2.9: psk_ke (0), psk_dhe_ke (1). */
export function pskKeyExchangeModesExt(modes: readonly number[]): ExtensionData {
  return ext(ExtensionType.psk_key_exchange_modes, (w) => w.vector(1, () => modes.forEach((m) => w.u8(m))));
}

export interface PskIdentity {
  identity: Uint8Array;
  obfuscatedTicketAge: number;
}

/**
 * RFC 8446 §4.2.11: OfferedPsks. Binders are written as given; a client first writes zero-filled binders of the
 * right length, hashes the truncated ClientHello, then patches them (see `patchBinders`).
 */
export function preSharedKeyClientExt(identities: readonly PskIdentity[], binders: readonly Uint8Array[]): ExtensionData {
  return ext(ExtensionType.pre_shared_key, (w) => {
    w.vector(2, () => identities.forEach((i) => w.opaque(2, i.identity).u32(i.obfuscatedTicketAge >>> 0)));
    w.vector(2, () => binders.forEach((b) => w.opaque(1, b)));
  });
}

/** Byte length of the `binders` block (length prefix included) for binders of the given sizes. */
export function bindersLength(sizes: readonly number[]): number {
  return 2 + sizes.reduce((n, s) => n + 1 + s, 0);
}

/** RFC 8446 §4.2.11: the server's selected_identity. */
export function preSharedKeyServerExt(selected: number): ExtensionData {
  return ext(ExtensionType.pre_shared_key, (w) => w.u16(selected));
}

/** RFC 8446 §4.2.2. */
export function cookieExt(cookie: Uint8Array): ExtensionData {
  return ext(ExtensionType.cookie, (w) => w.opaque(2, cookie));
}

/** RFC 7627 §5.1: empty. */
export function extendedMasterSecretExt(): ExtensionData {
  return ext(ExtensionType.extended_master_secret);
}

/** RFC 7366 §2: empty. */
export function encryptThenMacExt(): ExtensionData {
  return ext(ExtensionType.encrypt_then_mac);
}

/** RFC 5746 §3.2: renegotiated_connection<0..255> (empty on an initial handshake). */
export function renegotiationInfoExt(renegotiated: Uint8Array = new Uint8Array(0)): ExtensionData {
  return ext(ExtensionType.renegotiation_info, (w) => w.opaque(1, renegotiated));
}

/** RFC 5077 §3.2: the ticket itself is the extension_data (empty to ask for one). */
export function sessionTicketExt(ticket: Uint8Array = new Uint8Array(0)): ExtensionData {
  return ext(ExtensionType.session_ticket, (w) => w.bytes(ticket));
}

/** RFC 8422 §5.1.2: ECPointFormatList. */
export function ecPointFormatsExt(formats: readonly number[] = [ECPointFormat.uncompressed]): ExtensionData {
  return ext(ExtensionType.ec_point_formats, (w) => w.vector(1, () => formats.forEach((f) => w.u8(f))));
}
