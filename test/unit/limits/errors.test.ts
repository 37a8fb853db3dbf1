/**
 * Located errors per capture: a hostile file can make every packet an error, so the list the model keeps must be
 * bounded (as transcript diagnostics are, MAX_DIAGNOSTICS) rather than grow with the packet count.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { inspectBytes } from "../../../src/inspect/inspect";
import { MiB, ms, retained } from "./helpers";

/** A pcap (Ethernet) of `n` one-byte packets: each is a truncated link header, a located error. */
function truncatedPackets(n: number): Uint8Array {
  const b = new Uint8Array(24 + n * 17);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, 0xa1b2c3d4, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setUint32(16, 65535, true);
  dv.setUint32(20, 1, true);
  for (let i = 0; i < n; i++) {
    dv.setUint32(24 + i * 17 + 8, 1, true);
    dv.setUint32(24 + i * 17 + 12, 1, true);
  }
  return b;
}

test("100k malformed packets: linear time, every packet read", () => {
  const bytes = truncatedPackets(100_000);
  let packets = 0;
  const t = ms(() => {
    packets = inspectBytes(bytes, "truncated.pcap").input.packets;
  });
  assert.equal(packets, 100_000);
  assert.ok(t < 5000, `took ${t.toFixed(0)} ms`);
});

test("a million malformed packets: the error list stays bounded", {}, () => {
  const bytes = truncatedPackets(1_000_000);
  const { value: model, bytes: kept } = retained(() => inspectBytes(bytes, "truncated.pcap"));
  assert.ok(model.errors.length <= 10_000, `${model.errors.length} errors kept`);
  assert.ok(kept < 64 * MiB, `retained ${(kept / MiB).toFixed(1)} MiB for a ${(bytes.length / MiB).toFixed(1)} MiB file`);
});
