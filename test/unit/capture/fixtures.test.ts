/**
 * Every real capture in ../shared/fixtures against tshark's oracle: packet count, TCP streams (order and
 * endpoints), bytes per direction (= the TLS records tshark saw), and the frame where each record completed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { FIXTURES, fixtureCaptures, run } from "./build";
import { readCapture } from "../../../src/capture/readFile";

interface OracleRecord {
  dir: "c2s" | "s2c";
  length: number;
  frame: number;
}
interface Oracle {
  file: { fileType: string; packets: number; decryptionSecrets: number };
  streams: { client: { ip: string; port: number }; server: { ip: string; port: number }; records: OracleRecord[] }[];
}

function oracleFor(capture: string): Oracle {
  const base = capture.replace(/\.pcap(ng)?$/, "");
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, `${base}.tshark.json`), "utf8"));
}

const captures = fixtureCaptures();

test("fixtures exist", () => {
  assert.ok(captures.length >= 19, `found ${captures.length} captures in ${FIXTURES}`);
});

for (const name of captures) {
  test(`fixture ${name} matches tshark`, () => {
    const file = path.join(FIXTURES, name);
    const oracle = oracleFor(name);
    const rec = run(file);
    assert.equal(rec.info!.format, oracle.file.fileType);
    assert.equal(rec.info!.packets, oracle.file.packets);
    assert.deepEqual(rec.errors, []);
    assert.deepEqual(rec.captureErrors, []);
    assert.equal(rec.secrets.length, oracle.file.decryptionSecrets);
    assert.equal(rec.conns.length, oracle.streams.length);
    oracle.streams.forEach((s, i) => {
      const c = rec.conns[i];
      assert.equal(c.id, i);
      assert.deepEqual({ ip: c.a.ip, port: c.a.port }, s.client);
      assert.deepEqual({ ip: c.b.ip, port: c.b.port }, s.server);
      assert.equal(c.synSeen, true);
      for (const [dirName, dir] of [
        ["c2s", 0],
        ["s2c", 1],
      ] as const) {
        const records = s.records.filter((r) => r.dir === dirName);
        const bytes = rec.bytes.get(`${i}:${dir}`) ?? [];
        assert.equal(
          bytes.length,
          records.reduce((n, r) => n + 5 + r.length, 0),
          `stream ${i} ${dirName} byte count`,
        );
        if (records.length) assert.ok([0x14, 0x15, 0x16].includes(bytes[0]), `stream ${i} ${dirName} starts with a TLS record`);
        // The frame that delivered each record's last byte is the frame tshark names for the record.
        const chunks = rec.dataFrames.filter((d) => d.id === i && d.dir === dir);
        let off = 0;
        let k = 0;
        let chunkEnd = chunks.length ? chunks[0].len : 0;
        for (const r of records) {
          off += 5 + r.length;
          while (chunkEnd < off) chunkEnd += chunks[++k].len;
          assert.equal(chunks[k].frame, r.frame, `stream ${i} ${dirName} record ending at ${off}`);
        }
      }
    });
    assert.equal(rec.gaps.length, 0);
    assert.equal(rec.closed.length, rec.conns.length);
  });
}

test("DSB pcapng yields its TLS key log", () => {
  const rec = run(path.join(FIXTURES, "tls13-x25519-aes128gcm-dsb.pcapng"));
  assert.equal(rec.secrets.length, 1);
  const s = rec.secrets[0];
  assert.equal(s.secretsType, 0x544c534b);
  assert.equal(s.beforeFrame, 1);
  const keylog = fs.readFileSync(path.join(FIXTURES, "tls13-x25519-aes128gcm.keylog"));
  assert.deepEqual(Buffer.from(s.data).toString("utf8").trim(), keylog.toString("utf8").trim());
});

test("readCapture and in-memory reading agree on every fixture", async () => {
  const { readCaptureBytes } = await import("../../../src/capture/readFile");
  for (const name of captures) {
    const file = path.join(FIXTURES, name);
    const a: string[] = [];
    const b: string[] = [];
    const sink = (out: string[]) => ({
      packet: (f: number, lt: number, buf: Uint8Array, off: number, len: number, ts: number) =>
        out.push(
          `${f} ${lt} ${len} ${ts} ${Buffer.from(buf.subarray(off, off + len))
            .toString("hex")
            .slice(0, 64)}`,
        ),
      error: (e: unknown) => out.push(`error ${JSON.stringify(e)}`),
    });
    readCapture(file, sink(a));
    readCaptureBytes(fs.readFileSync(file), sink(b));
    assert.deepEqual(a, b, name);
  }
});
