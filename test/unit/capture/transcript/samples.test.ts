/**
 * The samples in samples/: the `.tlstrace` files hold exactly the TCP payload of the fixture captures they were
 * converted from (per direction), frame like tshark's records, carry the fixture's key log; the copies equal the
 * fixtures; and no truncation or mutation of any sample makes a reader throw or break its own invariants.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { readTcpStreams } from "../../../../src/capture/pipeline";
import { detectTranscriptKind, parseOpensslMsg, parseTranscript, transcriptStreams } from "../../../../src/capture/transcript";
import { assertWellFormed, FIXTURES, recordingSink, SAMPLES, sampleText, splitRecords } from "./helpers";
import { concatBytes } from "../../../../src/tls/bytes";
import { COPIED_SAMPLES } from "../../../../scripts/make-samples";
import { assertLinear } from "../../limits/helpers";

const CONVERTED = [
  { sample: "tls13-x25519.tlstrace", fixture: "tls13-x25519-aes128gcm" },
  { sample: "tls12-ecdhe-rsa.tlstrace", fixture: "tls12-ecdhe-rsa-aes128gcm" },
];

/** The TCP payload of the capture's first connection, per direction, as the capture layer reassembles it. */
function payload(pcap: string): { a: { ip: string; port: number }; b: { ip: string; port: number }; dirs: [Uint8Array, Uint8Array] } {
  const parts: [Uint8Array[], Uint8Array[]] = [[], []];
  type Ends = { a: { ip: string; port: number }; b: { ip: string; port: number } };
  let conn = null as Ends | null;
  readTcpStreams(pcap, {
    open: (c) => void (conn ??= { a: c.a, b: c.b }),
    data: (c, dir, data) => void (c.id === 0 && parts[dir].push(data.slice())),
    gap: () => assert.fail("gap"),
    close: () => {},
    error: (e) => assert.fail(e.message),
  });
  if (!conn) throw new Error("no connection");
  return { a: conn.a, b: conn.b, dirs: [concatBytes(...parts[0]), concatBytes(...parts[1])] };
}

for (const { sample, fixture } of CONVERTED) {
  test(`${sample} holds the TCP payload of ${fixture}.pcap`, () => {
    const text = sampleText(sample);
    assert.equal(detectTranscriptKind(text), "tlstrace");
    const t = parseTranscript(text);
    assert.deepEqual(t.diagnostics, []);
    assertWellFormed(text, t);
    const cap = payload(path.join(FIXTURES, `${fixture}.pcap`));
    assert.deepEqual(t.client, cap.a);
    assert.deepEqual(t.server, cap.b);
    for (const dir of [0, 1] as const) {
      const mine = concatBytes(...t.blocks.filter((b) => b.dir === dir).map((b) => b.bytes));
      assert.ok(Buffer.from(mine).equals(Buffer.from(cap.dirs[dir])), `direction ${dir}: ${mine.length} vs ${cap.dirs[dir].length} bytes`);
    }
    // One record per block, as tshark framed them (type and length, in order per direction).
    const oracle = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${fixture}.tshark.json`), "utf8")).streams[0];
    for (const [dir, name] of [
      [0, "c2s"],
      [1, "s2c"],
    ] as const) {
      const blocks = t.blocks.filter((b) => b.dir === dir);
      const expected = oracle.records.filter((r: { dir: string }) => r.dir === name).map((r: { type: number; length: number }) => [r.type, r.length]);
      assert.deepEqual(blocks.map((b) => splitRecords(b.bytes).map((r) => [r.type, r.body.length])).flat(), expected);
      assert.ok(blocks.every((b) => splitRecords(b.bytes).length === 1));
    }
    assert.equal(t.meta.sni, oracle.sni);
    // The key log lines are the fixture's (its comment lines left out).
    const keylog = fs
      .readFileSync(path.join(FIXTURES, `${fixture}.keylog`), "utf8")
      .split("\n")
      .filter((l) => l.trim() && !l.startsWith("#"));
    assert.equal(t.keylog, keylog.join("\n") + "\n");
    // Comments above the records name the messages tshark found (first record: the ClientHello).
    assert.match(text, /\n# ClientHello, \d+ bytes\n> 16 03 01/);
  });
}

test("the copied samples equal the fixtures", () => {
  for (const f of COPIED_SAMPLES) {
    assert.ok(fs.readFileSync(path.join(SAMPLES, f)).equals(fs.readFileSync(path.join(FIXTURES, f))), f);
  }
});

const TEXT_SAMPLES = [...CONVERTED.map((c) => c.sample), "tls12-openssl-s_client.openssl-msg.txt", "tls13-openssl-s_client.openssl-msg.txt"];

function readAny(text: string) {
  // Both readers on every input: each must cope with anything.
  const a = parseTranscript(text);
  const b = parseOpensslMsg(text);
  for (const t of [a, b]) {
    transcriptStreams(t, recordingSink(true).sink);
    transcriptStreams(t, recordingSink(false).sink);
  }
  return [a, b] as const;
}

test("truncating a sample anywhere never throws and keeps every invariant", () => {
  for (const name of TEXT_SAMPLES) {
    const text = sampleText(name);
    const step = Math.max(1, Math.floor(text.length / 400));
    for (let cut = 0; cut <= text.length; cut += step) {
      const part = text.slice(0, cut);
      const [a, b] = readAny(part);
      assertWellFormed(part, a);
      assertWellFormed(part, b, false);
    }
  }
});

test("property: random edits of a sample never make a reader throw", () => {
  const texts = TEXT_SAMPLES.map(sampleText);
  const edit = fc.record({
    which: fc.nat({ max: texts.length - 1 }),
    at: fc.nat(),
    del: fc.nat({ max: 40 }),
    insert: fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom(">", "<", "\n", "  ", "#", "handshake ", "zz", "0x", "[length ffff]", ">>> ", "\r\n", "\ufeff"),
    ),
  });
  fc.assert(
    fc.property(fc.array(edit, { minLength: 1, maxLength: 5 }), (edits) => {
      let text = texts[edits[0].which];
      for (const e of edits) {
        const at = e.at % (text.length + 1);
        text = text.slice(0, at) + e.insert + text.slice(at + e.del);
      }
      const [a, b] = readAny(text);
      assertWellFormed(text, a);
      assertWellFormed(text, b, false);
    }),
    { numRuns: 300 },
  );
});

test("a hostile transcript stays bounded: huge length fields and many header-only records", () => {
  const lines: string[] = [];
  for (let i = 0; i < 2000; i++) lines.push("<<< TLS 1.2, RecordHeader [length 0005]", "    17 03 03 ff ff");
  const t = parseOpensslMsg(lines.join("\n"));
  assert.equal(t.blocks.length, 2000);
  let total = 0;
  transcriptStreams(t, { ...recordingSink(false).sink, data: (_c, _d, bytes) => void (total += bytes.length) });
  assert.equal(total, 2000 * (5 + 0xffff));
});

test("large hostile texts are read in linear time", () => {
  // A long line that almost matches a message line, a long run of spaces, many records and contents: each size
  // is timed as its best of three, and 8 times the input must not cost anywhere near 64 times the time.
  const run = (n: number) => {
    parseOpensslMsg(">>> " + " ".repeat(25 * n) + "[length");
    parseTranscript("tls-transcript 1\n> " + "1".repeat(37 * n + 1) + "\n" + " ".repeat(25 * n) + "#\n");
    const msg: string[] = [];
    for (let i = 0; i < 2.5 * n; i++)
      msg.push(
        "<<< TLS 1.2, RecordHeader [length 0005]",
        "    14 03 03 00 01",
        ">>> TLS 1.2, RecordHeader [length 0005]",
        "    16 03 03 00 04",
        ">>> TLS 1.2, Handshake [length 0004], ServerHelloDone",
        "    0e 00 00 00",
      );
    const t = parseOpensslMsg(msg.join("\n"));
    assert.equal(t.blocks.length, 2 * Math.ceil(2.5 * n));
    const trace = ["tls-transcript 1"];
    for (let i = 0; i < 6 * n; i++) trace.push("> 16 03 03 00 04", "  0e 00 00 00", "< handshake 0e 00 00 00");
    assert.equal(parseTranscript(trace.join("\n")).blocks.length, 2 * 6 * n);
  };
  assertLinear("hostile transcripts", run, 1000);
});
