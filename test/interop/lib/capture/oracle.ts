/**
 * The oracle of a capture cell: tshark's decode of the capture (test/tools/tshark-oracle.py, the reduction the
 * shared fixtures' oracles were made with), and the comparison of `inspect --json --keylog` with it — every
 * connection, record, message (frame, length, fields), alert; every Finished verified; no error of ours.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import type { OracleStream } from "../../../support/tsharkOracle";

export type { OracleStream };

/**
 * A program's stdout, run asynchronously: cells run side by side, and a synchronous run would stop the others'
 * timers and pipes for its whole duration.
 */
function output(cmd: string, args: string[], timeout: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { encoding: "utf8", timeout, maxBuffer: 256 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${path.basename(cmd)} ${args.slice(0, 3).join(" ")}: ${err.message}\n${stderr.slice(-2000)}`));
      else resolve(stdout);
    });
  });
}

const root = path.resolve(__dirname, "../../../..");

export interface Oracle {
  packets: number;
  streams: OracleStream[];
  tsharkErrors?: string[];
  error?: string;
}

/** tshark's decode; `decodeAs` entries are "PORT,PROTO" (tshark's -d) for preamble protocols on free ports. */
export async function tsharkOracle(capture: string, keylog: string | null, decodeAs: string[] = []): Promise<Oracle> {
  const args = [path.join(root, "test/tools/tshark-oracle.py"), capture];
  if (keylog) args.push("--keylog", keylog);
  for (const d of decodeAs) args.push("--decode-as", d);
  const o = JSON.parse(await output("python3", args, 120_000)) as Oracle;
  if (o.error) throw new Error(`tshark-oracle.py: ${o.error}`);
  return o;
}

export interface OurConnection {
  id: number;
  client: { ip: string; port: number };
  server: { ip: string; port: number };
  version: number | null;
  cipherSuite: number | null;
  sni: string | null;
  alpn: string | null;
  decrypted: boolean;
  preamble: { protocol: string; target: string | null; c2sBytes: number; s2cBytes: number } | null;
  records: { dir: string; type: number; version: number; length: number; frame: number; encrypted: boolean; innerType?: number }[];
  messages: { dir: string; type: number; name: string; length: number; frame: number; encrypted: boolean; fields: Record<string, unknown> }[];
  alerts: { dir: string; level: number | null; description: number | null; frame: number; encrypted: boolean }[];
  errors: { frame?: number; message: string }[];
}

export interface OurDocument {
  input: { packets: number };
  connections: OurConnection[];
  errors: { message: string }[];
}

/** `inspect FILE --json [--keylog K]` through the built CLI (dist/cli.js: `npm run build` first). */
export async function inspectJson(capture: string, keylog: string | null): Promise<OurDocument> {
  const args = [path.join(root, "dist/cli.js"), "inspect", capture, "--json"];
  if (keylog) args.push("--keylog", keylog);
  return JSON.parse(await output(process.execPath, args, 120_000)) as OurDocument;
}

const key = (e: { ip: string; port: number }) => `${e.ip}:${e.port}`;

/**
 * Ours against tshark's, connection by connection (matched by the client's endpoint: tshark's stream numbers are
 * its own). Returns our connections in the oracle's order.
 */
export function compareWithTshark(
  ours: OurDocument,
  oracle: Oracle,
  where: string,
  opts: { relayed?: Map<string, string>; keyless?: boolean } = {},
): OurConnection[] {
  assert.equal(ours.input.packets, oracle.packets, `${where}: packets`);
  assert.deepEqual(ours.errors, [], `${where}: capture errors`);
  const tls = oracle.streams.filter((s) => s.records.length > 0);
  const byClient = new Map(ours.connections.map((c) => [key(c.client), c]));
  assert.deepEqual(ours.connections.map((c) => key(c.client)).sort(), tls.map((s) => key(s.client)).sort(), `${where}: the connections tshark finds TLS in`);
  const byStream = new Map(tls.map((s) => [key(s.client), s]));
  if (opts.keyless) assert.ok(!ours.connections.some((c) => c.decrypted), `${where}: nothing decrypted without keys`);
  return tls.map((want) => {
    const c = byClient.get(key(want.client))!;
    const w = `${where} ${key(want.client)}`;
    const relay = opts.relayed?.get(key(want.client));
    if (relay !== undefined) {
      const other = byStream.get(relay);
      assert.ok(other, `${w}: the relayed leg ${relay}`);
      compareRelayed(c, other, w);
      return c;
    }
    assert.deepEqual(c.server, want.server, `${w}: server`);
    assert.equal(c.version, want.version, `${w}: version`);
    assert.equal(c.cipherSuite, want.cipherSuite, `${w}: cipherSuite`);
    assert.equal(c.sni, want.sni, `${w}: sni`);
    assert.equal(c.alpn, want.alpn, `${w}: alpn`);
    assert.equal(c.decrypted, want.decrypted, `${w}: decrypted`);
    const head = (m: OracleStream["messages"][number]) => ({
      dir: m.dir,
      type: m.type,
      name: m.name,
      length: m.length,
      frame: m.frame,
      encrypted: m.encrypted,
    });
    assert.deepEqual(c.messages.map(head), want.messages.map(head), `${w}: messages`);
    want.messages.forEach((wm, i) => {
      const got = c.messages[i].fields ?? {};
      for (const [k, v] of Object.entries(wm.fields)) assert.deepEqual(got[k], v, `${w}: message ${i} (${wm.name}) field ${k}`);
    });
    if (c.decrypted) {
      for (const [i, m] of c.messages.entries()) if (m.name === "Finished") assert.equal(m.fields.verified, true, `${w}: message ${i} Finished verified`);
    }
    // tshark shows a decrypted TLS 1.3 record's real type only when it is not application_data.
    const recs = c.records.map((r) => {
      const o: Record<string, unknown> = { dir: r.dir, type: r.type, version: r.version, length: r.length, frame: r.frame, encrypted: r.encrypted };
      if (r.innerType !== undefined && r.innerType !== 23) o.innerType = r.innerType;
      return o;
    });
    // Without keys tshark marks a TLS 1.3 record protected only once it has decrypted it: there, framing is compared.
    const strip = (l: Record<string, unknown>[]) => (opts.keyless ? l.map(({ encrypted: _, ...r }) => r) : l);
    assert.deepEqual(strip(recs), strip(want.records), `${w}: records`);
    assert.deepEqual(
      c.alerts.map((a) => ({ dir: a.dir, level: a.level, description: a.description, frame: a.frame, encrypted: a.encrypted })),
      want.alerts.map((a) => ({ dir: a.dir, level: a.level, description: a.description, frame: a.frame, encrypted: a.encrypted })),
      `${w}: alerts`,
    );
    assert.deepEqual(c.errors, [], `${w}: errors`);
    return c;
  });
}

/**
 * A connection whose TLS a proxy relayed byte for byte, where tshark does not decrypt (4.0 does not follow a SOCKS
 * leg's keys): compared with tshark's decode of the relayed leg, which carries the same records and messages in
 * other packets — everything but the frames. (Its frames are checked without keys, where tshark reads it whole.)
 */
function compareRelayed(c: OurConnection, want: OracleStream, w: string): void {
  assert.equal(c.version, want.version, `${w}: version`);
  assert.equal(c.cipherSuite, want.cipherSuite, `${w}: cipherSuite`);
  assert.equal(c.sni, want.sni, `${w}: sni`);
  assert.equal(c.alpn, want.alpn, `${w}: alpn`);
  assert.equal(c.decrypted, want.decrypted, `${w}: decrypted`);
  // Each direction's sequence is the relayed one; how the two directions interleave depends on the relay's timing.
  for (const dir of ["c2s", "s2c"]) {
    const mine = c.messages.filter((m) => m.dir === dir);
    const theirs = want.messages.filter((m) => m.dir === dir);
    const head = (m: OracleStream["messages"][number], f: Record<string, unknown>) => ({
      type: m.type,
      name: m.name,
      length: m.length,
      encrypted: m.encrypted,
      fields: f,
    });
    assert.deepEqual(
      mine.map((m, i) => head(m, Object.fromEntries(Object.keys(theirs[i]?.fields ?? {}).map((k) => [k, m.fields[k]])))),
      theirs.map((m) => head(m, m.fields)),
      `${w}: ${dir} messages (as on the relayed leg)`,
    );
    const rec = (r: OracleStream["records"][number] | OurConnection["records"][number]) => {
      const o: Record<string, unknown> = { type: r.type, version: r.version, length: r.length, encrypted: r.encrypted };
      if (r.innerType !== undefined && r.innerType !== 23) o.innerType = r.innerType;
      return o;
    };
    assert.deepEqual(
      c.records.filter((r) => r.dir === dir).map(rec),
      want.records.filter((r) => r.dir === dir).map(rec),
      `${w}: ${dir} records (as on the relayed leg)`,
    );
    const alert = (a: OracleStream["alerts"][number]) => ({ level: a.level, description: a.description, encrypted: a.encrypted });
    assert.deepEqual(
      c.alerts.filter((a) => a.dir === dir).map(alert),
      want.alerts.filter((a) => a.dir === dir).map(alert),
      `${w}: ${dir} alerts (as on the relayed leg)`,
    );
  }
  for (const [i, m] of c.messages.entries()) if (m.name === "Finished") assert.equal(m.fields.verified, true, `${w}: message ${i} Finished verified`);
  assert.deepEqual(c.errors, [], `${w}: errors`);
}

/**
 * Plaintext bytes each side sent before its first TLS record, per connection (by client endpoint), from tshark's
 * per-packet fields: the TCP payload of every packet of that side before the first one tshark shows a TLS record in.
 */
export async function tsharkPreambleBytes(capture: string, decodeAs: string[]): Promise<Map<string, { c2s: number; s2c: number }>> {
  const args = ["-r", capture, "-n", "-o", "tcp.reassemble_out_of_order:TRUE"];
  for (const d of decodeAs) {
    const [port, proto] = d.split(",");
    args.push("-d", `tcp.port==${port},${proto}`);
  }
  args.push(
    "-T",
    "fields",
    "-E",
    "separator=/t",
    "-e",
    "tcp.stream",
    "-e",
    "ip.src",
    "-e",
    "tcp.srcport",
    "-e",
    "tcp.len",
    "-e",
    "tcp.flags.syn",
    "-e",
    "tls.record.content_type",
  );
  const stdout = await output("tshark", args, 60_000);
  const streams = new Map<string, { client: string | null; first: string; bytes: Map<string, number>; tls: Set<string> }>();
  for (const line of stdout.split("\n")) {
    const [stream, ip, port, len, syn, tlsType] = line.split("\t");
    if (!stream) continue;
    const from = `${ip}:${port}`;
    let s = streams.get(stream);
    if (!s) streams.set(stream, (s = { client: null, first: from, bytes: new Map(), tls: new Set() }));
    if (syn === "1" && s.client === null) s.client = from;
    if (tlsType) s.tls.add(from);
    if (!s.tls.has(from)) s.bytes.set(from, (s.bytes.get(from) ?? 0) + Number(len || 0));
  }
  const out = new Map<string, { c2s: number; s2c: number }>();
  for (const s of streams.values()) {
    const client = s.client ?? s.first;
    let s2c = 0;
    for (const [from, n] of s.bytes) if (from !== client) s2c += n;
    out.set(client, { c2s: s.bytes.get(client) ?? 0, s2c });
  }
  return out;
}
