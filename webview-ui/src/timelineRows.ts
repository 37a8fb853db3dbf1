/**
 * Turns a ConnectionView into the timeline's rows, in wire order: handshake messages, ChangeCipherSpec records,
 * alerts and (collapsed) application data, each placed by the record that carried it. Also groups rows into
 * flights (RFC 8446 §2 / RFC 5246 §7.3: consecutive messages sent by one side before it waits for the other).
 */
import type { AlertView, ConnectionView, Dir, MessageView, KeyPhase, QuicPacketView, RecordView } from "../../src/protocol/messages";

export type RowKind = "message" | "ccs" | "alert" | "appdata" | "packet" | "preamble";

/** The keys a row travels under: TLS's key phases, and QUIC's Initial keys (RFC 9001 §5.2: not secret). */
export type RowPhase = KeyPhase | "initial";

export interface TimelineRow {
  /** Position in the timeline (0-based), also the row's y slot. */
  pos: number;
  kind: RowKind;
  /** DOM id, unique in the document (aria-activedescendant). */
  id: string;
  dir: Dir;
  name: string;
  /** Bytes on the wire (message length incl. header, record fragment, alert 2). */
  size: number;
  encrypted: boolean;
  phase: RowPhase;
  message?: MessageView;
  /** QUIC: the packet of a packet row. */
  packet?: QuicPacketView;
  /** QUIC: the packet that carried a message row's last CRYPTO byte. */
  carrier?: QuicPacketView;
  record?: RecordView;
  alert?: AlertView;
  /** appdata rows: how many records were collapsed into the row (QUIC: packets). */
  count?: number;
  /** Record index of the carrying record, when known (for the record grouping bracket). */
  recordIndex?: number;
  frame: number;
  flight: number;
  hrr: boolean;
}

const CCS = 20;
const HANDSHAKE = 22;
const ALERT = 21;
const APPLICATION_DATA = 23;
/** HelloRetryRequest is a ServerHello with a special random (RFC 8446 §4.1.3); the decoder names it so. */
export const isHrr = (m: MessageView): boolean => /HelloRetryRequest/i.test(m.name);

interface Pending {
  key: number;
  sub: number;
  row: Omit<TimelineRow, "pos" | "flight">;
}

/**
 * The plaintext before TLS (a proxy request and its answer, or a STARTTLS dialogue): one row per direction that
 * sent any, before every record; the server's first when it greets first (SMTP, IMAP, POP3, FTP).
 */
function preambleRows(conn: ConnectionView, pending: Pending[]): void {
  const p = conn.preamble;
  if (!p) return;
  const first = Array.isArray(conn.records) ? conn.records[0] : undefined;
  const frame = first?.frame ?? 0;
  const sides: [Dir, number][] = [
    ["c2s", p.c2sBytes],
    ["s2c", p.s2cBytes],
  ];
  if (p.serverFirst) sides.reverse();
  sides.forEach(([dir, size], i) => {
    if (size <= 0) return;
    pending.push({
      key: -2,
      sub: i,
      row: {
        kind: "preamble",
        id: `tp-${dir}`,
        dir,
        // The arrow says who sent it; the client's row names what it asked for.
        name: dir === "c2s" && p.target ? `${p.name} ${p.target}` : p.name,
        size,
        encrypted: false,
        phase: "plaintext",
        frame,
        hrr: false,
      },
    });
  });
}

export function buildRows(conn: ConnectionView): TimelineRow[] {
  const records = Array.isArray(conn.records) ? conn.records : [];
  const messages = Array.isArray(conn.messageList) ? conn.messageList : [];
  const alerts = Array.isArray(conn.alerts) ? conn.alerts : [];
  // TLS 1.3 hides every record's real type behind application_data (RFC 8446 §5.2); in TLS 1.2 type 23 is data.
  const tls13 = /1\.3/.test(String(conn.version ?? ""));
  const pending: Pending[] = [];
  const carrying = new Set<number>();
  let lastKey = -1;
  for (const m of messages) {
    const rec = typeof m.record === "number" && records[m.record] ? m.record : undefined;
    if (rec !== undefined) carrying.add(rec);
    // Messages without a record index keep their order right after the previous one.
    const key = rec ?? (records.length ? lastKey : m.index);
    lastKey = key;
    pending.push({
      key,
      sub: m.index,
      row: {
        kind: "message",
        id: `tm-${m.index}`,
        dir: m.dir,
        name: m.name,
        size: m.length + 4,
        encrypted: !!m.encrypted,
        phase: m.keyPhase ?? "plaintext",
        message: m,
        record: rec !== undefined ? records[rec] : undefined,
        recordIndex: rec,
        frame: m.frame,
        hrr: isHrr(m),
      },
    });
  }
  // Alerts: match each to the record that carried it (same direction and frame), else place it by frame.
  const usedForAlert = new Set<number>();
  alerts.forEach((a, i) => {
    let rec = records.findIndex(
      (r, ri) =>
        !usedForAlert.has(ri) &&
        !carrying.has(ri) &&
        r.dir === a.dir &&
        r.frame === a.frame &&
        ((r.innerType ?? r.type) === ALERT || (r.type === APPLICATION_DATA && r.innerType === undefined)),
    );
    if (rec >= 0) usedForAlert.add(rec);
    let key = rec;
    if (rec < 0) {
      key = -1;
      for (const r of records) if (r.frame <= a.frame) key = r.index;
      rec = -1;
    }
    pending.push({
      key: records.length ? key : Number.MAX_SAFE_INTEGER,
      sub: 1e9 + i,
      row: {
        kind: "alert",
        id: `ta-${i}`,
        dir: a.dir,
        name: a.text || "alert",
        size: 2,
        encrypted: !!a.encrypted,
        phase: (rec >= 0 ? records[rec].keyPhase : undefined) ?? (a.encrypted ? "application" : "plaintext"),
        alert: a,
        record: rec >= 0 ? records[rec] : undefined,
        recordIndex: rec >= 0 ? rec : undefined,
        frame: a.frame,
        hrr: false,
      },
    });
  });
  // ChangeCipherSpec and application data records (those carrying no handshake message and no alert).
  let appRun: Pending | undefined;
  for (const r of records) {
    if (carrying.has(r.index) || usedForAlert.has(r.index)) {
      appRun = undefined;
      continue;
    }
    const type = r.innerType ?? r.type;
    if (r.type === CCS) {
      appRun = undefined;
      pending.push({
        key: r.index,
        sub: -1,
        row: {
          kind: "ccs",
          id: `tc-${r.index}`,
          dir: r.dir,
          name: "ChangeCipherSpec",
          size: r.length,
          // A renegotiation's travels under the current keys (RFC 5246 §6.1).
          encrypted: r.encrypted,
          phase: r.keyPhase ?? "plaintext",
          record: r,
          recordIndex: r.index,
          frame: r.frame,
          hrr: false,
        },
      });
    } else if (type === APPLICATION_DATA || (r.encrypted && r.innerType === undefined && (tls13 || !!r.decryptError))) {
      // Collapse runs of application data in one direction into one row: a download of thousands of records
      // stays one line.
      if (appRun && appRun.row.dir === r.dir) {
        appRun.row.size += r.length;
        appRun.row.count = (appRun.row.count ?? 1) + 1;
        continue;
      }
      const undecrypted = r.encrypted && r.innerType === undefined && (tls13 || !!r.decryptError);
      appRun = {
        key: r.index,
        sub: -1,
        row: {
          kind: "appdata",
          id: `td-${r.index}`,
          dir: r.dir,
          name: undecrypted ? "encrypted record" : "ApplicationData",
          size: r.length,
          encrypted: r.encrypted,
          phase: r.keyPhase ?? (r.encrypted ? "application" : "plaintext"),
          record: r,
          recordIndex: r.index,
          frame: r.frame,
          hrr: false,
          count: 1,
        },
      };
      pending.push(appRun);
    } else if (r.encrypted && r.innerType === undefined) {
      // TLS 1.2 without keys: a protected record whose message cannot be read — after ChangeCipherSpec that is
      // the Finished (RFC 5246 §7.4.9: the first message under the new keys). It stays on the timeline.
      appRun = undefined;
      const name = r.type === HANDSHAKE ? "encrypted handshake message" : "encrypted record";
      pending.push({
        key: r.index,
        sub: -1,
        row: {
          kind: "appdata",
          id: `te-${r.index}`,
          dir: r.dir,
          name,
          size: r.length,
          encrypted: true,
          phase: r.keyPhase ?? "application",
          record: r,
          recordIndex: r.index,
          frame: r.frame,
          hrr: false,
          count: 1,
        },
      });
    } else {
      appRun = undefined;
    }
  }
  preambleRows(conn, pending);
  pending.sort((a, b) => a.key - b.key || a.sub - b.sub);
  const rows: TimelineRow[] = [];
  let flight = 0;
  let prevDir: Dir | undefined;
  for (const p of pending) {
    if (prevDir !== undefined && p.row.dir !== prevDir) flight++;
    prevDir = p.row.dir;
    rows.push({ ...p.row, pos: rows.length, flight });
  }
  return rows;
}
