/**
 * The timeline of a QUIC connection: one row per packet in capture order (RFC 9000 §17: Initial, 0-RTT, Handshake,
 * Retry, Version Negotiation, 1-RTT), each followed by the handshake messages whose last CRYPTO byte it carried.
 * The key phase strip follows the packet number spaces' keys (RFC 9001 §4): Initial keys (derived from the
 * client's first Destination Connection ID, so protected but not secret), handshake, 0-RTT and 1-RTT. Runs of
 * 1-RTT packets carrying only stream data and acknowledgements collapse into one row, as TLS application data does.
 */
import type { ConnectionView, QuicPacketView } from "../../src/protocol/messages";
import { isHrr, type RowPhase, type TimelineRow } from "./timelineRows";

/** Frames that say nothing about the handshake: a run of packets holding only these is one row. */
const ROUTINE = new Set([
  "STREAM",
  "ACK",
  "PADDING",
  "PING",
  "MAX_DATA",
  "MAX_STREAM_DATA",
  "MAX_STREAMS",
  "DATA_BLOCKED",
  "STREAM_DATA_BLOCKED",
  "STREAMS_BLOCKED",
]);

/** Frame kinds named in a packet row at most. */
const MAX_FRAME_NAMES = 3;

export function packetPhase(p: QuicPacketView): RowPhase {
  switch (p.keys ?? keysOfType(p.type)) {
    case "initial":
      return "initial";
    case "early":
      return "early";
    case "handshake":
      return "handshake";
    case "application":
      return "application";
    default:
      return "plaintext";
  }
}

function keysOfType(type: QuicPacketView["type"]): QuicPacketView["keys"] | undefined {
  if (type === "Initial") return "initial";
  if (type === "Handshake") return "handshake";
  if (type === "0-RTT") return "early";
  if (type === "1-RTT") return "application";
  return undefined;
}

/** "Initial 0 · CRYPTO, PADDING", "Retry · integrity verified", "Version Negotiation · QUIC v1" */
export function packetName(p: QuicPacketView): string {
  if (p.type === "VersionNegotiation") {
    // Greased versions (RFC 9000 §15: 0x?a?a?a?a) are there to be ignored; they are counted, not named.
    const all = (p.supportedVersions ?? []).map((v) => v.replace(/ \(0x[0-9a-f]+\)$/, ""));
    const named = all.filter((v) => !/^reserved/.test(v));
    const grease = all.length - named.length;
    return `Version Negotiation · ${named.join(", ") || "no known version"}${grease ? ` (+${grease} reserved)` : ""}`;
  }
  if (p.type === "Retry") return `Retry · ${p.retryIntegrity === true ? "integrity ✓" : p.retryIntegrity === false ? "integrity ✗" : "integrity ?"}`;
  const pn = p.packetNumber !== null ? ` ${p.packetNumber}` : "";
  const frames: string[] = [];
  for (const f of p.frames) if (frames[frames.length - 1] !== f) frames.push(f);
  // A long list (a server's first 1-RTT packet may hold seven kinds of frame) is cut: the bytes pane has them all.
  const shown = frames.length > MAX_FRAME_NAMES ? [...frames.slice(0, MAX_FRAME_NAMES), `+${frames.length - MAX_FRAME_NAMES}`] : frames;
  const what = p.decrypted ? shown.join(", ") || "no frames" : "sealed";
  const gen = p.type === "1-RTT" && p.keyGeneration ? ` (key phase ${p.keyPhase}, generation ${p.keyGeneration})` : "";
  return `${p.type}${pn}${gen} · ${what}`;
}

function routine(p: QuicPacketView): boolean {
  return p.type === "1-RTT" && p.messages.length === 0 && !p.error && (!p.decrypted || p.frames.every((f) => ROUTINE.has(f)));
}

export function buildQuicRows(conn: ConnectionView): TimelineRow[] {
  const packets = Array.isArray(conn.packets) ? conn.packets : [];
  const messages = Array.isArray(conn.messageList) ? conn.messageList : [];
  const rows: Omit<TimelineRow, "pos" | "flight">[] = [];
  const placed = new Set<number>();
  let run: Omit<TimelineRow, "pos" | "flight"> | undefined;
  for (const p of packets) {
    if (!p || typeof p.index !== "number") continue;
    if (routine(p) && run?.packet && run.dir === p.dir && run.packet.keyGeneration === p.keyGeneration && run.packet.decrypted === p.decrypted) {
      run.size += p.length;
      run.count = (run.count ?? 1) + 1;
      run.frame = p.frame;
      continue;
    }
    const row: Omit<TimelineRow, "pos" | "flight"> = {
      kind: "packet",
      id: `tp-${p.index}`,
      dir: p.dir,
      name: packetName(p),
      size: p.length,
      encrypted: p.type !== "Retry" && p.type !== "VersionNegotiation",
      phase: packetPhase(p),
      packet: p,
      frame: p.frame,
      hrr: false,
      count: 1,
    };
    rows.push(row);
    run = routine(p) ? row : undefined;
    for (const i of Array.isArray(p.messages) ? p.messages : []) {
      const m = messages[i];
      if (!m || placed.has(i)) continue;
      placed.add(i);
      rows.push(messageRow(m, p));
    }
  }
  // Messages no packet claims (a model without packet indexes) still show, at the end in their order.
  messages.forEach((m, i) => {
    if (!placed.has(i)) rows.push(messageRow(m, undefined));
  });
  let flight = 0;
  let prevDir: string | undefined;
  return rows.map((r, pos) => {
    if (prevDir !== undefined && r.dir !== prevDir) flight++;
    prevDir = r.dir;
    return { ...r, pos, flight };
  });
}

function messageRow(m: ConnectionView["messageList"][number], p: QuicPacketView | undefined): Omit<TimelineRow, "pos" | "flight"> {
  const phase: RowPhase =
    m.space === "initial" ? "initial" : m.space === "handshake" ? "handshake" : m.space === "application" ? "application" : (m.keyPhase ?? "plaintext");
  return {
    kind: "message",
    id: `tm-${m.index}`,
    dir: m.dir,
    name: m.name,
    size: m.length + 4,
    encrypted: !!m.encrypted,
    phase,
    message: m,
    carrier: p,
    frame: m.frame,
    hrr: isHrr(m),
  };
}
