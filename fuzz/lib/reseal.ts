/**
 * Plaintext mutation under real keys. TLS 1.3: each protected record of a fixture is opened with the traffic keys
 * its key log gives (handshake secret, then traffic secret 0), and a fuzz input supplies new TLSInnerPlaintext
 * bytes (content, then the content type byte) of the same length. TLS 1.2: the key block comes from the key log's
 * master secret and the hellos' randoms (RFC 5246 §6.3), and the input supplies new fragment plaintext (the record
 * type stays on the outer header). Either way the record is sealed again with the same keys and sequence number;
 * the ciphertext keeps its length, so it is written over the old one in place and every frame, TCP and record
 * header stays valid — the decryptor authenticates the record and hands hostile plaintext on.
 */
import { seededRng } from "../../src/engine/crypto/random";
import { parseKeyLog } from "../../src/engine/keylog";
import { trafficKeys13 } from "../../src/engine/keySchedule13";
import { keyBlock12, type TrafficKeys } from "../../src/engine/prf12";
import { toHex } from "../../src/tls/reader";
import { RecordProtector } from "../../src/engine/recordProtection";
import { suiteParams, type SuiteParams } from "../../src/engine/suites";

export interface ProtectedRecordAt {
  /** 0 = the side that sent the first packet (the client in the fixtures), 1 = the other. */
  dir: number;
  type: number;
  version: number;
  /** File offsets of the record's fragment bytes. */
  positions: number[];
}

interface SealedRecord {
  positions: number[];
  keys: TrafficKeys;
  seq: bigint;
  /** TLS 1.3: the original TLSInnerPlaintext without padding (content then type). TLS 1.2: the fragment's plaintext. */
  inner: Uint8Array;
  /** TLS 1.2: the record's type (it stays on the outer header). */
  type?: number;
}

export interface ResealPlan {
  params: SuiteParams;
  records: SealedRecord[];
  version: "tls12" | "tls13";
  /** TLS 1.2 CBC: encrypt-then-MAC was negotiated (found by which setting opens the records). */
  encryptThenMac?: boolean;
}

/** What a TLS 1.2 plan needs from the capture's hellos. */
export interface Hellos12 {
  clientRandom: Uint8Array;
  serverRandom: Uint8Array;
  cipherSuite: number;
}

const LABELS = [
  ["CLIENT_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0"],
  ["SERVER_HANDSHAKE_TRAFFIC_SECRET", "SERVER_TRAFFIC_SECRET_0"],
];

/** Opens every record with the key log's secrets; null when the fixture is not TLS 1.3 or a record will not open. */
export function planReseal(capture: Uint8Array, keylog: string, records: ProtectedRecordAt[]): ResealPlan | null {
  const entries = [...parseKeyLog(keylog).entries.values()];
  if (entries.length !== 1) return null;
  const secrets = entries[0];
  for (const suite of [0x1301, 0x1302, 0x1303]) {
    const params = suiteParams(suite)!;
    const out: SealedRecord[] = [];
    let ok = true;
    for (let dir = 0; dir < 2 && ok; dir++) {
      const phases = LABELS[dir]
        .map((l) => secrets.get(l))
        .filter((s): s is Uint8Array => s !== undefined && s.length === (params.hash === "SHA384" ? 48 : 32));
      if (phases.length !== 2) {
        ok = false;
        break;
      }
      let phase = 0;
      let protector = new RecordProtector(params, trafficKeys13(params, phases[0]), { version: "tls13" });
      for (const r of records.filter((x) => x.dir === dir && x.type === 23)) {
        const fragment = Uint8Array.from(r.positions, (p) => capture[p]);
        let seq = protector.seq;
        let opened = protector.open(r.type, r.version, fragment);
        if (!opened.ok && phase === 0) {
          // The handshake keys stop at this side's Finished: continue with the application traffic keys.
          phase = 1;
          protector = new RecordProtector(params, trafficKeys13(params, phases[1]), { version: "tls13" });
          seq = protector.seq;
          opened = protector.open(r.type, r.version, fragment);
        }
        if (!opened.ok) {
          ok = false;
          break;
        }
        const inner = new Uint8Array(opened.plaintext.length + 1);
        inner.set(opened.plaintext);
        inner[inner.length - 1] = opened.type;
        out.push({ positions: r.positions, keys: trafficKeys13(params, phases[phase]), seq, inner });
      }
    }
    if (ok && out.length) return { params, records: out, version: "tls13" };
  }
  return null;
}

/** TLS 1.2: opens every protected record with the key block; null when a record will not open. */
export function planReseal12(capture: Uint8Array, keylog: string, records: ProtectedRecordAt[], hellos: Hellos12): ResealPlan | null {
  const params = suiteParams(hellos.cipherSuite);
  const master = parseKeyLog(keylog).entries.get(toHex(hellos.clientRandom))?.get("CLIENT_RANDOM");
  if (!params || params.tls13 || !master) return null;
  const keys = keyBlock12(params, master, hellos.clientRandom, hellos.serverRandom);
  for (const etm of params.cbc ? [false, true] : [false]) {
    const out: SealedRecord[] = [];
    let ok = true;
    for (let dir = 0; dir < 2 && ok; dir++) {
      const k = dir === 0 ? keys.client : keys.server;
      const protector = new RecordProtector(params, k, { version: "tls12", encryptThenMac: etm });
      for (const r of records.filter((x) => x.dir === dir)) {
        const seq = protector.seq;
        const opened = protector.open(
          r.type,
          r.version,
          Uint8Array.from(r.positions, (p) => capture[p]),
        );
        if (!opened.ok) {
          ok = false;
          break;
        }
        out.push({ positions: r.positions, keys: k, seq, inner: opened.plaintext, type: r.type });
      }
    }
    if (ok && out.length) return { params, records: out, version: "tls12", encryptThenMac: etm };
  }
  return null;
}

/** The concatenated original inner plaintexts: the seed of this mode. */
export function originalInner(plan: ResealPlan): Uint8Array {
  const total = plan.records.reduce((n, r) => n + r.inner.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const r of plan.records) {
    out.set(r.inner, o);
    o += r.inner.length;
  }
  return out;
}

/**
 * Seals `data` (consumed record by record, each taking its original inner length; short input keeps the
 * original bytes) into `capture` in place. The padding that brought a record to its length is dropped, so a
 * record's new inner plaintext has exactly the old length and the ciphertext fits the old slot.
 */
export function reseal(plan: ResealPlan, capture: Uint8Array, data: Uint8Array): void {
  let o = 0;
  for (const r of plan.records) {
    const inner = r.inner.slice();
    const n = Math.max(0, Math.min(inner.length, data.length - o));
    inner.set(data.subarray(o, o + n));
    o += inner.length;
    if (n === 0) continue;
    let sealed: Uint8Array;
    if (plan.version === "tls13") {
      const protector = new RecordProtector(plan.params, r.keys, { version: "tls13" });
      protector.seq = r.seq;
      // seal() appends the type byte itself: pass the content and the (possibly mutated) type separately.
      sealed = protector.seal(inner[inner.length - 1], inner.subarray(0, inner.length - 1));
    } else {
      // CBC IVs from a seeded generator: the same input makes the same capture (findings replay exactly).
      const rng = seededRng(`reseal ${r.seq}`);
      const protector = new RecordProtector(plan.params, r.keys, { version: "tls12", encryptThenMac: plan.encryptThenMac, rng });
      protector.seq = r.seq;
      sealed = protector.seal(r.type!, inner);
    }
    const body = sealed.subarray(5);
    // Cannot happen for AEAD; a CBC record whose sender padded more than the minimum keeps its old bytes.
    if (body.length !== r.positions.length) continue;
    for (let i = 0; i < body.length; i++) capture[r.positions[i]] = body[i];
  }
}
