/**
 * Plaintext mutation under real TLS 1.3 keys: each protected record of a fixture is opened with the traffic keys
 * its key log gives (handshake secret, then traffic secret 0), and a fuzz input supplies new TLSInnerPlaintext
 * bytes (content, then the content type byte) of the same length, which are sealed again with the same key and
 * sequence number. The ciphertext keeps its length, so it is written over the old one in place and every frame,
 * TCP and record header stays valid — the decryptor authenticates the record and hands hostile plaintext on.
 */
import { parseKeyLog } from "../../src/engine/keylog";
import { trafficKeys13 } from "../../src/engine/keySchedule13";
import type { TrafficKeys } from "../../src/engine/prf12";
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
  /** Original TLSInnerPlaintext without padding: content then type. */
  inner: Uint8Array;
}

export interface ResealPlan {
  params: SuiteParams;
  records: SealedRecord[];
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
      const phases = LABELS[dir].map((l) => secrets.get(l)).filter((s): s is Uint8Array => s !== undefined && s.length === (params.hash === "SHA384" ? 48 : 32));
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
    if (ok && out.length) return { params, records: out };
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
    const protector = new RecordProtector(plan.params, r.keys, { version: "tls13" });
    protector.seq = r.seq;
    // seal() appends the type byte itself: pass the content and the (possibly mutated) type separately.
    const sealed = protector.seal(inner[inner.length - 1], inner.subarray(0, inner.length - 1));
    const body = sealed.subarray(5);
    if (body.length !== r.positions.length) continue; // cannot happen for AEAD with no padding; stay safe
    for (let i = 0; i < body.length; i++) capture[r.positions[i]] = body[i];
  }
}
