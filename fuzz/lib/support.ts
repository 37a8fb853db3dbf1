/** Sinks and checks the fuzz targets share. An invariant that fails throws FuzzInvariantError (a finding). */
import { NotACaptureError, readCaptureBytes } from "../../src/capture/readFile";
import type { PacketSink, StreamSink, TcpConnection, TcpDir } from "../../src/capture/types";

export class FuzzInvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FuzzInvariantError";
  }
}

export function check(ok: boolean, message: string): void {
  if (!ok) throw new FuzzInvariantError(message);
}

/** A PacketSink that counts what it gets and checks each packet view lies inside the buffer it was given. */
export interface CountingPacketSink extends PacketSink {
  packets: number;
  bytes: number;
  errors: number;
  secretBlocks: number;
}

export function countingPacketSink(): CountingPacketSink {
  const s: CountingPacketSink = {
    packets: 0,
    bytes: 0,
    errors: 0,
    secretBlocks: 0,
    packet(frame, _linkType, buf, off, len, tsMicros) {
      check(off >= 0 && len >= 0 && off + len <= buf.length, `packet ${frame}: view [${off}, ${off + len}) outside a ${buf.length}-byte buffer`);
      check(frame === s.packets + 1, `packet numbers must count up by one: got ${frame} after ${s.packets}`);
      check(Number.isFinite(tsMicros), `packet ${frame}: timestamp ${tsMicros}`);
      s.packets++;
      s.bytes += len;
    },
    secrets(d) {
      check(d.data instanceof Uint8Array, "secrets without data");
      s.secretBlocks++;
    },
    error() {
      s.errors++;
    },
  };
  return s;
}

/**
 * A StreamSink that checks the reassembler's contract: opens before data, nothing after close, ids in order,
 * every connection closed once by the end.
 */
export class CheckingStreamSink {
  open = new Set<number>();
  closed = new Set<number>();
  lastId = -1;
  delivered = 0;
  gaps = 0;
  errors = 0;

  constructor(private readonly onData?: (c: TcpConnection, dir: TcpDir, data: Uint8Array) => void) {}

  private live(c: TcpConnection, what: string): void {
    check(this.open.has(c.id), `${what} for connection ${c.id} that is not open`);
  }

  openConn(c: TcpConnection): void {
    check(c.id === this.lastId + 1, `connection ids must count up: ${c.id} after ${this.lastId}`);
    this.lastId = c.id;
    this.open.add(c.id);
  }

  data(c: TcpConnection, dir: TcpDir, data: Uint8Array): void {
    this.live(c, "data");
    check(data.length > 0, `empty data delivered on connection ${c.id}`);
    this.delivered += data.length;
    this.onData?.(c, dir, data);
  }

  gap(c: TcpConnection, _dir: TcpDir, bytes: number): void {
    this.live(c, "gap");
    check(bytes > 0 && Number.isInteger(bytes), `gap of ${bytes} bytes`);
    this.gaps++;
  }

  close(c: TcpConnection): void {
    this.live(c, "close");
    this.open.delete(c.id);
    this.closed.add(c.id);
  }

  error(): void {
    this.errors++;
  }
}

/** The StreamSink shape over a CheckingStreamSink (whose `open` is the set of open connection ids). */
export function streamSink(s: CheckingStreamSink): StreamSink {
  return {
    open: (c) => s.openConn(c),
    data: (c, d, b) => s.data(c, d, b),
    gap: (c, d, n) => s.gap(c, d, n),
    close: (c) => s.close(c),
    error: () => s.error(),
  };
}

/** Visits every node of a field tree and checks its range lies inside [lo, hi]. */
export interface TreeNode {
  name: string;
  start: number;
  end: number;
  children?: TreeNode[];
}

export function checkTree(node: TreeNode, lo: number, hi: number, depth = 0): number {
  check(depth < 200, `field tree deeper than 200 at ${node.name}`);
  check(
    Number.isInteger(node.start) && Number.isInteger(node.end) && node.start <= node.end && node.start >= lo && node.end <= hi,
    `field ${node.name}: range [${node.start}, ${node.end}) outside its parent's [${lo}, ${hi})`,
  );
  let n = 1;
  for (const c of node.children ?? []) n += checkTree(c, node.start, node.end, depth + 1);
  return n;
}

/**
 * The capture-file targets' body (pcap and pcapng differ only in their dictionaries): every packet view lies in its
 * buffer, the count agrees with what was delivered, no more packet bytes than the file holds; NotACaptureError is
 * the documented refusal.
 */
export function fuzzCaptureFile(data: Uint8Array): void {
  const sink = countingPacketSink();
  try {
    const info = readCaptureBytes(data, sink);
    check(info.packets === sink.packets, `info.packets ${info.packets} but ${sink.packets} delivered`);
    check(sink.bytes <= data.length, `${sink.bytes} packet bytes from a ${data.length}-byte file`);
  } catch (e) {
    if (!(e instanceof NotACaptureError)) throw e;
  }
}
