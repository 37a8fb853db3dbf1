/**
 * Test-only: the exact bytes of every handshake message of every fixture, as tshark reassembled (and, with the
 * fixture's key log, decrypted) them. tshark runs only when the cache under test/fixtures/handshake-bytes/ is
 * missing, so the tests do not need tshark; the cache files are small and committed.
 *
 * Each message is listed in tshark's order (frame, then position in the frame) with its tcp.stream, so the test
 * can zip a stream's messages with the oracle's `messages` of the same stream.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFileSync } from "node:child_process";

export const fixturesDir = path.resolve(__dirname, "../../../../../shared/fixtures");
export const cacheDir = path.resolve(__dirname, "../../../fixtures/handshake-bytes");

export interface ExtractedMessage {
  stream: number;
  frame: number;
  /** The whole handshake message including its 4-byte header, lowercase hex. */
  hex: string;
}

/** Fixture names that have a capture and an oracle made with the fixture's own key material. */
export function fixtureNames(): string[] {
  return fs
    .readdirSync(fixturesDir)
    .filter((f) => f.endsWith(".tshark.json") && !f.endsWith(".no-keylog.tshark.json") && !f.endsWith(".rsa-key.tshark.json"))
    .map((f) => f.slice(0, -".tshark.json".length))
    .sort();
}

function captureOf(name: string): string {
  for (const ext of [".pcap", ".pcapng"]) {
    const p = path.join(fixturesDir, name + ext);
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`no capture for ${name}`);
}

/** Collect every `tls.handshake_raw` ([hex, offset, length, bitmask, type] or a list of those) in document order. */
function collect(node: unknown, out: string[], depth = 0): void {
  if (depth > 64 || node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const x of node) collect(x, out, depth + 1);
    return;
  }
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (k === "tls.handshake_raw" && Array.isArray(v)) {
      if (Array.isArray(v[0])) for (const x of v as unknown[][]) out.push(String(x[0]));
      else out.push(String(v[0]));
    } else collect(v, out, depth + 1);
  }
}

function runTshark(name: string): ExtractedMessage[] {
  const keylog = path.join(fixturesDir, name + ".keylog");
  const args = ["-r", captureOf(name), "-n", "-o", "tcp.reassemble_out_of_order:TRUE"];
  if (fs.existsSync(keylog)) args.push("-o", `tls.keylog_file:${keylog}`);
  args.push("-Y", "tls.handshake", "-T", "json", "-x", "--no-duplicate-keys", "-J", "frame tcp tls");
  const cfg = fs.mkdtempSync(path.join(os.tmpdir(), "hs-tshark-"));
  try {
    const out = execFileSync("tshark", args, {
      env: { ...process.env, WIRESHARK_CONFIG_DIR: cfg },
      maxBuffer: 256 * 1024 * 1024,
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 120_000,
    });
    const packets = JSON.parse(out.toString("utf8")) as { _source: { layers: { frame: Record<string, string>; tcp: Record<string, string>; tls: unknown } } }[];
    const result: ExtractedMessage[] = [];
    for (const p of packets) {
      const layers = p._source.layers;
      const frame = Number(layers.frame["frame.number"]);
      const stream = Number(layers.tcp["tcp.stream"]);
      const hexes: string[] = [];
      collect(layers.tls, hexes);
      for (const hex of hexes) result.push({ stream, frame, hex: hex.toLowerCase() });
    }
    return result;
  } finally {
    fs.rmSync(cfg, { recursive: true, force: true });
  }
}

/** The fixture's handshake messages, from the cache (made with tshark on first use). */
export function handshakeBytes(name: string): ExtractedMessage[] {
  const file = path.join(cacheDir, name + ".json");
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8")) as ExtractedMessage[];
  const msgs = runTshark(name);
  fs.mkdirSync(cacheDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(msgs, null, 0) + "\n");
  return msgs;
}

// `npx tsx test/unit/tls/handshake/extract.ts` refreshes the whole cache.
if (require.main === module) {
  for (const name of fixtureNames()) {
    const file = path.join(cacheDir, name + ".json");
    if (fs.existsSync(file)) fs.rmSync(file);
    console.log(name, handshakeBytes(name).length);
  }
}
