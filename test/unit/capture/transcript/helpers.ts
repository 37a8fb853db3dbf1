/** Shared helpers of the transcript tests. */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Transcript } from "../../../../src/capture/transcript";
import type { TranscriptSink, ProtectedRecord } from "../../../../src/capture/transcript";
import type { TcpConnection, TcpDir } from "../../../../src/capture/types";
import { concatBytes } from "../../../../src/tls/bytes";

export const ROOT = path.resolve(__dirname, "../../../..");
export const FIXTURES = path.resolve(ROOT, "../shared/fixtures");
export const SAMPLES = path.join(ROOT, "samples");

export const fixtureText = (name: string) => fs.readFileSync(path.join(FIXTURES, name), "utf8");
export const sampleText = (name: string) => fs.readFileSync(path.join(SAMPLES, name), "utf8");

export const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/**
 * Every structural promise a parsed transcript makes, whatever the input: diagnostics inside the text, one
 * position per byte, each pointing at two hex digits that spell that byte (or, for the bytes a reader adds, at
 * least inside the text), blocks in line order.
 */
export function assertWellFormed(text: string, t: Transcript, exactBytes = true): void {
  const lines = text.replace(/^\ufeff/, "").split(/\r?\n/);
  for (const d of t.diagnostics) {
    assert.ok(d.line >= 0 && d.line < lines.length, `diagnostic line ${d.line} of ${lines.length}: ${d.message}`);
    assert.ok(d.column >= 0 && d.endColumn > d.column, `diagnostic columns ${d.column}-${d.endColumn}`);
    assert.ok(d.column <= lines[d.line].length + 1, `diagnostic column ${d.column} beyond line ${d.line} (${lines[d.line].length})`);
  }
  let prevLine = -1;
  for (const b of t.blocks) {
    assert.ok(b.line >= prevLine, "blocks in line order");
    prevLine = b.line;
    assert.ok(b.endLine >= b.line && b.endLine < lines.length);
    assert.equal(b.byteRanges.line.length, b.bytes.length);
    assert.equal(b.byteRanges.column.length, b.bytes.length);
    for (let i = 0; i < b.bytes.length; i++) {
      const l = b.byteRanges.line[i];
      const c = b.byteRanges.column[i];
      assert.ok(l < lines.length);
      if (exactBytes) assert.equal(parseInt(lines[l].slice(c, c + 2), 16), b.bytes[i], `byte ${i} of block at line ${b.line}`);
    }
  }
}

export interface Recorded {
  opened: TcpConnection[];
  data: { dir: TcpDir; bytes: Uint8Array; frame: number }[];
  protectedRecords: { dir: TcpDir; rec: ProtectedRecord; frame: number }[];
  closed: number[];
}

export function recordingSink(withProtected: boolean): { sink: TranscriptSink; got: Recorded } {
  const got: Recorded = { opened: [], data: [], protectedRecords: [], closed: [] };
  const sink: TranscriptSink = {
    open: (c) => void got.opened.push(c),
    data: (_c, dir, bytes, frame) => void got.data.push({ dir, bytes: bytes.slice(), frame }),
    gap: () => assert.fail("no gaps in a transcript"),
    close: (_c, frame) => void got.closed.push(frame),
    error: (e) => assert.fail(e.message),
  };
  if (withProtected) {
    sink.protectedRecord = (_c, dir, rec, frame) =>
      void got.protectedRecords.push({ dir, rec: { ...rec, plaintext: rec.plaintext && rec.plaintext.slice() }, frame });
  }
  return { sink, got };
}

/** The handshake messages (dir, type, body length) in the TLS records of a byte stream of one direction. */
export function handshakeMessages(records: { type: number; body: Uint8Array }[]): { type: number; length: number }[] {
  const hs = concatBytes(...records.filter((r) => r.type === 22).map((r) => r.body));
  const out: { type: number; length: number }[] = [];
  for (let off = 0; off + 4 <= hs.length;) {
    const len = (hs[off + 1] << 16) | (hs[off + 2] << 8) | hs[off + 3];
    out.push({ type: hs[off], length: len });
    off += 4 + len;
  }
  return out;
}

/** Splits one direction's stream into records. */
export function splitRecords(stream: Uint8Array): { type: number; version: number; body: Uint8Array }[] {
  const out: { type: number; version: number; body: Uint8Array }[] = [];
  for (let off = 0; off + 5 <= stream.length;) {
    const len = (stream[off + 3] << 8) | stream[off + 4];
    out.push({ type: stream[off], version: (stream[off + 1] << 8) | stream[off + 2], body: stream.subarray(off + 5, off + 5 + len) });
    off += 5 + len;
  }
  return out;
}

/** Handshake type names → numbers as tshark's oracles name them (RFC 8446 names), from every fixture oracle. */
export function oracleHandshakeNames(): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of fs.readdirSync(FIXTURES).filter((n) => n.endsWith(".tshark.json"))) {
    const o = JSON.parse(fs.readFileSync(path.join(FIXTURES, f), "utf8"));
    for (const s of o.streams ?? []) for (const msg of s.messages ?? []) if (msg.name !== "HelloRetryRequest") m.set(msg.name, msg.type);
  }
  return m;
}
