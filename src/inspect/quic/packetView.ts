/**
 * A QUIC packet as the bytes pane shows it: the packet as captured (header protection on, payload sealed) and, for
 * a decrypted packet, the same packet opened — its header with the protection removed (RFC 9001 §5.4) followed by
 * the plaintext frames (RFC 9000 §19), the AEAD tag dropped. Each comes with a field tree read with the labelled
 * reader over exactly those bytes, so a field highlights what it covers. Pure: no vscode, no I/O.
 */
import type { ByteView, FieldNode, QuicPacketView } from "../../protocol/messages";
import type { QuicPacketInfo } from "../../model";
import { DecodeError, Reader, toHex, type ReadOptions } from "../../tls/reader";
import { readVarint } from "../../tls/quic/varint";
import { isStreamFrame, QuicFrame as F, quicFrameTypes } from "../../tls/registry/quicFrameTypes";
import { QUIC_V2, quicVersionName, quicVersions } from "../../tls/registry/quicVersions";
import { parseLongHeader, type QuicHeader } from "../../capture/quic/header";
import { frameLayout, type FrameField, type FrameFields, type VarintField } from "../../capture/quic/frameLayout";

/** Note ids of media/notes that explain the parts of a packet. */
export const QUIC_NOTES = {
  carriage: "quic-tls",
  initial: "quic-initial-keys",
  headerProtection: "quic-header-protection",
  retry: "quic-retry",
  connectionIds: "quic-connection-ids",
} as const;

const HP = QUIC_NOTES.headerProtection;
const IDS = QUIC_NOTES.connectionIds;

/** The section of a note that explains a packet field, by the field's name and note (headings of media/notes/en). */
const SECTIONS: Readonly<Record<string, { note: string; section: string }>> = {
  "first_byte (protected)": { note: HP, section: "What is masked" },
  "packet_number (protected)": { note: HP, section: "What is masked" },
  protected_packet_number_and_payload: { note: HP, section: "How the mask is made" },
  first_byte: { note: HP, section: "What is masked" },
  packet_number: { note: HP, section: "Recovering the full packet number" },
  destination_connection_id: { note: IDS, section: "Choosing them in the handshake" },
  source_connection_id: { note: IDS, section: "Choosing them in the handshake" },
  connection_id: { note: IDS, section: "More IDs later" },
  NEW_CONNECTION_ID: { note: IDS, section: "More IDs later" },
  RETIRE_CONNECTION_ID: { note: IDS, section: "More IDs later" },
  retry_token: { note: QUIC_NOTES.retry, section: "Retry" },
  token: { note: QUIC_NOTES.retry, section: "Retry" },
  retry_integrity_tag: { note: QUIC_NOTES.retry, section: "The integrity tag" },
  CRYPTO: { note: QUIC_NOTES.carriage, section: "No records" },
  crypto_data: { note: QUIC_NOTES.carriage, section: "Reassembly" },
  protected_payload: { note: QUIC_NOTES.initial, section: "Where the keys come from" },
  aead_tag: { note: QUIC_NOTES.initial, section: "Where the keys come from" },
};

/** Every node without a note inherits its parent's; the fields listed above get their section too. */
function placeNotes(n: FieldNode, inherited: string | undefined, depth = 0): void {
  if (depth > 16) return;
  n.note ??= inherited;
  const s = SECTIONS[n.name];
  if (s && s.note === n.note) n.noteSection = s.section;
  for (const c of n.children ?? []) placeNotes(c, n.note, depth + 1);
}

/** RFC 9001 §5.3: AEAD_AES_128_GCM, AEAD_AES_256_GCM and AEAD_CHACHA20_POLY1305 all have a 16-byte tag. */
const AEAD_TAG = 16;
/** Bytes shown per packet view at most (a 1-RTT packet is at most a datagram; a hostile model stays bounded). */
const MAX_VIEW_BYTES = 64 * 1024;

/** "QUIC v1 (0x00000001)" */
export function quicVersionText(v: number): string {
  const name = quicVersions.has(v) ? quicVersions.name(v) : quicVersionName(v);
  const hex = `0x${v.toString(16).padStart(8, "0")}`;
  return name === "unknown" ? hex : `${name} (${hex})`;
}

export function packetView(p: QuicPacketInfo, index: number, messages: number[]): QuicPacketView {
  const v: QuicPacketView = {
    index,
    dir: p.dir,
    frame: p.frame,
    type: p.type,
    version: p.version === null ? null : quicVersionText(p.version),
    dcid: p.dcid,
    scid: p.scid,
    packetNumber: p.packetNumber,
    length: p.length,
    decrypted: p.decrypted,
    frames: [...p.frames],
    messages,
  };
  if (p.keys) v.keys = p.keys;
  if (p.keyPhase !== undefined) v.keyPhase = p.keyPhase;
  if (p.keyGeneration !== undefined) v.keyGeneration = p.keyGeneration;
  if (p.tokenLength !== undefined) v.tokenLength = p.tokenLength;
  if (p.retryIntegrity !== undefined) v.retryIntegrity = p.retryIntegrity;
  if (p.supportedVersions) v.supportedVersions = p.supportedVersions.map(quicVersionText);
  if (p.decryptError) v.decryptError = p.decryptError;
  if (p.error) v.error = p.error;
  if (p.raw && p.raw.length <= MAX_VIEW_BYTES) {
    v.protectedBytes = protectedView(p, p.raw);
    if (p.decrypted && p.header && p.plaintext && p.header.length + p.plaintext.length <= MAX_VIEW_BYTES)
      v.plaintextBytes = plaintextView(p, p.header, p.plaintext);
  }
  return v;
}

/** Runs `fn` over a root node; a decoding error stays on the node it happened in and the rest is shown as bytes. */
function tree(bytes: Uint8Array, root: FieldNode, fn: (r: Reader) => void): ByteView {
  const r = new Reader(bytes, 0, bytes.length, true, root);
  try {
    fn(r);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    root.error ??= e.message;
  }
  if (r.pos < bytes.length) {
    r.end = bytes.length;
    r.rest("unread", { display: (b) => `${b.length} bytes not read` });
  }
  placeNotes(root, root.note);
  return { hex: toHex(bytes), tree: root };
}

function rootNode(p: QuicPacketInfo, bytes: Uint8Array, what: string): FieldNode {
  const pn = p.packetNumber !== null ? `, packet number ${p.packetNumber}` : "";
  return {
    name: `${p.type} packet`,
    start: 0,
    end: bytes.length,
    display: `${p.type}${pn}, ${bytes.length} bytes (${what})`,
    rfc: p.type === "1-RTT" ? "RFC 9000 §17.3.1" : "RFC 9000 §17.2",
    note: p.type === "Retry" ? QUIC_NOTES.retry : QUIC_NOTES.carriage,
    children: [],
  };
}

/** The header fields every long header shares (RFC 9000 §17.2): version and both connection IDs with lengths. */
function longHeaderIds(r: Reader): void {
  r.u32("version", { display: (v) => quicVersionText(v), rfc: v2Rfc(r) });
  const dl = r.u8("destination_connection_id_length", { display: (n) => `${n} bytes` });
  r.bytes("destination_connection_id", dl, { note: QUIC_NOTES.connectionIds, rfc: "RFC 9000 §5.1" });
  const sl = r.u8("source_connection_id_length", { display: (n) => `${n} bytes` });
  r.bytes("source_connection_id", sl, { note: QUIC_NOTES.connectionIds, rfc: "RFC 9000 §5.1" });
}

function v2Rfc(r: Reader): string {
  const b = r.buf;
  const p = r.pos;
  const v = ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
  return v === QUIC_V2 ? "RFC 9369 §3.1" : "RFC 9000 §15";
}

function longHeader(raw: Uint8Array): QuicHeader | null {
  const h = parseLongHeader(raw, 0, raw.length);
  return typeof h === "string" ? null : h;
}

/** The packet as captured. */
function protectedView(p: QuicPacketInfo, raw: Uint8Array): ByteView {
  return tree(raw, rootNode(p, raw, "as captured"), (r) => {
    if (p.type === "VersionNegotiation") {
      r.u8("first_byte", { display: (b) => `0x${b.toString(16).padStart(2, "0")}: long header; the other bits unused`, rfc: "RFC 9000 §17.2.1" });
      longHeaderIds(r);
      r.group(
        "supported_versions",
        () => {
          while (r.remaining() >= 4) r.u32("supported_version", { display: (v) => quicVersionText(v) });
        },
        { rfc: "RFC 9000 §17.2.1", display: `${p.supportedVersions?.length ?? 0} versions` },
      );
      return;
    }
    if (p.type === "Retry") {
      r.u8("first_byte", { display: (b) => `0x${b.toString(16).padStart(2, "0")}: long header, Retry (not protected)`, rfc: "RFC 9000 §17.2.5" });
      longHeaderIds(r);
      r.bytes("retry_token", r.remaining() - AEAD_TAG, { rfc: "RFC 9000 §17.2.5", note: QUIC_NOTES.retry, display: (b) => `${b.length} bytes` });
      const ok = p.retryIntegrity;
      r.bytes("retry_integrity_tag", AEAD_TAG, {
        rfc: "RFC 9001 §5.8",
        note: QUIC_NOTES.retry,
        display: (b) => `${toHex(b)} (${ok === true ? "verified" : ok === false ? "does not verify" : "not checked"})`,
      });
      return;
    }
    const protectedFirst = {
      rfc: "RFC 9001 §5.4.1",
      note: QUIC_NOTES.headerProtection,
      display: (b: number) =>
        `0x${b.toString(16).padStart(2, "0")}: ${b & 0x80 ? "long" : "short"} header; its low ${b & 0x80 ? 4 : 5} bits masked by header protection`,
    };
    r.u8("first_byte (protected)", protectedFirst);
    let pnOffset: number;
    if (p.type === "1-RTT") {
      r.bytes("destination_connection_id", p.dcid.length / 2, { note: QUIC_NOTES.connectionIds, rfc: "RFC 9000 §5.1" });
      pnOffset = r.pos;
    } else {
      const h = longHeader(raw);
      longHeaderIds(r);
      if (p.type === "Initial") {
        const n = readVarint(r, "token_length", (v) => `${v} bytes`);
        r.bytes("token", n, { rfc: "RFC 9000 §17.2.2", note: QUIC_NOTES.retry });
      }
      readVarint(r, "length", (v) => `${v} bytes: packet number and payload`);
      pnOffset = h?.pnOffset ?? r.pos;
    }
    const hl = p.headerLength ?? 0;
    if (hl > pnOffset && hl <= raw.length) {
      r.bytes("packet_number (protected)", hl - pnOffset, {
        rfc: "RFC 9001 §5.4.1",
        note: QUIC_NOTES.headerProtection,
        display: (b) => `${toHex(b)} (masked)`,
      });
    }
    const sealed = raw.length - r.pos;
    if (hl > pnOffset && sealed >= AEAD_TAG) {
      r.bytes("protected_payload", sealed - AEAD_TAG, { rfc: "RFC 9001 §5.3", note: keyNote(p), display: (b) => `${b.length} bytes sealed` });
      r.bytes("aead_tag", AEAD_TAG, { rfc: "RFC 9001 §5.3", note: keyNote(p) });
    } else {
      // Header protection could not be removed: where the packet number ends is unknown.
      r.rest("protected_packet_number_and_payload", { rfc: "RFC 9001 §5.4", note: QUIC_NOTES.headerProtection, display: (b) => `${b.length} bytes sealed` });
    }
  });
}

function keyNote(p: QuicPacketInfo): string {
  return p.keys === "initial" ? QUIC_NOTES.initial : QUIC_NOTES.carriage;
}

/** The packet opened: header without protection, then the frames. */
function plaintextView(p: QuicPacketInfo, header: Uint8Array, plaintext: Uint8Array): ByteView {
  const bytes = new Uint8Array(header.length + plaintext.length);
  bytes.set(header, 0);
  bytes.set(plaintext, header.length);
  return tree(bytes, rootNode(p, bytes, "decrypted"), (r) => {
    r.end = header.length;
    r.group(
      "header",
      () => {
        const b0 = bytes[0];
        const pnLen = (b0 & 0x03) + 1;
        if (p.type === "1-RTT") {
          r.u8("first_byte", {
            rfc: "RFC 9000 §17.3.1",
            note: QUIC_NOTES.headerProtection,
            display: (b) =>
              `0x${b.toString(16).padStart(2, "0")}: short header, spin bit ${(b >> 5) & 1}, key phase ${(b >> 2) & 1}, packet number length ${pnLen}`,
          });
          r.bytes("destination_connection_id", p.dcid.length / 2, { note: QUIC_NOTES.connectionIds, rfc: "RFC 9000 §5.1" });
        } else {
          r.u8("first_byte", {
            rfc: "RFC 9000 §17.2",
            note: QUIC_NOTES.headerProtection,
            display: (b) => `0x${b.toString(16).padStart(2, "0")}: long header, ${p.type}, reserved bits ${(b >> 2) & 3}, packet number length ${pnLen}`,
          });
          longHeaderIds(r);
          if (p.type === "Initial") {
            const n = readVarint(r, "token_length", (v) => `${v} bytes`);
            r.bytes("token", n, { rfc: "RFC 9000 §17.2.2", note: QUIC_NOTES.retry });
          }
          readVarint(r, "length", (v) => `${v} bytes: packet number and payload`);
        }
        const full = p.packetNumber;
        if (r.remaining() > 0) {
          const n = r.remaining();
          r.bytes("packet_number", n, {
            rfc: "RFC 9000 §17.1",
            note: HP,
            display: (b) => `${toHex(b)}: the low ${n * 8} bits of packet number ${full ?? "?"} (RFC 9000 Appendix A)`,
          });
        }
      },
      { display: `${header.length} bytes, protection removed`, rfc: "RFC 9001 §5.4" },
    );
    r.end = bytes.length;
    r.group("payload", () => readFrames(r, p), {
      rfc: "RFC 9000 §12.4",
      note: keyNote(p),
      display: `${p.frames.length} frame${p.frames.length === 1 ? "" : "s"}: ${summarizeFrames(p.frames)}`,
    });
  });
}

function summarizeFrames(names: readonly string[]): string {
  const out: string[] = [];
  for (const n of names) if (out[out.length - 1] !== n) out.push(n);
  return out.join(", ");
}

/** The frames of the payload, with their fields (RFC 9000 §19; DATAGRAM RFC 9221 §4), in wire order. */
function readFrames(r: Reader, p: QuicPacketInfo): void {
  const details = p.frameDetails ?? [];
  const base = r.pos;
  for (const f of details) {
    if (base + f.start !== r.pos) break;
    const end = base + f.end;
    const outer = r.end;
    r.end = Math.min(end, outer);
    try {
      r.group(f.name, () => readFrame(r, f.type, f.fields), {
        rfc: quicFrameTypes.get(f.type)?.rfc,
        note:
          f.type === F.CRYPTO
            ? QUIC_NOTES.carriage
            : f.type === F.NEW_CONNECTION_ID || f.type === F.RETIRE_CONNECTION_ID
              ? QUIC_NOTES.connectionIds
              : undefined,
        display: frameDisplay(f.type, f.name, f.fields),
      });
    } finally {
      r.end = outer;
    }
  }
}

function frameDisplay(type: number, name: string, x: Record<string, unknown>): string {
  if (type === F.PADDING) return `PADDING: ${String(x.length)} bytes`;
  if (type === F.CRYPTO) return `CRYPTO: offset ${String(x.offset)}, ${String(x.length)} bytes of TLS handshake`;
  if (isStreamFrame(type)) return `STREAM ${String(x.streamId)}: offset ${String(x.offset)}, ${String(x.length)} bytes${x.fin ? ", FIN" : ""}`;
  if (type === F.ACK || type === F.ACK_ECN) return `ACK: largest ${String(x.largest)}, ${Number(x.rangeCount) + 1} range(s)`;
  if (type === F.CONNECTION_CLOSE || type === F.CONNECTION_CLOSE_APP)
    return `CONNECTION_CLOSE: ${x.application ? `application error ${String(x.errorCode)}` : String(x.errorName)}${x.reason ? ` "${String(x.reason)}"` : ""}`;
  if (type === F.NEW_CONNECTION_ID) return `NEW_CONNECTION_ID ${String(x.sequence)}: ${String(x.cid)}`;
  return name;
}

function readFrame(r: Reader, t: number, x: Record<string, unknown>): void {
  if (t === F.PADDING) {
    r.rest("padding", { display: (b) => `${b.length} zero bytes` });
    return;
  }
  readVarint(r, "frame_type", (v) => `${quicFrameTypes.name(v) === "unknown" ? "unknown" : quicFrameTypes.name(v)} (0x${v.toString(16).padStart(2, "0")})`);
  const layout = frameLayout(t);
  if (!layout) r.rest("frame_data", { display: (b) => `${b.length} bytes of an unknown frame` });
  else readFields(r, t, layout, x as FrameFields);
}

/** What the bytes pane adds to a frame field of the layout: its note or section (by node name). */
const FIELD_VIEW: Readonly<Record<string, ReadOptions<Uint8Array>>> = {
  token: { note: QUIC_NOTES.retry },
  connection_id: { note: QUIC_NOTES.connectionIds },
  stateless_reset_token: { rfc: "RFC 9000 §10.3" },
};

/** A frame's fields by its layout (src/capture/quic/frameLayout.ts, which the tracker reads too), as labelled nodes. */
function readFields(r: Reader, t: number, layout: readonly FrameField[], x: Readonly<FrameFields>): void {
  let length = 0;
  let count = 0;
  const varint = (f: VarintField): number => {
    const d = f.display;
    return readVarint(r, f.node, d ? (n) => d(n, t) : undefined);
  };
  for (const f of layout) {
    switch (f.kind) {
      case "varint": {
        if (f.when && !f.when(t)) break;
        const n = varint(f);
        if (f.role === "length") length = n;
        else if (f.role === "count") count = n;
        break;
      }
      case "u8length":
        length = r.u8(f.node, { display: (b) => `${b} bytes` });
        break;
      case "bytes": {
        if (f.when && !f.when(t)) break;
        const size = typeof f.size === "function" ? f.size(t) : f.size;
        const n = size === "length" ? length : size === "rest" ? r.remaining() : size;
        const d = f.display;
        const opts = d ? { ...FIELD_VIEW[f.node], display: (b: Uint8Array) => d(b, x) } : FIELD_VIEW[f.node];
        r.bytes(f.node, n, opts);
        break;
      }
      case "repeat":
        for (let i = 0; i < count && r.remaining() > 0; i++) {
          r.group(f.node, () => r.setDisplay(f.display(f.fields.map(varint))));
        }
        break;
      case "group":
        if (f.when && !f.when(t)) break;
        r.group(f.node, () => r.setDisplay(f.display(f.fields.map(varint))));
        break;
      case "derived":
        break;
    }
  }
}
