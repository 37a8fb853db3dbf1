import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate, type SimulationResult } from "../../../../src/engine/simulate";
import type { SimulationOptions, MessageStep } from "../../../../src/engine/steps";
import type { ConnectionModel } from "../../../../src/model";

const names = (r: SimulationResult | ConnectionModel) => ("connection" in r ? r.connection : r).messages.map((m) => `${m.dir}:${m.name}`);
const failed = (r: SimulationResult) => r.steps.filter((s) => s.kind === "check" && !s.ok).map((s) => (s.kind === "check" ? `${s.title}: ${s.detail}` : ""));

function completes(opts: SimulationOptions): SimulationResult {
  const r = simulate({ seed: "matrix", ...opts });
  assert.ok(r.ok, `${JSON.stringify(opts)}: ${r.error} ${failed(r).join(" | ")}`);
  const fin = r.connection.messages.filter((m) => m.name === "Finished");
  assert.deepEqual(
    fin.map((m) => m.verified),
    [true, true],
  );
  assert.ok(r.steps.some((s) => s.kind === "check" && s.title === "server Finished verify_data" && s.ok));
  assert.ok(r.steps.some((s) => s.kind === "check" && s.title === "client Finished verify_data" && s.ok));
  assert.equal(r.connection.version, opts.version === "1.3" ? 0x0304 : 0x0303);
  assert.equal(r.connection.cipherSuite, r.options.cipherSuite);
  return r;
}

const matrix13: SimulationOptions[] = [];
for (const group of [29, 23, 24]) for (const cipherSuite of [0x1301, 0x1302, 0x1303]) matrix13.push({ version: "1.3", group, cipherSuite });

test("TLS 1.3: every group × suite completes (ECDSA and RSA-PSS certificates)", () => {
  for (const o of matrix13) completes(o);
  completes({ version: "1.3", signatureScheme: 0x0804 });
  completes({ version: "1.3", signatureScheme: 0x0805, cipherSuite: 0x1302 });
  completes({ version: "1.3", group: 256 });
});

test("TLS 1.3: HelloRetryRequest", () => {
  for (const group of [23, 24, 29]) {
    const r = completes({ version: "1.3", helloRetry: true, group });
    assert.deepEqual(names(r).slice(0, 3), ["c2s:ClientHello", "s2c:HelloRetryRequest", "c2s:ClientHello"]);
    const ch2 = r.connection.messages[2];
    assert.deepEqual(ch2.fields!.keyShareGroups, [group]);
    assert.equal(r.connection.messages.find((m) => m.name === "HelloRetryRequest")!.fields!.keyShareGroup, group);
  }
});

test("TLS 1.3: PSK resumption with psk_dhe_ke and a verified binder (also after HRR)", () => {
  for (const extra of [{}, { helloRetry: true, group: 23 }, { cipherSuite: 0x1302 }]) {
    const r = completes({ version: "1.3", resumption: true, ...extra });
    assert.ok(r.initial, "first handshake kept");
    assert.ok(r.steps.some((s) => s.kind === "check" && s.title === "PSK binder" && s.ok));
    assert.ok(!names(r).includes("s2c:Certificate"), "no certificate when resuming");
    const sh = r.connection.messages.find((m) => m.name === "ServerHello")!;
    assert.ok((sh.fields!.extensions as number[]).includes(41));
    assert.ok(r.steps.some((s) => s.kind === "secret" && s.title === "early_secret" && s.inputs[0] === "PSK"));
  }
});

test("TLS 1.3: client certificate and KeyUpdate", () => {
  const r = completes({ version: "1.3", clientAuth: true });
  assert.ok(names(r).includes("s2c:CertificateRequest"));
  assert.ok(r.steps.some((s) => s.kind === "check" && s.title === "client CertificateVerify signature" && s.ok));
  const k = completes({ version: "1.3", keyUpdate: true });
  assert.deepEqual(
    names(k).filter((n) => n.endsWith("KeyUpdate")),
    ["c2s:KeyUpdate", "s2c:KeyUpdate"],
  );
  assert.ok(k.steps.some((s) => s.kind === "secret" && s.title === "client_application_traffic_secret_1"));
  assert.ok(k.steps.some((s) => s.kind === "secret" && s.title === "server_application_traffic_secret_1"));
});

test("TLS 1.3: records use inner content types and middlebox-compatible CCS", () => {
  const r = completes({ version: "1.3" });
  const enc = r.connection.records.filter((x) => x.encrypted);
  assert.ok(enc.every((x) => x.type === 23 && x.innerType !== undefined));
  assert.ok(r.connection.records.some((x) => x.type === 20 && x.dir === "s2c"));
  assert.ok(r.connection.records.some((x) => x.type === 20 && x.dir === "c2s"));
});

test("TLS 1.2: key exchanges × certificates × suites complete", () => {
  const cases: SimulationOptions[] = [
    { version: "1.2", keyExchange: "ECDHE", group: 29 },
    { version: "1.2", keyExchange: "ECDHE", group: 23, cipherSuite: 0xc02c },
    { version: "1.2", keyExchange: "ECDHE", group: 24, cipherSuite: 0xc030 },
    { version: "1.2", cipherSuite: 0xc02f, signatureScheme: 0x0401 },
    { version: "1.2", cipherSuite: 0xc02f, signatureScheme: 0x0804 },
    { version: "1.2", cipherSuite: 0xcca8 },
    { version: "1.2", cipherSuite: 0xcca9 },
    { version: "1.2", keyExchange: "DHE" },
    { version: "1.2", cipherSuite: 0xccaa },
    { version: "1.2", keyExchange: "RSA" },
    { version: "1.2", cipherSuite: 0x003c },
    { version: "1.2", cipherSuite: 0x002f },
    { version: "1.2", cipherSuite: 0xc013 },
    { version: "1.2", cipherSuite: 0xc009 },
    { version: "1.2", cipherSuite: 0xc028 },
    { version: "1.2", cipherSuite: 0x0067 },
  ];
  for (const c of cases) completes(c);
});

test("TLS 1.2: encrypt_then_mac and extended master secret on and off", () => {
  for (const etm of [true, false]) {
    for (const ems of [true, false]) {
      const r = completes({ version: "1.2", cipherSuite: 0xc027, encryptThenMac: etm, extendedMasterSecret: ems });
      const sh = r.connection.messages.find((m) => m.name === "ServerHello")!.fields!.extensions as number[];
      assert.equal(sh.includes(22), etm);
      assert.equal(sh.includes(23), ems);
      const master = r.steps.find((s) => s.kind === "secret" && s.title === "master_secret");
      assert.ok(master && master.kind === "secret" && master.derivation.includes(ems ? "extended master secret" : '"master secret"'));
    }
  }
});

test("TLS 1.2: client certificates", () => {
  for (const keyExchange of ["ECDHE", "RSA", "DHE"] as const) {
    const r = completes({ version: "1.2", keyExchange, clientAuth: true });
    assert.ok(r.steps.some((s) => s.kind === "check" && s.title === "client CertificateVerify signature" && s.ok));
  }
});

test("TLS 1.2: session-id and ticket resumption", () => {
  const t = completes({ version: "1.2", resumption: true });
  assert.deepEqual(names(t), ["c2s:ClientHello", "s2c:ServerHello", "s2c:Finished", "c2s:Finished"]);
  assert.ok(names(t.initial!.connection).includes("s2c:NewSessionTicket"));
  assert.ok(t.connection.messages[0].fields!.sessionTicketLength);
  const s = completes({ version: "1.2", resumption: true, resumeWith: "session-id", keyExchange: "RSA" });
  assert.deepEqual(names(s), ["c2s:ClientHello", "s2c:ServerHello", "s2c:Finished", "c2s:Finished"]);
  assert.equal(s.connection.messages[0].fields!.sessionId, s.connection.messages[1].fields!.sessionId);
  assert.ok(!names(s.initial!.connection).includes("s2c:NewSessionTicket"));
  completes({ version: "1.2", resumption: true, cipherSuite: 0xc013, clientAuth: true });
});

test("seeded simulations are byte-identical across runs; unseeded ones differ", () => {
  for (const o of [
    { version: "1.3", resumption: true, clientAuth: true, helloRetry: true, group: 23 },
    { version: "1.2", keyExchange: "RSA", clientAuth: true },
    { version: "1.2", cipherSuite: 0xc013 },
  ] as SimulationOptions[]) {
    const a = simulate({ ...o, seed: "same" });
    const b = simulate({ ...o, seed: "same" });
    const dump = (r: SimulationResult) => JSON.stringify(r.steps, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString("hex") : v));
    assert.equal(dump(a), dump(b));
    assert.notEqual(dump(simulate({ ...o, seed: "other" })), dump(a));
  }
  const u1 = simulate({ version: "1.3" });
  const u2 = simulate({ version: "1.3" });
  assert.ok(u1.ok && u2.ok);
  const first = (r: SimulationResult) => (r.steps.find((s) => s.kind === "message") as MessageStep).raw;
  assert.notDeepEqual(first(u1), first(u2));
});

function stepOf(r: SimulationResult, title: string, actor?: string): MessageStep {
  const s = r.steps.find((x) => x.kind === "message" && x.title === title && (!actor || x.actor === actor));
  assert.ok(s && s.kind === "message", `no ${title} step`);
  return s as MessageStep;
}

function tampered(opts: SimulationOptions, title: string, offset: (s: MessageStep) => number, actor?: string): SimulationResult {
  const base = simulate({ seed: "tamper", ...opts });
  const s = stepOf(base, title, actor);
  const r = simulate({ seed: "tamper", ...opts, tamper: { step: s.index, offset: offset(s) } });
  assert.equal(r.ok, false);
  return r;
}
const firstFailure = (r: SimulationResult) => r.steps.find((s) => s.kind === "check" && !s.ok && !s.note?.startsWith("not fatal"));
const len = (s: MessageStep) => s.records.reduce((n, x) => n + x.length, 0);

test("a flipped byte makes the right check fail", () => {
  // TLS 1.2 ServerKeyExchange: the last byte is the signature's.
  assert.equal(firstFailure(tampered({ version: "1.2" }, "ServerKeyExchange", (s) => len(s) - 1))!.title, "ServerKeyExchange signature");
  // A byte of the leaf certificate's signature (the leaf ends well before the intermediate starts).
  const cert = tampered({ version: "1.2" }, "Certificate", () => 5 + 4 + 3 + 3 + 100);
  assert.match(firstFailure(cert)!.title, /certificate|signature|parses/);
  // TLS 1.2 Finished from the client: encrypted record → integrity; plaintext ClientHello random → keys differ.
  assert.equal(firstFailure(tampered({ version: "1.2" }, "Finished", (s) => len(s) - 3, "client"))!.title, "record protection (integrity)");
  assert.equal(
    firstFailure(tampered({ version: "1.2", cipherSuite: 0xc013, encryptThenMac: false }, "Finished", (s) => len(s) - 3, "client"))!.title,
    "record protection (integrity)",
  );
  const ch = firstFailure(tampered({ version: "1.2" }, "ClientHello", () => 5 + 4 + 2 + 3))!;
  // The server signed (or hashed) another client_random than the client's own.
  assert.ok(["ServerKeyExchange signature", "record protection (integrity)"].includes(ch.title), ch.title);
  // TLS 1.3: CertificateVerify / Finished are encrypted: the AEAD tag catches it.
  assert.equal(firstFailure(tampered({ version: "1.3" }, "CertificateVerify", (s) => len(s) - 20))!.title, "record protection (integrity)");
  // TLS 1.3 ServerHello random: the client derives other handshake keys.
  assert.equal(firstFailure(tampered({ version: "1.3" }, "ServerHello", () => 5 + 4 + 2 + 1))!.title, "record protection (integrity)");
  // PSK binder: the last byte of the resumed ClientHello.
  assert.equal(firstFailure(tampered({ version: "1.3", resumption: true }, "ClientHello", (s) => len(s) - 1))!.title, "PSK binder");
  // RSA key transport: the server cannot tell, the Finished exchange fails.
  const rsa = tampered({ version: "1.2", keyExchange: "RSA" }, "ClientKeyExchange", (s) => len(s) - 7);
  assert.ok(rsa.steps.some((s) => s.kind === "check" && s.title === "RSA premaster decryption"));
  assert.equal(
    rsa.connection.messages.find((m) => m.name === "Finished" && m.dir === "s2c"),
    undefined,
  );
});

test("flipping any byte of any message never crashes and always fails visibly", () => {
  for (const opts of [
    { version: "1.3", helloRetry: true, group: 23 },
    { version: "1.2", cipherSuite: 0xc013, clientAuth: true },
  ] as SimulationOptions[]) {
    const base = simulate({ seed: "fuzz", ...opts });
    for (const s of base.steps) {
      if (s.kind !== "message" || s.contentType === 21) continue;
      const total = len(s);
      for (const offset of [0, 1, 2, 3, 4, 5, Math.floor(total / 2), total - 1]) {
        const r = simulate({ seed: "fuzz", ...opts, tamper: { step: s.index, offset } });
        assert.equal(r.ok, false, `${s.title} byte ${offset}`);
        assert.ok(firstFailure(r) || r.error, `${s.title} byte ${offset}: no failed check`);
      }
    }
  }
});
