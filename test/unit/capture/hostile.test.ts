/**
 * Hostile input: every fixture truncated at many lengths and randomly mutated (seeded PRNG, bounded counts).
 * The pipeline must never throw (except NotACaptureError when the magic itself is broken), never hang, and
 * every error it reports must be located (a frame or a file offset).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { FIXTURES, fixtureCaptures, recorder } from "./build";
import { readTcpStreams } from "../../../src/capture/pipeline";
import { NotACaptureError, readCaptureBytes } from "../../../src/capture/readFile";
import { xorshift32 } from "../xorshift";

function runHostile(bytes: Uint8Array, label: string): { errors: number; threwNotACapture: boolean } {
  const { sink, rec } = recorder();
  let threwNotACapture = false;
  try {
    readTcpStreams(bytes, sink);
  } catch (e) {
    if (e instanceof NotACaptureError) threwNotACapture = true;
    else throw new Error(`${label}: threw ${(e as Error).stack}`, { cause: e });
  }
  for (const e of [...rec.errors, ...rec.captureErrors]) {
    assert.ok(e.frame !== undefined || e.offset !== undefined, `${label}: unlocated error ${e.message}`);
    assert.ok(e.message.length > 0);
  }
  // Every opened connection is closed exactly once, and nothing is delivered after its close.
  assert.equal(rec.closed.length, rec.conns.length, label);
  const closedAt = new Map<number, number>();
  rec.events.forEach((ev, i) => {
    const m = /^close (\d+)@/.exec(ev);
    if (m) closedAt.set(Number(m[1]), i);
  });
  rec.events.forEach((ev, i) => {
    const m = /^(?:data|gap) (\d+):/.exec(ev);
    if (m) assert.ok(i < closedAt.get(Number(m[1]))!, `${label}: ${ev} after close`);
  });
  return { errors: rec.errors.length + rec.captureErrors.length, threwNotACapture };
}

const fixtures = fixtureCaptures().map((n) => ({ name: n, bytes: new Uint8Array(fs.readFileSync(path.join(FIXTURES, n))) }));

test("every fixture truncated at many lengths: located errors, never a throw", () => {
  for (const { name, bytes } of fixtures) {
    const rnd = xorshift32(bytes.length);
    const lengths = new Set<number>([0, 1, 3, 4, 5, 23, 24, 25, 39, 40, bytes.length - 1, bytes.length - 4]);
    while (lengths.size < 60) lengths.add(Math.floor(rnd() * bytes.length));
    for (const len of lengths) {
      const cut = bytes.subarray(0, len);
      const r = runHostile(cut, `${name} cut at ${len}`);
      if (len < 4) assert.ok(r.threwNotACapture, `${name} cut at ${len}`);
      else assert.ok(!r.threwNotACapture);
    }
  }
});

test("truncation inside a packet names the packet and the bytes left", () => {
  const { bytes } = fixtures.find((f) => f.name === "tls13-x25519-aes128gcm.pcap")!;
  const cut = bytes.subarray(0, bytes.length - 10);
  const { sink, rec } = recorder();
  const info = readTcpStreams(cut, sink);
  assert.equal(rec.captureErrors.length, 1);
  const e = rec.captureErrors[0];
  assert.equal(e.frame, info.packets + 1);
  assert.match(e.message, new RegExp(`^file truncated in packet ${info.packets + 1}: record needs \\d+ bytes, \\d+ left$`));
});

test("every fixture randomly mutated (seeded): never a throw, never a hang", () => {
  const t0 = Date.now();
  for (const { name, bytes } of fixtures) {
    for (let seed = 1; seed <= 25; seed++) {
      const rnd = xorshift32(seed * 7919 + bytes.length);
      const m = bytes.slice();
      const flips = 1 + Math.floor(rnd() * 16);
      for (let i = 0; i < flips; i++) {
        const at = rnd() < 0.3 ? Math.floor(rnd() * Math.min(m.length, 120)) : Math.floor(rnd() * m.length); // headers are dense early on
        m[at] = rnd() < 0.5 ? Math.floor(rnd() * 256) : m[at] ^ (1 << Math.floor(rnd() * 8));
      }
      runHostile(m, `${name} seed ${seed}`);
    }
  }
  assert.ok(Date.now() - t0 < 8000, "mutation run took too long");
});

test("length fields claiming gigabytes: no allocation beyond the input", () => {
  const { bytes } = fixtures.find((f) => f.name === "tls13-x25519-aes128gcm-dsb.pcapng")!;
  const shbLen = new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true);
  for (const at of [4, shbLen + 4]) {
    const m = bytes.slice();
    new DataView(m.buffer).setUint32(at, 0xfffffff0, true);
    const r = runHostile(m, `pcapng total length at ${at}`);
    assert.ok(r.errors >= 1);
  }
  const pcap = fixtures.find((f) => f.name === "tls13-x25519-aes128gcm.pcap")!.bytes.slice();
  new DataView(pcap.buffer).setUint32(24 + 8, 0x7ffffff0, true); // first record's incl_len
  new DataView(pcap.buffer).setUint32(16, 0xffffffff, true); // snaplen: no limit
  const errors: string[] = [];
  readCaptureBytes(pcap, { packet() {}, error: (e) => errors.push(e.message) });
  assert.match(errors[0], /file truncated in packet 1: record needs 2147483648 bytes/);
});

test("fast-check: arbitrary bytes behind a valid header never throw", () => {
  const headers = [fixtures[0].bytes.subarray(0, 24), fixtures.find((f) => f.name.endsWith(".pcapng"))!.bytes.subarray(0, 28)];
  fc.assert(
    fc.property(fc.constantFrom(...headers), fc.uint8Array({ maxLength: 600 }), (head, tail) => {
      const input = new Uint8Array(head.length + tail.length);
      input.set(head);
      input.set(tail, head.length);
      runHostile(input, "fast-check");
    }),
    { numRuns: 400, seed: 42 },
  );
});
