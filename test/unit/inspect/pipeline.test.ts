/**
 * The two-thread inspection (cli/pipelineInspect.ts) gives the document one thread gives: checked in-process on
 * every fixture capture (the framing log replayed batch by batch, with batches small enough that events fall on
 * every boundary), and through the CLI on a few.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { readTcpStreams } from "../../../src/capture/pipeline";
import { FramingWriter, replayFraming } from "../../../src/inspect/framingWire";
import { RecordFramer } from "../../../src/inspect/framer";
import { FramedInspection } from "../../../src/inspect/framedInspect";
import { inspectBytes, inspectFile } from "../../../src/inspect/inspect";
import { connectionText } from "../../../src/inspect/json";
import type { ConnectionModel, LocatedError } from "../../../src/model";
import { ACK, concat, ether, IP_A, IP_B, ipv4, pcap, PSH, SYN, tcp } from "../capture/build";
import { allMessages } from "../tls/handshake/messages";

const root = path.resolve(__dirname, "../../..");
const fixtures = path.resolve(root, "../shared/fixtures");
const captures = fs.readdirSync(fixtures).filter((n) => /\.pcap(ng)?$/.test(n));
/** TLS after a plaintext preamble (FoxIO's captures: HTTP CONNECT, SOCKS 4/4a/5): the framing thread holds it back. */
const preambleCaptures = ["https-connect.pcap", "socks-https-example.pcap"].map((n) => path.join(root, "test/fixtures/ja4/pcap", n));

function framed(file: string, detail: "summary" | "json", batchBytes: number) {
  const conns: ConnectionModel[] = [];
  const inspection = new FramedInspection(detail, (c) => conns.push(c));
  const errors: LocatedError[] = [];
  let batches = 0;
  const log = new FramingWriter((b) => {
    batches++;
    replayFraming(b, inspection);
  }, batchBytes);
  const info = readTcpStreams(file, new RecordFramer(log, (e) => errors.push(e), detail === "summary"));
  log.flush();
  return { conns, errors, info, batches };
}

test("framing on one side, decoding on the other: every fixture decodes as on one thread", () => {
  for (const f of [...captures, ...preambleCaptures]) {
    const file = path.resolve(fixtures, f);
    for (const detail of ["summary", "json"] as const) {
      const one = inspectFile(file, { detail });
      // A pcapng's Decryption Secrets Block gives one thread keys mid-file; the CLI keeps such files on one thread.
      if (one.connections.some((c) => c.decrypted)) continue;
      for (const batchBytes of [64, 1 << 20]) {
        const two = framed(file, detail, batchBytes);
        const where = `${f} ${detail} batches of ${batchBytes}`;
        assert.deepEqual(two.errors, one.errors, where);
        assert.equal(two.info.packets, one.input.packets, where);
        assert.deepEqual(
          two.conns.map((c) => connectionText(c, detail === "summary")),
          one.connections.map((c) => connectionText(c, detail === "summary")),
          where,
        );
        assert.deepEqual(
          two.conns.map((c) => c.appDataBytes),
          one.connections.map((c) => c.appDataBytes),
          `${where}: application data counted`,
        );
        if (batchBytes === 64 && one.connections.length) assert.ok(two.batches > 1, `${where}: several batches`);
      }
    }
  }
});

/** The capture's packets (classic pcap, little-endian as the fixtures are), to build damaged variants from. */
function pcapRecords(bytes: Uint8Array): { header: Uint8Array; records: Uint8Array[] } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: Uint8Array[] = [];
  for (let p = 24; p + 16 <= bytes.length && records.length < 100_000;) {
    const len = dv.getUint32(p + 8, true);
    records.push(bytes.slice(p, p + 16 + len));
    p += 16 + len;
  }
  return { header: bytes.subarray(0, 24), records };
}

/** Variants with gaps (dropped packets, packets cut short) and broken framing (flipped bytes). */
function damaged(bytes: Uint8Array): [string, Uint8Array][] {
  const { header, records } = pcapRecords(bytes);
  const out: [string, Uint8Array][] = [];
  for (const k of [3, 5, 7]) out.push([`every ${k}th packet dropped`, concat(header, ...records.filter((_, i) => i % k !== k - 1))]);
  out.push([
    "every 4th packet cut to 80 bytes",
    concat(
      header,
      ...records.map((r, i) => {
        if (i % 4 !== 3 || r.length <= 16 + 80) return r;
        const c = r.slice(0, 16 + 80);
        new DataView(c.buffer).setUint32(8, 80, true);
        return c;
      }),
    ),
  ]);
  out.push([
    "a byte flipped in every 6th packet",
    concat(
      header,
      ...records.map((r, i) => {
        if (i % 6 !== 5 || r.length < 16 + 70) return r;
        const c = r.slice();
        c[c.length - 1 - (i % (c.length - 16 - 60))] ^= 0x5a;
        return c;
      }),
    ),
  ]);
  return out;
}

test("damaged captures (gaps, lost framing) decode as on one thread", () => {
  let errors = 0;
  for (const f of [...captures.filter((n) => n.endsWith(".pcap")), ...preambleCaptures]) {
    for (const [what, bytes] of damaged(fs.readFileSync(path.resolve(fixtures, f)))) {
      for (const detail of ["summary", "json"] as const) {
        const one = inspectBytes(bytes, "x", { detail });
        const conns: ConnectionModel[] = [];
        const inspection = new FramedInspection(detail, (c) => conns.push(c));
        const capErrors: LocatedError[] = [];
        const log = new FramingWriter((b) => replayFraming(b, inspection), 256);
        readTcpStreams(bytes, new RecordFramer(log, (e) => capErrors.push(e), detail === "summary"));
        log.flush();
        const where = `${f}, ${what}, ${detail}`;
        assert.deepEqual(capErrors, one.errors, where);
        assert.deepEqual(
          conns.map((c) => connectionText(c, detail === "summary")),
          one.connections.map((c) => connectionText(c, detail === "summary")),
          where,
        );
        assert.deepEqual(
          conns.map((c) => c.appDataBytes),
          one.connections.map((c) => c.appDataBytes),
          `${where}: application data counted`,
        );
        errors += one.connections.reduce((n, c) => n + c.errors.length, 0);
      }
    }
  }
  assert.ok(errors > 100, `the variants carry connection errors (${errors})`);
});

test("a SYN seen after the connection opened reaches the decoder before the ClientHello it bears on", () => {
  // Mid-stream start: an ACK from port 443 opens the connection (that side is the TCP initiator), then a SYN from
  // the same side, then a ClientHello from the other. At the ClientHello one thread sees synSeen true and keeps the
  // SYN's sender as the client (without the SYN it would swap sides); the decoding thread must decide the same.
  const hello = allMessages().find((m) => m.raw[0] === 1)!.raw;
  const record = concat(Uint8Array.of(22, 3, 1, hello.length >> 8, hello.length & 0xff), hello);
  const S = { sport: 443, dport: 40000 };
  const C = { sport: 40000, dport: 443 };
  const bytes = pcap([
    { data: ether(ipv4(IP_B, IP_A, tcp({ ...S, seq: 5000, ack: 100, flags: ACK }))) },
    { data: ether(ipv4(IP_B, IP_A, tcp({ ...S, seq: 4999, flags: SYN }))) },
    { data: ether(ipv4(IP_A, IP_B, tcp({ ...C, seq: 100, ack: 5000, flags: ACK | PSH, payload: record }))) },
  ]);
  for (const detail of ["summary", "json"] as const) {
    const one = inspectBytes(bytes, "x", { detail });
    const conns: ConnectionModel[] = [];
    const inspection = new FramedInspection(detail, (c) => conns.push(c));
    const log = new FramingWriter((b) => replayFraming(b, inspection), 64);
    readTcpStreams(bytes, new RecordFramer(log, () => {}, detail === "summary"));
    log.flush();
    assert.equal(one.connections.length, 1);
    assert.equal(one.connections[0].client.port, 443, "the SYN's sender stays the client");
    assert.deepEqual(
      conns.map((c) => connectionText(c, detail === "summary")),
      one.connections.map((c) => connectionText(c, detail === "summary")),
    );
  }
});

/** The full model of a connection, as far as a view shows it (trees, records, messages, secrets), for comparing. */
const fullModel = (c: ConnectionModel) => JSON.stringify(c, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString("hex") : v));

test("with keys, and in full detail, the two-thread path decodes and decrypts as one thread", () => {
  let keyed = 0;
  for (const f of captures.filter((n) => n.endsWith(".pcap"))) {
    const file = path.resolve(fixtures, f);
    const keylogFile = file.replace(/\.pcap$/, ".keylog");
    const keylog = fs.existsSync(keylogFile) ? fs.readFileSync(keylogFile, "utf8") : undefined;
    for (const detail of ["summary", "json", "full"] as const) {
      const one = inspectFile(file, { detail, keylog });
      const conns: ConnectionModel[] = [];
      const inspection = new FramedInspection(detail, (c) => conns.push(c), { keylog });
      const errors: LocatedError[] = [];
      const log = new FramingWriter((b) => replayFraming(b, inspection), 4096);
      readTcpStreams(file, new RecordFramer(log, (e) => errors.push(e), detail === "summary", { keylog }));
      log.flush();
      const where = `${f} ${detail}${keylog ? " with keys" : ""}`;
      assert.deepEqual(errors, one.errors, where);
      if (detail === "full") {
        // Application data's record bytes do not cross without keys (no view reads them from the text path).
        if (keylog) assert.deepEqual(conns.map(fullModel), one.connections.map(fullModel), where);
        else
          assert.deepEqual(
            conns.map((c) => fullModel({ ...c, records: [] })),
            one.connections.map((c) => fullModel({ ...c, records: [] })),
            where,
          );
      } else {
        assert.deepEqual(
          conns.map((c) => connectionText(c, detail === "summary")),
          one.connections.map((c) => connectionText(c, detail === "summary")),
          where,
        );
      }
      if (keylog && one.connections.some((c) => c.decrypted)) keyed++;
    }
  }
  assert.ok(keyed > 10, `decrypted fixtures compared: ${keyed}`);
});

test("the CLI's two threads print what one thread prints", () => {
  const cliJs = path.join(root, "dist/cli.js");
  const cmd = fs.existsSync(cliJs) ? [cliJs] : ["--import", "tsx", path.join(root, "src/cli/main.ts")];
  const run = (args: string[]) => spawnSync(process.execPath, [...cmd, ...args], { cwd: root, encoding: "utf8", timeout: 60_000, maxBuffer: 1 << 28 });
  for (const f of ["concurrent-20.pcap", "tls12-ecdhe-rsa-aes128gcm.pcap", "damaged-truncated.pcap"].filter((n) => captures.includes(n))) {
    const keylog = path.join(fixtures, f.replace(/\.pcap$/, ".keylog"));
    const keys = fs.existsSync(keylog) ? [["--keylog", keylog]] : [];
    for (const mode of [["--summary"], ["--json"], [], ["--color", "always"], ...keys.map((k) => ["--json", ...k]), ...keys]) {
      const one = run(["inspect", path.join(fixtures, f), ...mode, "--threads", "1"]);
      const two = run(["inspect", path.join(fixtures, f), ...mode, "--threads", "2"]);
      assert.equal(two.status, one.status, `${f} ${mode}: ${two.stderr}`);
      assert.equal(two.stdout, one.stdout, `${f} ${mode}`);
    }
  }
});
