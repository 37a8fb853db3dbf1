/**
 * RFC 8448 (shared/vectors/rfc8448-*.json), step by step: every value of every step is either recomputed by the
 * engine and compared byte for byte (secrets, HKDF infos, keys, IVs, finished keys and values, binders, public
 * keys, transcript hashes, protected records both ways) or is an input of such a comparison (private keys,
 * plaintexts). The test fails if any step value is neither, so nothing is skipped silently.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ecdh, ecPublicKey, type EcGroup } from "../../../src/engine/crypto/ec";
import { hashOf, hkdfExtract } from "../../../src/engine/crypto/hash";
import {
  deriveSecret,
  emptyHash,
  finishedKey13,
  finishedVerifyData13,
  hkdfExpandLabel,
  hkdfLabel,
  KeySchedule13,
  resumptionPsk13,
  trafficKeys13,
} from "../../../src/engine/keySchedule13";
import { RecordProtector } from "../../../src/engine/recordProtection";
import { suiteParams } from "../../../src/engine/suites";
import { Transcript } from "../../../src/engine/transcript";
import { sharedPath } from "../../support/require";

const vectors = sharedPath("vectors");

interface Step {
  index: number;
  who: "client" | "server";
  action: string;
  label: string;
  octets: number;
  hex: string;
}

const params = suiteParams(0x1301)!;
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const bytes = (h: string) => new Uint8Array(Buffer.from(h, "hex"));
const HRR_RANDOM = hex(hashOf("SHA256", new TextEncoder().encode("HelloRetryRequest")));
const other = (w: "client" | "server") => (w === "client" ? "server" : "client");

interface HsMsg {
  type: number;
  raw: Uint8Array;
  from: "client" | "server";
}

/** Split a handshake record payload into messages (type, 24-bit length). */
function splitMessages(payload: Uint8Array, from: "client" | "server"): HsMsg[] {
  const out: HsMsg[] = [];
  let o = 0;
  while (o + 4 <= payload.length) {
    const len = (payload[o + 1] << 16) | (payload[o + 2] << 8) | payload[o + 3];
    out.push({ type: payload[o], raw: payload.slice(o, o + 4 + len), from });
    o += 4 + len;
  }
  assert.equal(o, payload.length, "handshake payload splits into whole messages");
  return out;
}

interface Result {
  compared: number;
  steps: number;
}

function runTrace(file: string, extra: { psk?: Uint8Array } = {}): Result & { resumption?: Uint8Array } {
  const doc = JSON.parse(fs.readFileSync(path.join(vectors, file), "utf8")) as { steps: Step[] };
  const steps = doc.steps;
  const covered = new Set<number>();
  let compared = 0;
  const cmp = (s: Step, actual: Uint8Array, what = "") => {
    assert.equal(hex(actual), s.hex, `${file} step ${s.index} (${s.who}: ${s.action} / ${s.label}) ${what}`);
    covered.add(s.index);
    compared++;
  };
  const use = (s: Step) => covered.add(s.index);

  // Pass 1: the handshake messages in the order they were sent, and transcript hashes after each one.
  const msgs: HsMsg[] = [];
  for (const s of steps) {
    if (s.action === "send handshake record" && s.label === "payload") msgs.push(...splitMessages(bytes(s.hex), s.who));
  }
  const hsMsgs = msgs.filter((m) => m.type !== 4); // NewSessionTicket is post-handshake (not in the transcript)
  const prefix: Uint8Array[] = [emptyHash("SHA256")];
  const t = new Transcript("SHA256");
  for (const m of hsMsgs) {
    const isHrr = m.type === 2 && hex(m.raw.subarray(6, 38)) === HRR_RANDOM;
    if (isHrr) t.replaceWithMessageHash();
    t.add(m.raw);
    prefix.push(t.current());
  }
  const indexOf = (pred: (m: HsMsg) => boolean, last = false): number => {
    const idx = last ? hsMsgs.map(pred).lastIndexOf(true) : hsMsgs.findIndex(pred);
    assert.ok(idx >= 0);
    return idx;
  };
  const through = (i: number) => prefix[i + 1];
  const before = (i: number) => prefix[i];
  const chIdx = indexOf((m) => m.type === 1, true);
  const shIdx = indexOf((m) => m.type === 2, true);
  const sFinIdx = indexOf((m) => m.type === 20 && m.from === "server");
  const cFinIdx = indexOf((m) => m.type === 20 && m.from === "client");
  const contextFor: Record<string, Uint8Array> = {
    "c e traffic": through(chIdx),
    "e exp master": through(chIdx),
    "c hs traffic": through(shIdx),
    "s hs traffic": through(shIdx),
    "c ap traffic": through(sFinIdx),
    "s ap traffic": through(sFinIdx),
    "exp master": through(sFinIdx),
    "res master": through(cFinIdx),
    derived: emptyHash("SHA256"),
  };

  // The engine's own schedule, run alongside: each value it derives must equal the trace's.
  const engineValues = new Map<string, Uint8Array>();
  const ks = new KeySchedule13(params, (name, value) => engineValues.set(name, value));

  // Pass 2: every step group.
  const known = new Set<string>(); // secrets (hex) seen so far: every PRK must be one of them
  const keyPairs: Record<string, { group: EcGroup; priv: Uint8Array; pub: Uint8Array }> = {};
  const writers: Record<string, { key: string; seal: RecordProtector; open: RecordProtector } | undefined> = {};
  const finishedBy: Record<string, Uint8Array> = {};
  let resumption: Uint8Array | undefined;
  const groups: Step[][] = [];
  for (const s of steps) {
    const g = groups[groups.length - 1];
    if (g && g[0].who === s.who && g[0].action === s.action && !g.some((x) => x.label === s.label)) g.push(s);
    else groups.push([s]);
  }
  const ZERO = new Uint8Array(32);

  for (const g of groups) {
    const v = (label: string) => {
      const s = g.find((x) => x.label === label);
      assert.ok(s, `${file}: step group "${g[0].action}" lacks "${label}"`);
      return s;
    };
    const b = (label: string) => bytes(v(label).hex);
    const prk = () => {
      const s = v("PRK");
      assert.ok(known.has(s.hex), `${file} step ${s.index}: PRK traces to an earlier secret`);
      cmp(s, bytes(s.hex), "(PRK is a known secret)");
      return bytes(s.hex);
    };
    const { who, action } = g[0];
    let m: RegExpExecArray | null;

    if ((m = /^create an ephemeral (x25519|P-256) key pair$/.exec(action))) {
      const group: EcGroup = m[1] === "x25519" ? "x25519" : "secp256r1";
      const priv = b("private key");
      use(v("private key"));
      cmp(v("public key"), ecPublicKey(group, priv));
      keyPairs[who] = { group, priv, pub: b("public key") };
    } else if ((m = /^extract secret "(early|handshake|master)"/.exec(action))) {
      const salt = b("salt");
      const ikm = b("IKM");
      if (m[1] === "early") {
        cmp(v("salt"), ZERO);
        if (extra.psk) cmp(v("IKM"), extra.psk, "(PSK from the previous trace's ticket)");
        else if (hex(ikm) === hex(ZERO)) cmp(v("IKM"), ZERO);
        else use(v("IKM"));
        const es = ks.earlySecret(hex(ikm) === hex(ZERO) ? undefined : ikm);
        cmp(v("secret"), es, "(engine KeySchedule13.earlySecret)");
      } else {
        assert.ok(known.has(hex(salt)), `${file}: salt of ${action} is a derived secret`);
        cmp(v("salt"), salt);
        if (m[1] === "handshake") {
          const mine = keyPairs[who];
          const peer = keyPairs[other(who)];
          cmp(v("IKM"), ecdh(mine.group, mine.priv, peer.pub), "(ECDHE shared secret)");
          cmp(v("secret"), ks.handshakeSecret(ikm), "(engine KeySchedule13.handshakeSecret)");
        } else {
          cmp(v("IKM"), ZERO);
          cmp(v("secret"), ks.masterSecret(), "(engine KeySchedule13.masterSecret)");
        }
      }
      cmp(v("secret"), hkdfExtract("SHA256", salt, ikm));
      known.add(v("secret").hex);
    } else if ((m = /^derive secret(?: for (?:handshake|master))? "tls13 (.+)"$/.exec(action))) {
      const label = m[1];
      const secret = prk();
      const ctx = contextFor[label];
      assert.ok(ctx, `${file}: no transcript for "${label}"`);
      cmp(v("hash"), ctx, "(transcript hash)");
      cmp(v("info"), hkdfLabel(32, label, ctx));
      cmp(v("expanded"), deriveSecret(params, secret, label, ctx));
      const engineName: Record<string, string> = {
        "c e traffic": "client_early_traffic_secret",
        "e exp master": "early_exporter_master_secret",
        "c hs traffic": "client_handshake_traffic_secret",
        "s hs traffic": "server_handshake_traffic_secret",
        "c ap traffic": "client_application_traffic_secret_0",
        "s ap traffic": "server_application_traffic_secret_0",
        "exp master": "exporter_master_secret",
        "res master": "resumption_master_secret",
      };
      const name = engineName[label];
      if (name && !engineValues.has(name)) {
        const call: Record<string, () => Uint8Array> = {
          "c e traffic": () => ks.clientEarlyTrafficSecret(ctx),
          "e exp master": () => ks.earlyExporterMasterSecret(ctx),
          "c hs traffic": () => ks.clientHandshakeTrafficSecret(ctx),
          "s hs traffic": () => ks.serverHandshakeTrafficSecret(ctx),
          "c ap traffic": () => ks.clientApplicationTrafficSecret0(ctx),
          "s ap traffic": () => ks.serverApplicationTrafficSecret0(ctx),
          "exp master": () => ks.exporterMasterSecret(ctx),
          "res master": () => ks.resumptionMasterSecret(ctx),
        };
        call[label]();
      }
      if (name) cmp(v("expanded"), engineValues.get(name)!, `(engine ${name})`);
      known.add(v("expanded").hex);
    } else if ((m = /^derive (write|read) traffic keys for (.+)$/.exec(action))) {
      const secret = prk();
      cmp(v("key info"), hkdfLabel(16, "key", new Uint8Array(0)));
      cmp(v("iv info"), hkdfLabel(12, "iv", new Uint8Array(0)));
      const keys = trafficKeys13(params, secret);
      cmp(v("key expanded"), keys.key);
      cmp(v("iv expanded"), keys.iv);
      cmp(v("key expanded"), hkdfExpandLabel("SHA256", secret, "key", new Uint8Array(0), 16));
      const writer = m[1] === "write" ? who : other(who);
      if (writers[writer]?.key !== hex(keys.key)) {
        writers[writer] = {
          key: hex(keys.key),
          seal: new RecordProtector(params, keys, { version: "tls13" }),
          open: new RecordProtector(params, keys, { version: "tls13" }),
        };
      }
    } else if (action === 'calculate finished "tls13 finished"') {
      const base = prk();
      cmp(v("hash"), new Uint8Array(0), "(HKDF-Expand-Label context)");
      cmp(v("info"), hkdfLabel(32, "finished", new Uint8Array(0)));
      cmp(v("expanded"), finishedKey13(params, base));
      const th = before(who === "server" ? sFinIdx : cFinIdx);
      cmp(v("finished"), finishedVerifyData13(params, base, th), "(HMAC over the transcript before Finished)");
      const engineFinished = ks.finished(who, th);
      cmp(v("finished"), engineFinished, "(engine KeySchedule13.finished)");
      finishedBy[who] = engineFinished;
    } else if (action === "calculate PSK binder") {
      const prefixCh = b("ClientHello prefix");
      const fullCh = hsMsgs[0].raw;
      // The truncated ClientHello is the full one minus the binders list (RFC 8446 §4.2.11.2).
      cmp(v("ClientHello prefix"), fullCh.subarray(0, prefixCh.length), "(prefix of the sent ClientHello)");
      cmp(v("binder hash"), hashOf("SHA256", prefixCh));
      const binderKey = ks.binderKey(true);
      known.add(hex(binderKey));
      const base = prk();
      cmp(v("PRK"), binderKey, "(engine binder_key, res binder)");
      cmp(v("hash"), new Uint8Array(0));
      cmp(v("info"), hkdfLabel(32, "finished", new Uint8Array(0)));
      cmp(v("expanded"), finishedKey13(params, base));
      const binder = ks.binder(b("binder hash"));
      cmp(v("finished"), binder, "(engine binder)");
      // The sent ClientHello ends with binders<33..> = 00 21 | 20 | binder.
      cmp(v("finished"), fullCh.subarray(fullCh.length - 32), "(binder in the sent ClientHello)");
    } else if (action === 'generate resumption secret "tls13 resumption"') {
      const secret = prk();
      const nst = msgs.find((x) => x.type === 4);
      assert.ok(nst, "NewSessionTicket sent");
      // NewSessionTicket: lifetime(4) age_add(4) ticket_nonce<0..255>.
      const nonce = nst.raw.subarray(13, 13 + nst.raw[12]);
      cmp(v("hash"), nonce, "(ticket_nonce of the NewSessionTicket)");
      cmp(v("info"), hkdfLabel(32, "resumption", nonce));
      cmp(v("expanded"), resumptionPsk13(params, secret, nonce));
      cmp(v("expanded"), ks.ticketPsk(nonce), "(engine ticketPsk)");
      resumption = b("expanded");
    } else if ((m = /^construct an? (\w+) handshake message$/.exec(action))) {
      const s = g[0];
      const raw = bytes(s.hex);
      const sent = hsMsgs.concat(msgs.filter((x) => x.type === 4)).find((x) => hex(x.raw) === s.hex);
      if (sent) cmp(s, sent.raw, "(the message as sent)");
      else {
        // §4's ClientHello without binders: the sent one starts with it (its length field counts the binders).
        cmp(s, hsMsgs[0].raw.subarray(0, raw.length), "(prefix of the sent ClientHello)");
      }
      if (m[1] === "Finished") cmp(s, Uint8Array.of(20, 0, 0, 32, ...finishedBy[who]), "(engine Finished)");
    } else if ((m = /^send (handshake|application_data|alert) record$/.exec(action))) {
      const innerType = m[1] === "handshake" ? 22 : m[1] === "alert" ? 21 : 23;
      const payload = b("payload");
      const record = b("complete record");
      use(v("payload"));
      if (record[0] === 23) {
        const w = writers[who];
        assert.ok(w, `${file} step ${g[0].index}: ${who} has write keys`);
        cmp(v("complete record"), w.seal.seal(innerType, payload), "(sealed by the engine)");
        const opened = w.open.open(record[0], (record[1] << 8) | record[2], record.subarray(5));
        assert.ok(opened.ok, `${file} step ${g[0].index}: open: ${opened.ok ? "" : opened.error}`);
        assert.equal(opened.type, innerType);
        cmp(v("payload"), opened.plaintext, "(opened by the engine)");
      } else {
        assert.equal(record[0], innerType);
        cmp(
          v("complete record"),
          Uint8Array.of(innerType, record[1], record[2], payload.length >> 8, payload.length & 0xff, ...payload),
          "(plaintext record framing)",
        );
      }
    } else {
      assert.fail(`${file}: unhandled step "${action}"`);
    }
  }

  const missed = steps.filter((s) => !covered.has(s.index)).map((s) => `${s.index} ${s.action}/${s.label}`);
  assert.deepEqual(missed, [], `${file}: steps not checked`);
  return { compared, steps: steps.length, resumption };
}

let total = 0;
let s3Resumption: Uint8Array | undefined;

test("RFC 8448 §3 simple 1-RTT: every value", () => {
  const r = runTrace("rfc8448-simple-1rtt.json");
  s3Resumption = r.resumption;
  total += r.compared;
  console.log(`  §3: ${r.steps} steps, ${r.compared} comparisons`);
});

test("RFC 8448 §4 resumed 0-RTT: every value (PSK from §3's ticket)", () => {
  if (!s3Resumption) s3Resumption = runTrace("rfc8448-simple-1rtt.json").resumption;
  const r = runTrace("rfc8448-resumed-0rtt.json", { psk: s3Resumption });
  total += r.compared;
  console.log(`  §4: ${r.steps} steps, ${r.compared} comparisons`);
});

test("RFC 8448 §5 HelloRetryRequest: every value", () => {
  const r = runTrace("rfc8448-hrr.json");
  total += r.compared;
  console.log(`  §5: ${r.steps} steps, ${r.compared} comparisons`);
});

test("RFC 8448 §6 client authentication: every value", () => {
  const r = runTrace("rfc8448-client-auth.json");
  total += r.compared;
  console.log(`  §6: ${r.steps} steps, ${r.compared} comparisons; total ${total}`);
});
