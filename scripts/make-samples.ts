/**
 * Makes the `.tlstrace` samples in samples/ by converting real captures from the shared fixtures (never by hand):
 * the capture layer reassembles each TCP direction, the bytes are cut into TLS records (RFC 8446 §5.1 framing),
 * and `writeTranscript` writes them with the fixture's key log. Each record's comment names its content from
 * tshark's oracle (`NAME.tshark.json`), matched to the records in order per direction. Also copies the fixture
 * files the product demo needs. Run: `npx tsx scripts/make-samples.ts` (reads ../shared/fixtures).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { readTcpStreams } from "../src/capture/pipeline";
import { parseTranscript, writeTranscript } from "../src/capture/transcript";
import type { TcpConnection, TcpDir } from "../src/capture/types";

const root = path.resolve(__dirname, "..");
const fixtures = path.resolve(root, "../shared/fixtures");
const samples = path.join(root, "samples");

/** Fixtures copied into samples/ byte for byte (the test holds them equal). */
export const COPIED_SAMPLES = [
  "tls12-openssl-s_client.openssl-msg.txt",
  "tls13-openssl-s_client.openssl-msg.txt",
  "tls13-x25519-aes128gcm.pcap",
  "tls13-x25519-aes128gcm.keylog",
  "tls12-ecdhe-rsa-aes128gcm.pcap",
  "tls12-ecdhe-rsa-aes128gcm.keylog",
];

interface OracleRecord {
  dir: "c2s" | "s2c";
  type: number;
  length: number;
  frame: number;
  encrypted: boolean;
  innerType?: number;
}
interface OracleMessage {
  dir: "c2s" | "s2c";
  type: number;
  name: string;
  frame: number;
  encrypted: boolean;
}
interface OracleAlert {
  dir: "c2s" | "s2c";
  level: number | null;
  description: number | null;
  encrypted: boolean;
}
interface OracleStream {
  sni: string | null;
  records: OracleRecord[];
  messages: OracleMessage[];
  alerts: OracleAlert[];
}

interface WireRecord {
  dir: TcpDir;
  bytes: Uint8Array;
}

/** The TLS records of connection 0, in the order their last byte arrived. */
export function captureRecords(pcap: string): { conn: TcpConnection; records: WireRecord[]; streams: [Uint8Array, Uint8Array] } {
  let conn: TcpConnection | null = null;
  const pending: [number[], number[]] = [[], []];
  const whole: [number[], number[]] = [[], []];
  const records: WireRecord[] = [];
  const errors: string[] = [];
  readTcpStreams(pcap, {
    open(c) {
      conn ??= c;
    },
    data(c, dir, data) {
      if (c !== conn) return;
      const buf = pending[dir];
      for (const b of data) {
        buf.push(b);
        whole[dir].push(b);
      }
      // Cut every complete record (5-byte header + length) off the front.
      while (buf.length >= 5 && buf.length >= 5 + ((buf[3] << 8) | buf[4])) {
        const n = 5 + ((buf[3] << 8) | buf[4]);
        records.push({ dir, bytes: Uint8Array.from(buf.splice(0, n)) });
      }
    },
    gap(_c, dir, bytes) {
      errors.push(`gap of ${bytes} bytes in direction ${dir}`);
    },
    close() {},
    error(e) {
      errors.push(e.message);
    },
  });
  if (!conn) throw new Error(`${pcap}: no TCP connection`);
  if (errors.length || pending[0].length || pending[1].length)
    throw new Error(`${pcap}: ${errors.join("; ")} (left over: ${pending[0].length}/${pending[1].length})`);
  return { conn, records, streams: [Uint8Array.from(whole[0]), Uint8Array.from(whole[1])] };
}

/** "Name, N bytes" comments from the oracle, per record in order of `records`. */
function comments(records: WireRecord[], oracle: OracleStream): string[] {
  const dirName = (d: TcpDir) => (d === 0 ? "c2s" : "s2c");
  const out: string[] = [];
  for (const dir of [0, 1] as const) {
    const mine = records.map((r, i) => ({ r, i })).filter((x) => x.r.dir === dir);
    const theirs = oracle.records.filter((r) => r.dir === dirName(dir));
    if (mine.length !== theirs.length) throw new Error(`${dirName(dir)}: ${mine.length} records, tshark saw ${theirs.length}`);
    const plainMsgs = oracle.messages.filter((m) => m.dir === dirName(dir) && !m.encrypted);
    const encMsgs = oracle.messages.filter((m) => m.dir === dirName(dir) && m.encrypted);
    const alerts = oracle.alerts.filter((a) => a.dir === dirName(dir));
    const isEncHs = (o: OracleRecord) => o.encrypted && (o.innerType ?? o.type) === 22;
    const encHsRecords = theirs.filter(isEncHs);
    // One encrypted message per encrypted handshake record when the counts agree (OpenSSL, GnuTLS); else by frame.
    const oneEach = encHsRecords.length === encMsgs.length;
    let plainIdx = 0;
    let encIdx = 0;
    let alertIdx = 0;
    mine.forEach(({ r, i }, k) => {
      const o = theirs[k];
      if (o.type !== r.bytes[0] || o.length !== r.bytes.length - 5) throw new Error(`record ${i}: type/length differ from tshark's`);
      const content = o.innerType ?? o.type;
      let what: string;
      if (o.type === 22 && !o.encrypted) {
        // Plaintext: the messages whose headers start in this record, named by tshark in order.
        const names: string[] = [];
        for (let off = 5; off + 4 <= r.bytes.length; off += 4 + ((r.bytes[off + 1] << 16) | (r.bytes[off + 2] << 8) | r.bytes[off + 3])) {
          const m = plainMsgs[plainIdx++];
          names.push(m && m.type === r.bytes[off] ? m.name : `handshake type ${r.bytes[off]}`);
        }
        what = names.join(" + ");
      } else if (isEncHs(o)) {
        const names = oneEach ? [encMsgs[encIdx++]?.name] : encMsgs.filter((m) => m.frame === o.frame).map((m) => m.name);
        what = `${names.join(" + ")} (encrypted)`;
      } else if (content === 20) {
        what = "ChangeCipherSpec";
      } else if (content === 21) {
        const a = alerts[alertIdx++];
        const parts = [o.encrypted ? "encrypted" : "", a && a.level !== null ? `level ${a.level}, description ${a.description}` : ""].filter(Boolean);
        what = `Alert${parts.length ? ` (${parts.join("; ")})` : ""}`;
      } else if (content === 23) {
        what = "ApplicationData (encrypted)";
      } else {
        what = `content type ${content}${o.encrypted ? " (encrypted)" : ""}`;
      }
      out[i] = `${what}, ${r.bytes.length} bytes`;
    });
  }
  return out;
}

function makeSample(fixture: string, sample: string): void {
  const pcap = path.join(fixtures, `${fixture}.pcap`);
  const keylog = fs.readFileSync(path.join(fixtures, `${fixture}.keylog`), "utf8");
  const oracle: OracleStream = JSON.parse(fs.readFileSync(path.join(fixtures, `${fixture}.tshark.json`), "utf8")).streams[0];
  const { conn, records } = captureRecords(pcap);
  const notes = comments(records, oracle);
  const text = writeTranscript({
    client: conn.a,
    server: conn.b,
    sni: oracle.sni ?? undefined,
    meta: { source: `converted from ${fixture}.pcap by scripts/make-samples.ts` },
    keylog,
    records: records.map((r, i) => ({ dir: r.dir, bytes: r.bytes, comment: notes[i] })),
  });
  // Check the round trip before writing anything.
  const back = parseTranscript(text);
  if (back.diagnostics.length) throw new Error(`${sample}: ${JSON.stringify(back.diagnostics)}`);
  if (back.blocks.length !== records.length || back.blocks.some((b, i) => Buffer.compare(Buffer.from(b.bytes), Buffer.from(records[i].bytes)) !== 0)) {
    throw new Error(`${sample}: round trip differs`);
  }
  fs.writeFileSync(path.join(samples, sample), text);
  console.log(`${sample}: ${records.length} records from ${fixture}.pcap`);
}

function main(): void {
  fs.mkdirSync(samples, { recursive: true });
  makeSample("tls13-x25519-aes128gcm", "tls13-x25519.tlstrace");
  makeSample("tls12-ecdhe-rsa-aes128gcm", "tls12-ecdhe-rsa.tlstrace");
  for (const f of COPIED_SAMPLES) {
    // Copy the bytes, not the mode: the shared fixtures are read-only, the samples are the project's own files.
    fs.writeFileSync(path.join(samples, f), fs.readFileSync(path.join(fixtures, f)));
    console.log(`${f}: copied`);
  }
}

if (require.main === module) main();
