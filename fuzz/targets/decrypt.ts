/**
 * Decryption with real keys and hostile ciphertext: real fixture captures with their real key logs, where the
 * fuzz bytes replace only the payload bytes of protected records (application_data records, and handshake/alert
 * records after ChangeCipherSpec). Byte 0 picks the fixture (TLS 1.2 CBC + HMAC, TLS 1.2 GCM, TLS 1.3 ChaCha20,
 * TLS 1.3 AES-GCM) and the mode:
 * - ciphertext (byte 0 % 8 < 4): bytes 1.. overwrite the protected payload bytes in stream order, so every frame,
 *   header and key stays valid and the decryptor meets bad tags, bad MACs and bad padding;
 * - plaintext (byte 0 % 8 >= 4): bytes 1.. are new plaintexts (TLS 1.3: inner plaintexts with their type byte)
 *   sealed again with the real keys (../lib/reseal), so records authenticate and hostile plaintext reaches the
 *   layers after decryption — Finished checks, alerts, post-handshake messages, application data.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { readCaptureBytes } from "../../src/capture/readFile";
import { ipOffset } from "../../src/capture/link";
import { originalInner, planReseal, planReseal12, reseal, type Hellos12, type ProtectedRecordAt, type ResealPlan } from "../lib/reseal";
import { FUZZ_ROOT } from "../lib/target";
import { inspectAndRender } from "./inspect";

export const maxLength = 16 * 1024;

interface Fixture {
  name: string;
  bytes: Uint8Array;
  keylog: string;
  /** File offsets of the protected payload bytes, in stream order per direction (client first). */
  positions: number[];
  /** TLS 1.3 fixtures: how to seal new plaintext into them. */
  plan: ResealPlan | null;
}

const NAMES = ["tls12-rsa-aes128-sha256", "tls12-ecdhe-rsa-aes128gcm", "tls13-ecdsa-chacha20-alpn", "node-tls13"];

/** File offsets of each direction's TCP payload bytes, indexed by stream offset (first-seen bytes win). */
function streamMaps(bytes: Uint8Array): number[][] {
  const dirs = new Map<string, { isn: number; map: number[] }>();
  readCaptureBytes(bytes, {
    packet(_frame, linkType, buf, off, len) {
      const end = off + len;
      const ip = ipOffset(linkType, buf, off, end);
      if (ip < 0 || buf[ip] >> 4 !== 4 || buf[ip + 9] !== 6) return; // the fixtures are IPv4 only
      const tcp = ip + ((buf[ip] & 15) << 2);
      const payload = tcp + ((buf[tcp + 12] >> 4) << 2);
      const key = `${buf.subarray(ip + 12, ip + 16).join(".")}:${(buf[tcp] << 8) | buf[tcp + 1]}`;
      const seq = ((buf[tcp + 4] << 24) | (buf[tcp + 5] << 16) | (buf[tcp + 6] << 8) | buf[tcp + 7]) >>> 0;
      let d = dirs.get(key);
      if (!d) dirs.set(key, (d = { isn: buf[tcp + 13] & 2 ? (seq + 1) >>> 0 : seq, map: [] }));
      const rel = (seq - d.isn) | 0;
      for (let i = payload; i < end; i++) {
        const at = rel + (i - payload);
        if (at >= 0 && at < 1 << 20 && d.map[at] === undefined) d.map[at] = i;
      }
    },
    error() {},
  });
  return [...dirs.values()].map((d) => d.map);
}

function protectedRecords(bytes: Uint8Array): ProtectedRecordAt[] {
  const out: ProtectedRecordAt[] = [];
  for (const [dir, map] of streamMaps(bytes).entries()) {
    const at = (i: number) => bytes[map[i]];
    let afterCcs = false;
    for (let o = 0; o + 5 <= map.length && map[o] !== undefined && map[o + 4] !== undefined;) {
      const type = at(o);
      const len = (at(o + 3) << 8) | at(o + 4);
      if (type === 20) afterCcs = true;
      if (type === 23 || (afterCcs && (type === 22 || type === 21))) {
        const positions: number[] = [];
        for (let i = o + 5; i < o + 5 + len && map[i] !== undefined; i++) positions.push(map[i]);
        out.push({ dir, type, version: (at(o + 1) << 8) | at(o + 2), positions });
      }
      o += 5 + len;
    }
  }
  return out;
}

/** The randoms and the chosen suite, read from the first record of each direction (ClientHello, ServerHello). */
function hellos(bytes: Uint8Array): Hellos12 | null {
  const [c, s] = streamMaps(bytes);
  if (!c || !s) return null;
  const read = (map: number[], from: number, n: number) => Uint8Array.from({ length: n }, (_, i) => bytes[map[from + i]] ?? 0);
  // Record header 5, handshake header 4, version 2: the random starts at 11 (RFC 5246 §7.4.1.2 / §7.4.1.3).
  if (read(c, 0, 1)[0] !== 22 || read(c, 5, 1)[0] !== 1 || read(s, 0, 1)[0] !== 22 || read(s, 5, 1)[0] !== 2) return null;
  const sidLen = read(s, 43, 1)[0];
  const suite = read(s, 44 + sidLen, 2);
  return { clientRandom: read(c, 11, 32), serverRandom: read(s, 11, 32), cipherSuite: (suite[0] << 8) | suite[1] };
}

const FIXTURES: Fixture[] = NAMES.map((name) => {
  const bytes = new Uint8Array(fs.readFileSync(path.join(FUZZ_ROOT, "fixtures", `${name}.pcap`)));
  const keylog = fs.readFileSync(path.join(FUZZ_ROOT, "fixtures", `${name}.keylog`), "utf8");
  const records = protectedRecords(bytes);
  const h = hellos(bytes);
  const plan = planReseal(bytes, keylog, records) ?? (h ? planReseal12(bytes, keylog, records, h) : null);
  return { name, bytes, keylog, positions: records.flatMap((r) => r.positions), plan };
});

export function seeds(): Uint8Array[] {
  const out = FIXTURES.map((f, i) => Uint8Array.from([i, ...f.positions.map((p) => f.bytes[p])]));
  FIXTURES.forEach((f, i) => {
    if (f.plan) out.push(Uint8Array.from([4 + i, ...originalInner(f.plan)]));
  });
  return out;
}

/** The capture bytes for a fuzz input (exported for the regression tests). */
export function materialize(data: Uint8Array): { fixture: Fixture; capture: Uint8Array } {
  const sel = data[0] ?? 0;
  const fixture = FIXTURES[sel % FIXTURES.length];
  const capture = fixture.bytes.slice();
  if (sel % 8 >= 4 && fixture.plan) {
    reseal(fixture.plan, capture, data.subarray(1));
    return { fixture, capture };
  }
  const n = Math.min(fixture.positions.length, data.length - 1);
  for (let j = 0; j < n; j++) capture[fixture.positions[j]] = data[1 + j];
  return { fixture, capture };
}

export function fuzz(data: Uint8Array): void {
  const { fixture, capture } = materialize(data);
  inspectAndRender(capture, `${fixture.name}.pcap`, fixture.keylog);
}
