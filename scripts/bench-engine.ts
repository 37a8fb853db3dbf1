/**
 * Engine benchmarks (run by `npm run bench`, or alone: `node --import tsx scripts/bench-engine.ts`):
 * - a simulated TLS 1.3 X25519 handshake, a TLS 1.3 X25519MLKEM768 one (draft-ietf-tls-ecdhe-mlkem) and a TLS 1.2
 *   ECDHE handshake, each against the summed cost of the
 *   public-key primitives it performs (key generation, ECDH, signatures, verifications) — the engine's overhead
 *   (parsing, encoding, key schedule, records, step recording) as a ratio;
 * - record decryption throughput (the decryptor's inner loop) for AES-128-GCM, ChaCha20-Poly1305 and
 *   AES-128-CBC + HMAC-SHA256 on 16 KiB records, and decrypting every key-logged fixture capture end to end.
 * Medians of several runs; seeded PKI (generated once, outside the timing).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ecdh, ecdsaSign, ecdsaVerify, ecKeyPair } from "../src/engine/crypto/ec";
import { hashOf } from "../src/engine/crypto/hash";
import { mlKemDecapsulate, mlKemEncapsulate, mlKemKeyPair } from "../src/engine/crypto/mlkem";
import { NamedGroup } from "../src/tls/registry";
import { RecordProtector } from "../src/engine/recordProtection";
import { simulate } from "../src/engine/simulate";
import { suiteParams } from "../src/engine/suites";
import { inspectFile } from "../src/inspect/inspect";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => void, runs: number): number {
  for (let i = 0; i < 3; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}

const msg = hashOf("SHA256", new Uint8Array(64));
const ecdsa = ecKeyPair("secp256r1");
const sig = ecdsaSign("secp256r1", "SHA256", ecdsa.privateKey, msg);
const prim = {
  x25519Keygen: time(() => ecKeyPair("x25519"), 200),
  x25519Ecdh: time(() => {
    const a = ecKeyPair("x25519");
    const b = ecKeyPair("x25519");
    ecdh("x25519", a.privateKey, b.publicKey);
  }, 100),
  ecdsaSign: time(() => ecdsaSign("secp256r1", "SHA256", ecdsa.privateKey, msg), 200),
  ecdsaVerify: time(() => ecdsaVerify("secp256r1", "SHA256", ecdsa.publicKey, msg, sig), 200),
};
const kem = mlKemKeyPair("ML-KEM-768");
const encapsulated = mlKemEncapsulate("ML-KEM-768", kem.encapsulationKey);
const mlkem = {
  keygen: time(() => mlKemKeyPair("ML-KEM-768"), 200),
  encaps: time(() => mlKemEncapsulate("ML-KEM-768", kem.encapsulationKey), 200),
  decaps: time(() => mlKemDecapsulate("ML-KEM-768", kem.decapsulationKey, encapsulated.ciphertext), 200),
};
// x25519Ecdh above includes two key generations; the ECDH alone:
const ecdhOnly = Math.max(0, prim.x25519Ecdh - 2 * prim.x25519Keygen);

const lines: string[] = ["| engine work | median time | summed primitives | overhead ratio |", "|---|---|---|---|"];
for (const [label, opts] of [
  ["TLS 1.3 X25519, ECDSA P-256 chain (simulate)", { version: "1.3" as const, group: 29, seed: "bench" }],
  ["TLS 1.3 X25519MLKEM768, ECDSA P-256 chain (simulate)", { version: "1.3" as const, group: NamedGroup.X25519MLKEM768, seed: "bench" }],
  [
    "TLS 1.2 ECDHE X25519, ECDSA P-256 chain (simulate)",
    { version: "1.2" as const, keyExchange: "ECDHE" as const, group: 29, cipherSuite: 0xc02b, seed: "bench" },
  ],
] as const) {
  simulate({ ...opts }); // PKI generated and cached for the seed
  const t = time(() => {
    const r = simulate({ ...opts });
    if (!r.ok) throw new Error(`simulation failed: ${r.error}`);
  }, 30);
  // Each side: one X25519 key pair and one ECDH; the server signs once (CertificateVerify or ServerKeyExchange);
  // the client verifies that signature and the two certificate signatures of the chain (leaf, intermediate).
  // The hybrid adds ML-KEM-768: key generation (client), encapsulation (server), decapsulation (client).
  const pq = opts.group === NamedGroup.X25519MLKEM768 ? mlkem.keygen + mlkem.encaps + mlkem.decaps : 0;
  const sum = 2 * prim.x25519Keygen + 2 * ecdhOnly + prim.ecdsaSign + 3 * prim.ecdsaVerify + pq;
  lines.push(`| ${label} | ${t.toFixed(2)} ms | ${sum.toFixed(2)} ms | ${(t / sum).toFixed(2)}x |`);
}

lines.push("", "| record decryption (16 KiB records) | throughput |", "|---|---|");
const plain = new Uint8Array(16384).fill(0x61);
for (const [label, suite, version] of [
  ["TLS 1.3 AES-128-GCM", 0x1301, "tls13"],
  ["TLS 1.3 ChaCha20-Poly1305", 0x1303, "tls13"],
  ["TLS 1.2 AES-128-GCM", 0xc02f, "tls12"],
  ["TLS 1.2 AES-128-CBC + HMAC-SHA256", 0x003c, "tls12"],
] as const) {
  const p = suiteParams(suite)!;
  const keys = {
    key: new Uint8Array(p.keyLength).fill(1),
    iv: new Uint8Array(p.fixedIvLength).fill(2),
    macKey: p.macLength ? new Uint8Array(p.macLength).fill(3) : undefined,
  };
  const n = 2000;
  const sealer = new RecordProtector(p, keys, { version });
  const records: Uint8Array[] = [];
  for (let i = 0; i < n; i++) records.push(sealer.seal(23, plain));
  const opener = new RecordProtector(p, keys, { version });
  const t0 = performance.now();
  for (const rec of records) {
    const r = opener.open(rec[0], (rec[1] << 8) | rec[2], rec.subarray(5));
    if (!r.ok) throw new Error(r.error);
  }
  const s = (performance.now() - t0) / 1000;
  lines.push(`| ${label} | ${((n * plain.length) / 1e6 / s).toFixed(0)} MB/s |`);
}

const fixtures = path.resolve(__dirname, "../../shared/fixtures");
if (fs.existsSync(fixtures)) {
  let bytes = 0;
  let conns = 0;
  const t0 = performance.now();
  for (const f of fs.readdirSync(fixtures).filter((n) => n.endsWith(".pcap"))) {
    const kl = path.join(fixtures, f.replace(/\.pcap$/, ".keylog"));
    if (!fs.existsSync(kl)) continue;
    const m = inspectFile(path.join(fixtures, f), { keylog: fs.readFileSync(kl, "utf8"), detail: "fields" });
    bytes += fs.statSync(path.join(fixtures, f)).size;
    conns += m.connections.filter((c) => c.decrypted).length;
  }
  const ms = performance.now() - t0;
  lines.push(
    "",
    `decrypting every key-logged fixture capture: ${conns} connections, ${(bytes / 1e3).toFixed(0)} kB in ${ms.toFixed(0)} ms (${((conns * 1000) / ms).toFixed(0)} connections/s, every Finished verified)`,
  );
}
lines.push(
  "",
  `primitives (median): x25519 keygen ${prim.x25519Keygen.toFixed(3)} ms, x25519 ECDH ${ecdhOnly.toFixed(3)} ms, ECDSA P-256 sign ${prim.ecdsaSign.toFixed(3)} ms, verify ${prim.ecdsaVerify.toFixed(3)} ms; ML-KEM-768 keygen ${mlkem.keygen.toFixed(3)} ms, encaps ${mlkem.encaps.toFixed(3)} ms, decaps ${mlkem.decaps.toFixed(3)} ms`,
);
console.log(lines.join("\n"));
