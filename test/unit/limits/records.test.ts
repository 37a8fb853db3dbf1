/**
 * Record-layer bounds: a record may claim at most 2^14 + 2048 bytes (RFC 5246 §6.2.3, src/tls/record.ts), the
 * model lists at most LIMITS.maxRecordsPerConnection records, and a million zero-length records cost linear time
 * and bounded memory — through the splitter alone and through the whole TLS connection.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { MAX_RECORD_LENGTH } from "../../../src/tls/record";
import { RecordSplitter, type RecordSink } from "../../../src/tls/recordSplitter";
import { LIMITS, TlsConnection } from "../../../src/inspect/tlsConnection";
import { assertLinear, fakeTcp, MiB, ms, record, retained } from "./helpers";

function splitterSink(): RecordSink & { records: number; problems: string[]; lengths: number[] } {
  const s = {
    records: 0,
    problems: [] as string[],
    lengths: [] as number[],
    wantFragment: () => true,
    record(_t: number, _v: number, length: number, fragment: Uint8Array | null) {
      s.records++;
      s.lengths.push(fragment ? fragment.length : -1);
      assert.equal(fragment?.length, length);
    },
    invalid(reason: string) {
      s.problems.push(reason);
    },
  };
  return s;
}

function header(type: number, length: number): Uint8Array {
  return Uint8Array.of(type, 3, 3, length >> 8, length & 0xff);
}

test("a record of 2^14 + 2048 bytes is framed; one byte more is a framing error", () => {
  assert.equal(MAX_RECORD_LENGTH, (1 << 14) + 2048);
  const ok = splitterSink();
  const sp = new RecordSplitter(ok);
  sp.push(header(23, MAX_RECORD_LENGTH), 1);
  sp.push(new Uint8Array(MAX_RECORD_LENGTH), 2);
  assert.deepEqual(ok.lengths, [MAX_RECORD_LENGTH]);
  assert.equal(ok.problems.length, 0);

  const bad = splitterSink();
  const sp2 = new RecordSplitter(bad);
  sp2.push(header(23, MAX_RECORD_LENGTH + 1), 1);
  sp2.push(new Uint8Array(MAX_RECORD_LENGTH + 1), 2);
  assert.equal(bad.records, 0);
  assert.equal(bad.problems.length, 1);
  assert.match(bad.problems[0], /exceeds 2\^14 \+ 2048/);
  assert.ok(sp2.dead);
});

test("a record split across pushes reserves at most its declared, bounded length", () => {
  const { bytes } = retained(() => {
    const sps: RecordSplitter[] = [];
    for (let i = 0; i < 1000; i++) {
      const sp = new RecordSplitter(splitterSink());
      sp.push(header(22, MAX_RECORD_LENGTH), 1);
      sp.push(Uint8Array.of(1), 2); // one byte of the body: assembly starts
      sps.push(sp);
    }
    return sps;
  });
  // Each pending fragment is assembled in a buffer of its declared length, itself at most 2^14 + 2048 bytes:
  // 1000 of them hold ~18 MiB whatever the input claims.
  assert.ok(bytes < 24 * MiB, `1000 pending records retain ${(bytes / MiB).toFixed(1)} MiB`);
});

test("a million zero-length records through the splitter: linear time", () => {
  const run = (n: number) => {
    const stream = new Uint8Array(5 * n);
    const h = header(22, 0);
    for (let i = 0; i < n; i++) stream.set(h, 5 * i);
    const s = splitterSink();
    new RecordSplitter(s).push(stream, 1);
    assert.equal(s.records, n);
  };
  const t = ms(() => run(1_000_000));
  assert.ok(t < 5000, `a million records took ${t.toFixed(0)} ms`);
  assertLinear("zero-length records", run, 100_000);
});

test("one maximal record pushed a byte at a time: linear time, one fragment", () => {
  const s = splitterSink();
  const sp = new RecordSplitter(s);
  const t = ms(() => {
    const bytes = new Uint8Array(5 + MAX_RECORD_LENGTH);
    bytes.set(header(22, MAX_RECORD_LENGTH));
    for (let i = 0; i < bytes.length; i++) sp.push(bytes.subarray(i, i + 1), i + 1);
  });
  assert.deepEqual(s.lengths, [MAX_RECORD_LENGTH]);
  assert.ok(t < 2000, `${MAX_RECORD_LENGTH} one-byte pushes took ${t.toFixed(0)} ms`);
});

/** A million zero-length records of `type` after a ClientHello record, through TlsConnection (detail full). */
function millionZeroRecords(type: number) {
  const n = 1_000_000;
  const stream = new Uint8Array(5 * n);
  const zero = record(type, new Uint8Array(0));
  for (let i = 0; i < n; i++) stream.set(zero, 5 * i);
  let time = 0;
  const { value: conn, bytes } = retained(() => {
    const c = new TlsConnection(fakeTcp(), { detail: "full" });
    time = ms(() => {
      c.data(0, record(22, Uint8Array.of(1, 0, 0, 0)), 1);
      c.data(0, stream, 2);
      c.close(3);
    });
    return c;
  });
  return { conn, bytes, time, input: stream.length };
}

for (const [type, name] of [
  [20, "change_cipher_spec"],
  [22, "handshake"],
  [23, "application_data"],
  [24, "heartbeat"],
] as const) {
  test(`a million zero-length ${name} records in one connection: listed up to the bound, bounded memory`, () => {
    const { conn, bytes, time, input } = millionZeroRecords(type);
    assert.equal(conn.model.records.length, LIMITS.maxRecordsPerConnection);
    assert.ok(conn.model.errors.some((e) => e.message.includes(`more than ${LIMITS.maxRecordsPerConnection} records`)));
    assert.ok(conn.model.errors.length < 100, `${conn.model.errors.length} errors`);
    assert.ok(bytes < 64 * MiB, `retained ${(bytes / MiB).toFixed(1)} MiB for ${(input / MiB).toFixed(1)} MiB of records`);
    assert.ok(time < 10_000, `took ${time.toFixed(0)} ms`);
  });
}

test("a million zero-length alert records in one connection: bounded errors and memory", {}, () => {
  const { conn, bytes, time, input } = millionZeroRecords(21);
  assert.ok(conn.model.errors.length <= LIMITS.maxRecordsPerConnection, `${conn.model.errors.length} errors`);
  assert.ok(bytes < 64 * MiB, `retained ${(bytes / MiB).toFixed(1)} MiB for ${(input / MiB).toFixed(1)} MiB of records`);
  assert.ok(time < 10_000, `took ${time.toFixed(0)} ms`);
});

test("a million well-formed alert records in one connection: alerts listed up to a bound, bounded memory", {}, () => {
  const n = 1_000_000;
  const alert = record(21, Uint8Array.of(1, 0)); // warning, close_notify
  const stream = new Uint8Array(alert.length * n);
  for (let i = 0; i < n; i++) stream.set(alert, alert.length * i);
  const { value: conn, bytes } = retained(() => {
    const c = new TlsConnection(fakeTcp(), { detail: "summary" });
    c.data(0, record(22, Uint8Array.of(1, 0, 0, 0)), 1);
    c.data(0, stream, 2);
    c.close(3);
    return c;
  });
  assert.ok(conn.model.alerts.length <= LIMITS.maxRecordsPerConnection, `${conn.model.alerts.length} alerts kept`);
  assert.ok(bytes < 32 * MiB, `retained ${(bytes / MiB).toFixed(1)} MiB for ${(stream.length / MiB).toFixed(1)} MiB of records`);
});
