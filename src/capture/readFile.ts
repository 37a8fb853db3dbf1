/**
 * Capture file entry points: sniff the format by its magic number and stream the packets into a PacketSink.
 * Synchronous on purpose: one `readSync` per MiB is cheaper than promise plumbing per chunk, and the caller
 * (CLI, extension worker) runs it off the UI thread anyway.
 */
import * as fs from "node:fs";
import type { CaptureInfo, PacketSink } from "./types";
import { ByteSource, type ProgressOptions } from "./source";
import { isPcapMagic, readPcap } from "./pcap";
import { PCAPNG_SHB, readPcapng } from "./pcapng";

export type { ProgressOptions } from "./source";

/** The input is not a pcap or pcapng file (thrown before any packet is delivered). */
export class NotACaptureError extends Error {
  constructor(
    readonly path: string | undefined,
    readonly magic: string,
  ) {
    super(
      `${path ?? "input"} is not a capture file: expected a pcap (a1b2c3d4 / a1b23c4d) or pcapng (0a0d0d0a) magic number, found ${magic || "an empty file"}`,
    );
    this.name = "NotACaptureError";
  }
}

export type CaptureFormat = "pcap" | "pcapng";

/** The format named by the first 4 bytes, or undefined. */
export function sniffFormat(head: Uint8Array): CaptureFormat | undefined {
  if (head.length < 4) return undefined;
  const be = ((head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3]) >>> 0;
  const le = ((head[3] << 24) | (head[2] << 16) | (head[1] << 8) | head[0]) >>> 0;
  if (be === PCAPNG_SHB) return "pcapng";
  if (isPcapMagic(be) || isPcapMagic(le)) return "pcap";
  return undefined;
}

function hexHead(head: Uint8Array): string {
  let s = "";
  for (let i = 0; i < Math.min(4, head.length); i++) s += head[i].toString(16).padStart(2, "0");
  return s;
}

function run(src: ByteSource, sink: PacketSink, path: string | undefined): CaptureInfo {
  const head = src.buf.subarray(0, Math.min(4, src.end));
  const format = sniffFormat(head);
  if (format === undefined) throw new NotACaptureError(path, hexHead(head));
  return format === "pcap" ? readPcap(src, sink) : readPcapng(src, sink);
}

/** Reads a capture held in memory. Throws NotACaptureError for anything that is not pcap/pcapng. */
export function readCaptureBytes(bytes: Uint8Array, sink: PacketSink, opts?: ProgressOptions): CaptureInfo {
  return run(ByteSource.fromBytes(bytes, opts), sink, undefined);
}

/** The first `n` bytes of a file (fewer if it is shorter), for sniffing what it is. */
export function readHead(path: string, n: number): Uint8Array {
  const head = new Uint8Array(n);
  const fd = fs.openSync(path, "r");
  try {
    return head.subarray(0, fs.readSync(fd, head, 0, n, 0));
  } finally {
    fs.closeSync(fd);
  }
}

/** Streams a capture file through a reusable 1 MiB buffer. Throws NotACaptureError for non-captures. */
export function readCapture(path: string, sink: PacketSink, opts?: ProgressOptions): CaptureInfo {
  const fd = fs.openSync(path, "r");
  try {
    const size = fs.fstatSync(fd).size;
    const src = ByteSource.fromFd(fd, size, opts);
    src.ensure(Math.min(4, size));
    return run(src, sink, path);
  } finally {
    fs.closeSync(fd);
  }
}
