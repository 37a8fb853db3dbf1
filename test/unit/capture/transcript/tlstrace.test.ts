/**
 * The `.tlstrace` reader and writer: round trips, every diagnostic at its exact position, tolerance (case,
 * comments, CRLF, BOM, glued hex), bounded output, the sink contract, and format detection.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  detectTranscriptKind,
  frameAtLine,
  lineOfFrame,
  blockLines,
  bytePosition,
  MAX_DIAGNOSTICS,
  parseTranscript,
  transcriptStreams,
  writeTranscript,
  type TranscriptDiagnostic,
} from "../../../../src/capture/transcript";
import { assertWellFormed, recordingSink } from "./helpers";

const H = "tls-transcript 1\n";

/** The diagnostics of a text, as [severity, line, column, endColumn]. */
function where(text: string): [string, number, number, number][] {
  return parseTranscript(text).diagnostics.map((d: TranscriptDiagnostic) => [d.severity, d.line, d.column, d.endColumn]);
}

test("the example of the format reads as documented", () => {
  const text = [
    "tls-transcript 1                      # header",
    "# free comment",
    "client 127.0.0.1:51234",
    "server [::1]:4433",
    "sni example.com",
    `keylog CLIENT_RANDOM ${"ab".repeat(32)} ${"cd".repeat(48)}`,
    "> 16 03 01 00 05 01 00 00 01 ff   # a ClientHello-ish record",
    "  # a comment between continuation lines",
    "",
    "< 16030300 04 0e000000",
    "> handshake 14 00 00 02 AA BB",
  ].join("\n");
  const t = parseTranscript(text);
  assert.deepEqual(t.diagnostics, []);
  assert.equal(t.kind, "tlstrace");
  assert.equal(t.version, 1);
  assert.deepEqual(t.client, { ip: "127.0.0.1", port: 51234 });
  assert.deepEqual(t.server, { ip: "::1", port: 4433 });
  assert.deepEqual(t.meta, { sni: "example.com" });
  assert.equal(t.keylog, `CLIENT_RANDOM ${"ab".repeat(32)} ${"cd".repeat(48)}\n`);
  assert.deepEqual(
    t.blocks.map((b) => [b.dir, b.kind, b.line, b.endLine, Buffer.from(b.bytes).toString("hex")]),
    [
      [0, "record", 6, 6, "160301000501000001ff"],
      [1, "record", 9, 9, "16030300040e000000"],
      [0, "handshake", 10, 10, "14000002aabb"],
    ],
  );
  assertWellFormed(text, t);
  // Byte positions: the glued word "16030300" holds four bytes two columns apart.
  assert.deepEqual(bytePosition(t, 2, 2), { line: 9, column: 6 });
  assert.deepEqual(Array.from(blockLines(t)), [6, 9, 10]);
  assert.equal(lineOfFrame(t, 3), 10);
  assert.equal(frameAtLine(t, 6), 1);
  assert.equal(frameAtLine(t, 8), 0);
  assert.equal(frameAtLine(t, 10), 3);
});

test("continuation lines belong to the record above; comments and blank lines do not end it", () => {
  const t = parseTranscript(H + "> 16 03 03 00 04\n\n  # note\n\t01 02\n   03 04\n< 15 03 03 00 02 01 00\n");
  assert.deepEqual(t.diagnostics, []);
  assert.deepEqual(
    t.blocks.map((b) => [b.line, b.endLine, b.bytes.length]),
    [
      [1, 5, 9],
      [6, 6, 7],
    ],
  );
});

test("CRLF line ends, a byte-order mark and upper-case hex and keywords are accepted", () => {
  const text = "\ufeffTLS-Transcript 1\r\nCLIENT 10.0.0.1:1\r\n> 16 03 03 00 01 AB\r\n";
  const t = parseTranscript(text);
  assert.deepEqual(t.diagnostics, []);
  assert.equal(Buffer.from(t.blocks[0].bytes).toString("hex"), "16030300 01ab".replace(" ", ""));
  assert.deepEqual(bytePosition(t, 1, 5), { line: 2, column: 17 });
});

test("every diagnostic kind, at its exact position", () => {
  // Missing header: on the first significant line's first word.
  assert.deepEqual(where("# c\n> 16 03 03 00 00\n"), [["error", 1, 0, 1]]);
  // Unsupported version: on the number.
  assert.deepEqual(where("tls-transcript 2\n"), [["error", 0, 15, 16]]);
  // Malformed header.
  assert.deepEqual(where("tls-transcript one\n"), [["error", 0, 0, 18]]);
  // A second header.
  assert.deepEqual(where(H + "tls-transcript 1\n"), [["error", 1, 0, 16]]);
  // Not a hex digit: on the character.
  assert.deepEqual(where(H + "> 16 0g 03 03 00 00\n").slice(0, 1), [["error", 1, 6, 7]]);
  // Odd number of digits: on the word.
  assert.deepEqual(where(H + "> 16 030 03 03 00 00\n").slice(0, 1), [["error", 1, 5, 8]]);
  // '0x' prefixes are refused, on the word.
  assert.deepEqual(where(H + "> 0x16\n"), [
    ["error", 1, 2, 6],
    ["warning", 1, 0, 1],
  ]);
  // Unknown directions: on the token; its continuation lines are skipped silently.
  assert.deepEqual(where(H + "C> 16 03\n  00 01\n"), [["error", 1, 0, 2]]);
  assert.deepEqual(where(H + ">> 16 03\n"), [["error", 1, 0, 2]]);
  assert.deepEqual(where(H + "  <-\n"), [["error", 1, 2, 4]]);
  // Bytes outside any record.
  assert.deepEqual(where(H + "  16 03 03\n"), [["error", 1, 2, 10]]);
  // An indented line that is neither hex nor a keyword, outside a record.
  assert.deepEqual(where(H + "   hello there\n"), [["error", 1, 3, 14]]);
  // Unknown keywords are warnings, on the keyword; the line is ignored.
  assert.deepEqual(where(H + "cipher TLS_AES_128_GCM_SHA256\n"), [["warning", 1, 0, 6]]);
  // Hex continuing a record without indentation: taken, with a warning.
  const t = parseTranscript(H + "> 16 03 03 00 02\n01 00\n");
  assert.deepEqual(
    t.diagnostics.map((d) => [d.severity, d.line, d.column, d.endColumn]),
    [["warning", 2, 0, 2]],
  );
  assert.equal(t.blocks[0].bytes.length, 7);
  // A record line without bytes.
  assert.deepEqual(where(H + ">\n"), [["warning", 1, 0, 1]]);
});

test("keyword argument diagnostics are located on the argument", () => {
  assert.deepEqual(where(H + "client 1.2.3:4\n"), [["error", 1, 7, 14]]);
  assert.deepEqual(where(H + "server 127.0.0.1:70000\n"), [["error", 1, 7, 22]]);
  assert.deepEqual(where(H + "server ::1:443\n"), [["error", 1, 7, 14]]);
  assert.deepEqual(where(H + "client\n"), [["error", 1, 0, 6]]);
  assert.deepEqual(where(H + "client 1.1.1.1:1\nclient 1.1.1.1:2\n"), [["warning", 2, 0, 16]]);
  assert.deepEqual(where(H + `keylog CLIENT_RANDOM abcd ${"00".repeat(48)}\n`), [["error", 1, 21, 25]]);
  assert.deepEqual(where(H + `keylog CLIENT_RANDOM ${"ab".repeat(32)} 0g\n`), [["error", 1, 86, 88]]);
  assert.deepEqual(where(H + "keylog CLIENT_RANDOM\n"), [["error", 1, 0, 20]]);
  assert.deepEqual(where(H + "sni\n"), [["warning", 1, 0, 3]]);
  assert.deepEqual(where(H + "sni a\nsni b\n"), [["warning", 2, 0, 5]]);
  assert.deepEqual(parseTranscript(H + "sni a\nsni b\n").meta, { sni: "b" });
});

test("record framing warnings point at the bytes", () => {
  // Not a TLS record header: on its first byte.
  assert.deepEqual(where(H + "> 99 03 03 00 01 00\n"), [["warning", 1, 2, 4]]);
  // The direction ends inside a record: on the header's first byte.
  assert.deepEqual(where(H + "> 16 03 03 00 05 01\n"), [["warning", 1, 2, 4]]);
  assert.deepEqual(where(H + "< 16 03\n"), [["warning", 1, 2, 4]]);
  // A record larger than any record may be: on its length field.
  assert.deepEqual(where(H + "> 17 03 03 ff ff\n").slice(0, 1), [["warning", 1, 11, 13]]);
  // Records may span blocks of the same direction (converted from TCP segments): no warning.
  assert.deepEqual(where(H + "> 16 03 03\n< 16 03 03 00 00\n> 00 02 01\n> 02\n"), []);
  // A handshake message longer than its block: on its length field.
  assert.deepEqual(where(H + "> handshake 01 00 00 05 00\n"), [["warning", 1, 15, 23]]);
  // Bytes after the last message that cannot be a message header.
  assert.deepEqual(where(H + "> handshake 0e 00 00 00 01\n"), [["warning", 1, 24, 26]]);
  // A handshake block while a record of the same direction is unfinished.
  assert.deepEqual(where(H + "> 16 03 03 00 09\n> handshake 0e 00 00 00\n"), [["warning", 2, 0, 1]]);
});

test("diagnostics are bounded", () => {
  const text = H + "> " + "zz ".repeat(5000) + "\n";
  const t = parseTranscript(text);
  assert.equal(t.diagnostics.length, MAX_DIAGNOSTICS + 1);
  assert.match(t.diagnostics[MAX_DIAGNOSTICS].message, /more than/);
});

test("an empty text is an error, not an exception", () => {
  assert.deepEqual(where(""), [["error", 0, 0, 1]]);
  assert.deepEqual(parseTranscript("").blocks, []);
});

const endpoint = fc.oneof(
  fc.record({ ip: fc.ipV4(), port: fc.integer({ min: 0, max: 65535 }) }),
  fc.record({ ip: fc.constantFrom("::1", "fe80::1", "2001:db8::42"), port: fc.integer({ min: 0, max: 65535 }) }),
);
const keylogLine = fc
  .tuple(
    fc.constantFrom("CLIENT_RANDOM", "CLIENT_HANDSHAKE_TRAFFIC_SECRET", "EXPORTER_SECRET"),
    fc.uint8Array({ minLength: 32, maxLength: 32 }),
    fc.uint8Array({ minLength: 32, maxLength: 48 }),
  )
  .map(([l, r, s]) => `${l} ${Buffer.from(r).toString("hex")} ${Buffer.from(s).toString("hex")}`);

test("property: parseTranscript(writeTranscript(x)) gives back the records, endpoints and key log", () => {
  fc.assert(
    fc.property(
      fc.record({
        client: fc.option(endpoint, { nil: undefined }),
        server: fc.option(endpoint, { nil: undefined }),
        sni: fc.option(fc.domain(), { nil: undefined }),
        keylog: fc.array(keylogLine, { maxLength: 4 }),
        records: fc.array(
          fc.record({
            dir: fc.constantFrom(0 as const, 1 as const),
            bytes: fc.uint8Array({ maxLength: 80 }),
            comment: fc.option(fc.string(), { nil: undefined }),
          }),
          { maxLength: 8 },
        ),
      }),
      (x) => {
        const keylog = x.keylog.length ? x.keylog.join("\n") + "\n" : "";
        const text = writeTranscript({ ...x, keylog: "# a comment\n" + keylog });
        const t = parseTranscript(text);
        // Random bytes do not frame as records: framing warnings are expected, errors never.
        assert.deepEqual(
          t.diagnostics.filter((d) => d.severity === "error"),
          [],
        );
        assert.deepEqual(
          t.blocks.map((b) => ({ dir: b.dir, bytes: Buffer.from(b.bytes).toString("hex") })),
          x.records.map((r) => ({ dir: r.dir, bytes: Buffer.from(r.bytes).toString("hex") })),
        );
        assert.ok(t.blocks.every((b) => b.kind === "record"));
        // fast-check's records have a null prototype: compare plain copies.
        assert.deepEqual(t.client, x.client && { ...x.client });
        assert.deepEqual(t.server, x.server && { ...x.server });
        assert.equal(t.keylog, keylog);
        if (x.sni !== undefined) assert.equal(t.meta.sni, x.sni);
        assertWellFormed(text, t);
        assert.equal(detectTranscriptKind(text), "tlstrace");
      },
    ),
    { numRuns: 300 },
  );
});

test("the writer's layout: comment above each record, 16 bytes per line, aligned continuation lines", () => {
  const text = writeTranscript({
    client: { ip: "127.0.0.1", port: 1 },
    server: { ip: "::1", port: 443 },
    sni: "a.test",
    keylog: `# header\nCLIENT_RANDOM ${"00".repeat(32)} ${"11".repeat(48)}\n`,
    records: [{ dir: 0, bytes: Uint8Array.from({ length: 17 }, (_, i) => i), comment: "ClientHello, 17 bytes\n# injected" }],
  });
  assert.equal(
    text,
    [
      "tls-transcript 1",
      "# written by TLS Handshake Explorer",
      "client 127.0.0.1:1",
      "server [::1]:443",
      "sni a.test",
      `keylog CLIENT_RANDOM ${"00".repeat(32)} ${"11".repeat(48)}`,
      "",
      "# ClientHello, 17 bytes injected",
      "> 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f",
      "  10",
      "",
    ].join("\n"),
  );
});

test("transcriptStreams: one connection, client = initiator, frame = block number, handshake blocks wrapped", () => {
  const t = parseTranscript(H + "client 10.0.0.1:5\n> 16 03 03 00 01 01\n< handshake 02 00 00 00\n> 15 03 03 00 02 01 00\n");
  const { sink, got } = recordingSink(false);
  transcriptStreams(t, sink);
  assert.equal(got.opened.length, 1);
  const c = got.opened[0];
  assert.deepEqual([c.id, c.a, c.b, c.synSeen, c.firstFrame, c.lastFrame], [0, { ip: "10.0.0.1", port: 5 }, { ip: "0.0.0.0", port: 0 }, true, 1, 3]);
  assert.deepEqual(
    got.data.map((d) => [d.dir, Buffer.from(d.bytes).toString("hex"), d.frame]),
    [
      [0, "160303000101", 1],
      [1, "160303000402000000", 2],
      [0, "15030300020100", 3],
    ],
  );
  assert.deepEqual(got.closed, [3]);
});

test("transcriptStreams splits a long handshake block into records of at most 2^14 bytes", () => {
  const body = new Uint8Array(20000);
  body[0] = 11;
  body[1] = (19996 >> 16) & 0xff;
  body[2] = (19996 >> 8) & 0xff;
  body[3] = 19996 & 0xff;
  const text = writeTranscript({ records: [] }) + "> handshake " + Buffer.from(body).toString("hex") + "\n";
  const t = parseTranscript(text);
  assert.deepEqual(t.diagnostics, []);
  const { sink, got } = recordingSink(false);
  transcriptStreams(t, sink);
  const out = got.data[0].bytes;
  assert.equal(out.length, 20000 + 10);
  assert.deepEqual(Array.from(out.subarray(0, 5)), [22, 3, 3, 0x40, 0x00]);
  assert.deepEqual(Array.from(out.subarray(5 + 16384, 10 + 16384)), [22, 3, 3, (20000 - 16384) >> 8, (20000 - 16384) & 0xff]);
});

test("detectTranscriptKind", () => {
  assert.equal(detectTranscriptKind("# comment\n\n  tls-transcript 1\n"), "tlstrace");
  assert.equal(detectTranscriptKind("CONNECTED(00000003)\n>>> TLS 1.0, RecordHeader [length 0005]\n    16 03 01 00 05\n"), "openssl-msg");
  assert.equal(detectTranscriptKind("hello\ntls-transcript 1\n"), null);
  assert.equal(detectTranscriptKind(""), null);
  assert.equal(detectTranscriptKind("\u0000\u0001binary"), null);
});
