/**
 * TCP reassembly (src/capture/tcp.ts): the fuzz bytes are a script of segments on four 4-tuples — flags, sequence
 * numbers (relative jumps or absolute values), payloads, snaplen cuts — fed to TcpReassembler with the default
 * limits or tiny ones (so the buffer-limit paths run). Checked: the StreamSink contract (ids in order, nothing
 * before open or after close, every connection closed at the end) and no more bytes out than went in.
 */
import { TcpReassembler } from "../../src/capture/tcp";
import { CheckingStreamSink, check, streamSink } from "../lib/support";

export const maxLength = 16 * 1024;

const SMALL_LIMITS = { maxBufferedBytes: 64, maxBufferedSegments: 4, maxClosedRemembered: 2, closedWindowPackets: 8 };

export function seeds(): Uint8Array[] {
  // A handshake-like exchange: SYN, SYN-ACK, ACK, data both ways, FINs; then the same out of order.
  const ops: number[] = [];
  const op = (conn: number, dir: number, flags: number, delta: number, payload: number[]) => {
    ops.push(conn | (dir << 2) | (flags << 3), (delta >> 8) & 0xff, delta & 0xff, payload.length, ...payload);
  };
  const SYN = 2,
    ACK = 8,
    FIN = 1;
  op(0, 0, SYN, 0, []);
  op(0, 1, SYN | ACK, 0, []);
  op(0, 0, ACK, 1, [0x16, 0x03, 0x01, 0x00, 0x02, 0x01, 0x02]);
  op(0, 1, ACK, 1, [0x16, 0x03, 0x03, 0x00, 0x01, 0x02]);
  op(0, 0, ACK, 10, [9, 9, 9]);
  op(0, 0, ACK, -10, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  op(0, 0, FIN | ACK, 0, []);
  op(0, 1, FIN | ACK, 0, []);
  op(1, 0, ACK, 0, [1, 2, 3]);
  op(2, 1, 4, 0, []);
  return [Uint8Array.from([0, ...ops]), Uint8Array.from([1, ...ops]), Uint8Array.from([2, ...ops])];
}

export function fuzz(data: Uint8Array): void {
  if (data.length === 0) return;
  const cfg = data[0];
  const small = (cfg & 1) !== 0;
  const v6 = (cfg & 2) !== 0;
  const addrLen: 4 | 16 = v6 ? 16 : 4;
  const checker = new CheckingStreamSink();
  const tcp = new TcpReassembler(streamSink(checker), small ? SMALL_LIMITS : undefined);
  // Sequence cursors per (tuple, direction); ISNs chosen near the 32-bit wrap for half the tuples.
  const cursor = [0, 0xfffffff0, 1000, 0x7ffffff0, 5, 0xffffff00, 0, 0];
  let supplied = 0;
  let frame = 0;
  let i = 1;
  while (i < data.length && frame < 4096) {
    const op = data[i++];
    const conn = op & 3;
    const dir = (op >> 2) & 1;
    const f = (op >> 3) & 0x0f; // FIN, SYN, RST, ACK
    const flags = (f & 1 ? 0x01 : 0) | (f & 2 ? 0x02 : 0) | (f & 4 ? 0x04 : 0) | (f & 8 ? 0x10 : 0);
    const k = conn * 2 + dir;
    let seq: number;
    if (op & 0x80) {
      seq = ((data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3]) >>> 0;
      i += 4;
    } else {
      const delta = (((data[i] << 8) | data[i + 1]) << 16) >> 16;
      i += 2;
      seq = (cursor[k] + delta) >>> 0;
    }
    const lenByte = data[i++] ?? 0;
    const len = lenByte & 0x7f;
    const cut = lenByte & 0x80 ? 1 + (len & 0x1f) : 0; // IP header announces bytes the capture cut off
    const payload = data.subarray(i, Math.min(i + len, data.length));
    i += len;
    const buf = new Uint8Array(addrLen * 2 + 20 + payload.length);
    // Tuple `conn`: client 10.0.0.<conn+1>:<40000+conn> ↔ server 10.0.0.100:443 (or the IPv6 equivalent).
    const client = addrLen * (dir === 0 ? 0 : 1);
    const server = addrLen * (dir === 0 ? 1 : 0);
    buf[client + addrLen - 1] = conn + 1;
    buf[server + addrLen - 1] = 100;
    if (v6) buf[client] = buf[server] = 0xfe;
    const t = addrLen * 2;
    const sport = dir === 0 ? 40000 + conn : 443;
    const dport = dir === 0 ? 443 : 40000 + conn;
    buf[t] = sport >> 8;
    buf[t + 1] = sport & 0xff;
    buf[t + 2] = dport >> 8;
    buf[t + 3] = dport & 0xff;
    buf[t + 4] = seq >>> 24;
    buf[t + 5] = (seq >>> 16) & 0xff;
    buf[t + 6] = (seq >>> 8) & 0xff;
    buf[t + 7] = seq & 0xff;
    buf[t + 12] = 0x50;
    buf[t + 13] = flags;
    buf.set(payload, t + 20);
    supplied += payload.length;
    frame++;
    // The sender's address is always first in the buffer.
    tcp.segment(frame, buf, 0, addrLen, addrLen, t, buf.length, buf.length + cut);
    cursor[k] = (seq + payload.length + (flags & 0x02 ? 1 : 0)) >>> 0;
  }
  tcp.finish(frame);
  check(checker.open.size === 0, `${checker.open.size} connection(s) still open after finish`);
  check(checker.delivered <= supplied, `${checker.delivered} bytes delivered from ${supplied} supplied`);
  check(tcp.connections === checker.lastId + 1, `reassembler counts ${tcp.connections} connections, sink saw ${checker.lastId + 1}`);
}
