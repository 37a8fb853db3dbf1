/**
 * OpenSSL `s_client -msg` output: both fixtures read without errors, the reconstructed records carry the
 * handshake messages in the order OpenSSL printed them, protected records become `decrypted` blocks, and the
 * variations of the format (other s_client output, missing headers, cut dumps, wrong lengths) are located.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { detectTranscriptKind, parseOpensslMsg, transcriptStreams, type Transcript } from "../../../../src/capture/transcript";
import { assertWellFormed, fixtureText, handshakeMessages, oracleHandshakeNames, recordingSink, splitRecords } from "./helpers";
import { concatBytes } from "../../../../src/tls/bytes";

const FIXTURES = ["tls12-openssl-s_client.openssl-msg.txt", "tls13-openssl-s_client.openssl-msg.txt"];
const names = oracleHandshakeNames();

/** (dir, handshake type, length) in the order OpenSSL printed its Handshake lines. */
function printedHandshakes(text: string): { dir: 0 | 1; type: number; length: number }[] {
  const out: { dir: 0 | 1; type: number; length: number }[] = [];
  for (const line of text.split("\n")) {
    const m = /^(>>>|<<<) .*Handshake \[length ([0-9a-f]+)\], (\w+)/.exec(line);
    if (!m) continue;
    const type = names.get(m[3]);
    assert.ok(type !== undefined, `tshark's oracles name no message '${m[3]}'`);
    out.push({ dir: m[1] === ">>>" ? 0 : 1, type, length: parseInt(m[2], 16) - 4 });
  }
  return out;
}

/** (dir, type, length) of the handshake messages held by the blocks: plaintext records and decrypted content. */
function reconstructedHandshakes(t: Transcript): { dir: 0 | 1; type: number; length: number }[] {
  // Messages never interleave across directions within one block, so walk blocks in order per direction and
  // merge by the order of the blocks that complete each message.
  const out: { dir: 0 | 1; type: number; length: number; at: number }[] = [];
  for (const dir of [0, 1] as const) {
    const parts: { type: number; body: Uint8Array; at: number }[] = [];
    t.blocks.forEach((b, i) => {
      if (b.dir !== dir) return;
      if (b.kind === "record") for (const r of splitRecords(b.bytes)) parts.push({ ...r, at: i });
      if (b.kind === "decrypted") parts.push({ type: b.innerType!, body: b.bytes, at: i });
    });
    let consumed = 0;
    const msgs = handshakeMessages(parts);
    // The block in which each message starts, for the merge.
    const hsParts = parts.filter((p) => p.type === 22);
    let partIdx = 0;
    let partEnd = hsParts.length ? hsParts[0].body.length : 0;
    for (const m of msgs) {
      while (partIdx < hsParts.length - 1 && consumed >= partEnd) partEnd += hsParts[++partIdx].body.length;
      out.push({ dir, type: m.type, length: m.length, at: hsParts[partIdx].at });
      consumed += 4 + m.length;
    }
  }
  return out.sort((a, b) => a.at - b.at).map(({ dir, type, length }) => ({ dir, type, length }));
}

for (const name of FIXTURES) {
  test(`${name}: no diagnostics, records rebuilt, messages in OpenSSL's order`, () => {
    const text = fixtureText(name);
    assert.equal(detectTranscriptKind(text), "openssl-msg");
    const t = parseOpensslMsg(text);
    assert.deepEqual(t.diagnostics, []);
    assert.equal(t.kind, "openssl-msg");
    // One block per RecordHeader line, in order (frame = record number).
    const headerLines = text.split("\n").flatMap((l, i) => (/RecordHeader/.test(l) ? [i] : []));
    assert.deepEqual(
      t.blocks.map((b) => b.line),
      headerLines,
    );
    assert.deepEqual(
      t.blocks.map((b) => b.dir),
      headerLines.map((i) => (text.split("\n")[i].startsWith(">>>") ? 0 : 1)),
    );
    for (const b of t.blocks) {
      assert.ok(b.record);
      if (b.kind === "record") assert.equal(b.bytes.length, 5 + b.record.length, `record at line ${b.line}`);
      if (b.kind === "decrypted") assert.ok(b.bytes.length < b.record.length, "plaintext is shorter than the protected record");
      if (b.kind === "header-only") assert.equal(b.bytes.length, 5);
    }
    assert.deepEqual(reconstructedHandshakes(t), printedHandshakes(text));
    // Every byte position spells its byte, except the CCS body rebuilt from RFC 5246 §7.1 (it has no digits).
    const checkable = { ...t, blocks: t.blocks.filter((b) => !(b.record?.type === 20 && b.labels?.length === 0)) };
    assertWellFormed(text, checkable);
  });
}

test("TLS 1.3: the encrypted flight becomes decrypted blocks with the inner type; application data header-only", () => {
  const t = parseOpensslMsg(fixtureText("tls13-openssl-s_client.openssl-msg.txt"));
  const summary = t.blocks.map((b) => `${b.dir}:${b.kind}:${b.record!.type}:${b.innerType ?? "-"}:${(b.labels ?? []).join("+")}`);
  // The labels are OpenSSL's own words; the shape (which records are protected) follows RFC 8446 §5.
  assert.deepEqual(summary.slice(0, 10), [
    "0:record:22:-:ClientHello",
    "1:record:22:-:ServerHello",
    "1:record:20:-:",
    "1:decrypted:23:22:EncryptedExtensions",
    "1:decrypted:23:22:Certificate",
    "1:decrypted:23:22:CertificateVerify",
    "1:decrypted:23:22:Finished",
    "0:record:20:-:ChangeCipherSpec",
    "0:decrypted:23:22:Finished",
    "0:header-only:23:23:",
  ]);
  assert.equal(summary.at(-1), "0:decrypted:23:21:warning close_notify");
});

test("TLS 1.2: records after ChangeCipherSpec are decrypted blocks; the received CCS gets its body byte", () => {
  const t = parseOpensslMsg(fixtureText("tls12-openssl-s_client.openssl-msg.txt"));
  const kinds = t.blocks.map((b) => `${b.dir}:${b.kind}:${b.record!.type}`);
  assert.deepEqual(kinds.slice(6, 11), ["0:record:20", "0:decrypted:22", "1:record:22", "1:record:20", "1:decrypted:22"]);
  assert.deepEqual(Array.from(t.blocks[9].bytes), [0x14, 3, 3, 0, 1, 1]);
});

test("transcriptStreams: protected records go to protectedRecord when the sink has it, else are synthesized", () => {
  const t = parseOpensslMsg(fixtureText("tls13-openssl-s_client.openssl-msg.txt"));
  const a = recordingSink(true);
  transcriptStreams(t, a.sink);
  const frames = [...a.got.data.map((d) => d.frame), ...a.got.protectedRecords.map((p) => p.frame)].sort((x, y) => x - y);
  assert.deepEqual(
    frames,
    t.blocks.map((_, i) => i + 1),
  );
  const ee = a.got.protectedRecords[0];
  assert.deepEqual([ee.dir, ee.frame, ee.rec.type, ee.rec.innerType, ee.rec.length, ee.rec.plaintext![0]], [1, 4, 23, 22, 23, 8]);
  const appData = a.got.protectedRecords.find((p) => p.rec.innerType === 23)!;
  assert.equal(appData.rec.plaintext, null);

  // Fallback: plaintext records of the inner type, header-only records padded to their length.
  const b = recordingSink(false);
  transcriptStreams(t, b.sink);
  assert.equal(b.got.data.length, t.blocks.length);
  for (const dir of [0, 1] as const) {
    const stream = concatBytes(...b.got.data.filter((d) => d.dir === dir).map((d) => d.bytes));
    const records = splitRecords(stream);
    assert.equal(records.length, t.blocks.filter((x) => x.dir === dir).length, "the synthesized stream frames into one record per block");
  }
  const ee2 = b.got.data.find((d) => d.frame === 4)!;
  assert.deepEqual(Array.from(ee2.bytes.subarray(0, 5)), [22, 3, 3, 0, 6]);
  const ad = b.got.data.find((d) => d.frame === 10)!;
  assert.equal(ad.bytes.length, 5 + 35);
});

test("other s_client output is skipped; a message spanning two records is split back into them", () => {
  const text = [
    "CONNECTED(00000003)",
    "depth=0 CN = server.test",
    "<<< TLS 1.2, RecordHeader [length 0005]",
    "    16 03 03 00 06",
    "<<< TLS 1.2, RecordHeader [length 0005]",
    "    16 03 03 00 04",
    "<<< TLS 1.2, Handshake [length 000a], Certificate",
    "    0b 00 00 06 01 02 03 04 05 06",
    "---",
    "    Protocol  : TLSv1.2",
    "    0000 - 64 8b b5 d7 c7 fa",
  ].join("\n");
  const t = parseOpensslMsg(text);
  assert.deepEqual(t.diagnostics, []);
  assert.deepEqual(
    t.blocks.map((b) => [b.kind, Buffer.from(b.bytes).toString("hex"), b.line, b.endLine]),
    [
      ["record", "16030300060b0000060102", 2, 7],
      ["record", "160303000403040506", 4, 7],
    ],
  );
  assertWellFormed(text, t);
});

test("diagnostics: wrong [length], cut dumps, bad lines, content without a header", () => {
  const d = (text: string) => parseOpensslMsg(text).diagnostics.map((x) => [x.severity, x.line, x.column, x.endColumn]);
  // Fewer bytes than [length]: on the [length ...] text.
  assert.deepEqual(d(">>> TLS 1.2, RecordHeader [length 0005]\n    16 03 03 00\n"), [
    ["error", 0, 26, 39],
    ["error", 0, 0, 3],
  ]);
  // More hex after a complete block.
  assert.deepEqual(d(">>> TLS 1.2, RecordHeader [length 0005]\n    16 03 03 00 00\n    01\n")[0], ["error", 2, 0, 6]);
  // A dump cut by OpenSSL.
  assert.deepEqual(d(">>> TLS 1.2, RecordHeader [length 0005]\n    16 03 ...\n")[0], ["error", 1, 0, 13]);
  // An unrecognized message line.
  assert.deepEqual(d(">>> TLS 1.2 RecordHeader\n"), [["error", 0, 0, 24]]);
  // InnerContent without a record.
  assert.deepEqual(d("<<< TLS 1.3, InnerContent [length 0001]\n    16\n"), [["error", 0, 0, 3]]);
  // Content without a record header: reconstructed with a warning.
  const t = parseOpensslMsg(">>> TLS 1.2, Alert [length 0002], fatal handshake_failure\n    02 28\n");
  assert.deepEqual(
    t.diagnostics.map((x) => [x.severity, x.line]),
    [["warning", 0]],
  );
  assert.deepEqual(Array.from(t.blocks[0].bytes), [21, 3, 3, 0, 2, 2, 40]);
  // Content larger than the records announced: on the first byte that does not fit.
  assert.deepEqual(d(">>> TLS 1.2, RecordHeader [length 0005]\n    15 03 03 00 01\n>>> TLS 1.2, Alert [length 0002]\n    02 28\n"), [["error", 3, 7, 9]]);
  // A bad hex digit inside a dump ends the dump: located on the [length] that was not met.
  assert.equal(d(">>> TLS 1.2, RecordHeader [length 0005]\n    16 03 zz 00 00\n")[0][1], 0);
});

test("old OpenSSL record header lines ('???') are recognized by their 5-byte size", () => {
  const t = parseOpensslMsg(">>> ??? [length 0005]\n    15 03 01 00 02\n>>> TLS 1.0 Alert [length 0002], fatal handshake_failure\n    02 28\n");
  assert.deepEqual(t.diagnostics, []);
  assert.deepEqual(Array.from(t.blocks[0].bytes), [21, 3, 1, 0, 2, 2, 40]);
});
