/**
 * Helpers for the resource-bound tests: wall time, retained heap (with a real GC between measurements), a
 * linear-growth check, and IPv4/TCP segments built straight into buffers for TcpReassembler and IpDecoder.
 */
import * as assert from "node:assert/strict";
import * as v8 from "node:v8";
import * as vm from "node:vm";
import type { StreamSink, TcpConnection, TcpDir } from "../../../src/capture/types";
import { encodeRecord } from "../../../src/tls/record";

v8.setFlagsFromString("--expose-gc");
const runGc = vm.runInNewContext("gc") as () => void;

export function gc(): void {
  runGc();
  runGc();
}

/**
 * CPU time `fn` takes (ms, this process's user + system time), not wall time: the bounds below guard against
 * quadratic work, and on a loaded machine wall time also counts the time other processes held the CPU.
 */
export function ms(fn: () => void): number {
  const t0 = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000;
}

/** Heap retained by what `build` returns while it is still referenced (bytes). */
export function retained<T>(build: () => T): { value: T; bytes: number } {
  gc();
  const before = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const value = build();
  gc();
  const after = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  return { value, bytes: after - before };
}

export const MiB = 1 << 20;

/**
 * Work that grows linearly: the time for 8n must stay well under the 64× a quadratic algorithm would take
 * (24× allows for noise; each size is timed as its best of three runs after a warm-up).
 */
export function assertLinear(label: string, run: (n: number) => void, n: number): { small: number; large: number } {
  run(Math.max(1, n >> 3)); // warm-up (JIT)
  const best = (k: number) =>
    Math.min(
      ms(() => run(k)),
      ms(() => run(k)),
      ms(() => run(k)),
    );
  // Up to three measurements: a quadratic algorithm fails every one, a GC pause or a busy core only one.
  let small = 0;
  let large = 0;
  for (let attempt = 0; attempt < 3; attempt++) {
    small = best(n);
    large = best(8 * n);
    if (large < 24 * small + 50) return { small, large };
  }
  assert.fail(`${label}: ${n} → ${small.toFixed(1)} ms but ${8 * n} → ${large.toFixed(1)} ms of CPU, three times (not linear)`);
}

/** A StreamSink that counts what the reassembler delivers. */
export class CountingStreamSink implements StreamSink {
  opened = 0;
  closed = 0;
  bytes = [0, 0];
  gaps = 0;
  gapBytes = 0;
  errors: string[] = [];
  open(): void {
    this.opened++;
  }
  data(_c: TcpConnection, dir: TcpDir, data: Uint8Array): void {
    this.bytes[dir] += data.length;
  }
  gap(_c: TcpConnection, _dir: TcpDir, bytes: number): void {
    this.gaps++;
    this.gapBytes += bytes;
  }
  close(): void {
    this.closed++;
  }
  error(e: { message: string }): void {
    this.errors.push(e.message);
  }
}

export const FIN = 0x01;
export const SYN = 0x02;
export const RST = 0x04;
export const ACK = 0x10;

/**
 * An IPv4 packet (20-byte header, no options) carrying one TCP segment: client 10.0.0.1:<cport> → 10.0.0.2:443
 * (or back when `fromServer`). Addresses sit at 12 and 16, the TCP header at 20.
 */
export function ipv4Tcp(opts: { seq: number; flags?: number; payload?: Uint8Array; cport?: number; fromServer?: boolean; client?: number }): Uint8Array {
  const payload = opts.payload ?? new Uint8Array(0);
  const b = new Uint8Array(40 + payload.length);
  const total = b.length;
  b[0] = 0x45;
  b[2] = total >> 8;
  b[3] = total & 0xff;
  b[8] = 64;
  b[9] = 6;
  const client = [10, ((opts.client ?? 0) >> 16) & 0xff, ((opts.client ?? 0) >> 8) & 0xff, 1 + ((opts.client ?? 0) & 0xff)];
  const server = [10, 0, 0, 2];
  b.set(opts.fromServer ? server : client, 12);
  b.set(opts.fromServer ? client : server, 16);
  const cport = opts.cport ?? 40000;
  const [sp, dp] = opts.fromServer ? [443, cport] : [cport, 443];
  b[20] = sp >> 8;
  b[21] = sp & 0xff;
  b[22] = dp >> 8;
  b[23] = dp & 0xff;
  const seq = opts.seq >>> 0;
  b[24] = seq >>> 24;
  b[25] = (seq >>> 16) & 0xff;
  b[26] = (seq >>> 8) & 0xff;
  b[27] = seq & 0xff;
  b[32] = 0x50;
  b[33] = opts.flags ?? ACK;
  b.set(payload, 40);
  return b;
}

/** Feeds an ipv4Tcp packet to the reassembler directly (skipping the IP layer). */
export function segmentArgs(pkt: Uint8Array): [number, number, 4, number, number] {
  return [12, 16, 4, 20, pkt.length];
}

/** A TLS record: type, version 0x0303, length, fragment. */
export function record(type: number, fragment: Uint8Array): Uint8Array {
  return encodeRecord(type, 0x0303, fragment);
}

/** A TcpConnection for feeding TlsConnection directly. */
export function fakeTcp(id = 0): TcpConnection {
  return { id, a: { ip: "10.0.0.1", port: 40000 }, b: { ip: "10.0.0.2", port: 443 }, synSeen: true, firstFrame: 1, lastFrame: 1, user: undefined };
}
