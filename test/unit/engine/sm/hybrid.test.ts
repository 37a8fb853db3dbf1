/**
 * The post-quantum hybrid groups (draft-ietf-tls-ecdhe-mlkem §3.1) in the engine: every simulated combination
 * completes; the shares and secrets have the draft's sizes and order, recomputed here independently from the
 * logged private values with @noble/post-quantum and @noble/curves; the engine's client against its own server
 * over TCP for each group; hostile shares are refused with the alerts the draft names.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ml_kem1024, ml_kem768 } from "@noble/post-quantum/ml-kem.js";
import { x25519 } from "@noble/curves/ed25519.js";
import { p256, p384 } from "@noble/curves/nist.js";
import { simulate, type SimulationResult } from "../../../../src/engine/simulate";
import { connect } from "../../../../src/engine/connect";
import { serve, type ServedConnection } from "../../../../src/engine/serve";
import { Server } from "../../../../src/engine/server";
import { generatePki } from "../../../../src/engine/certificates";
import { supportedSuites } from "../../../../src/engine/suites";
import { decodeHandshake } from "../../../../src/tls/handshake/decode";
import * as E from "../../../../src/tls/encode";
import { encodeRecord } from "../../../../src/tls/record";
import { ContentType } from "../../../../src/tls/registry";
import { NamedGroup, namedGroups } from "../../../../src/tls/registry";
import type { MessageStep, SecretStep } from "../../../../src/engine/steps";
import type { FieldNode } from "../../../../src/tls/field";

const HYBRIDS = [NamedGroup.X25519MLKEM768, NamedGroup.SecP256r1MLKEM768, NamedGroup.SecP384r1MLKEM1024];
const failed = (r: SimulationResult) => r.steps.flatMap((s) => (s.kind === "check" && !s.ok ? [`${s.title}: ${s.detail}`] : []));
const unhex = (h: string) => Uint8Array.from(Buffer.from(h, "hex"));
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

function secrets(r: SimulationResult, title: string): SecretStep[] {
  return r.steps.filter((s): s is SecretStep => s.kind === "secret" && s.title === title);
}

function keyShare(r: SimulationResult, title: string, nth = 0): { group: number; keyExchange: Uint8Array } {
  const m = r.steps.filter((s): s is MessageStep => s.kind === "message" && s.title === title)[nth];
  const d = decodeHandshake(m.raw, { dir: title === "ClientHello" ? "c2s" : "s2c", version: null, cipherSuite: null }, false).details;
  return d.keyShares![0];
}

test("every hybrid group × TLS 1.3 suite × HelloRetryRequest completes, with both Finished verified", () => {
  const suites = supportedSuites()
    .filter((s) => s.tls13)
    .map((s) => s.suite);
  assert.ok(suites.length >= 3);
  let n = 0;
  for (const group of HYBRIDS)
    for (const cipherSuite of suites)
      for (const helloRetry of [false, true]) {
        const r = simulate({ version: "1.3", group, cipherSuite, helloRetry, seed: `hybrid-${n++}` });
        const opts = `${group.toString(16)} 0x${cipherSuite.toString(16)} hrr=${helloRetry}`;
        assert.ok(r.ok, `${opts}: ${r.error} ${failed(r).join(" | ")}`);
        assert.deepEqual(
          r.connection.messages.filter((m) => m.name === "Finished").map((m) => m.verified),
          [true, true],
          opts,
        );
        const sh = r.connection.messages.find((m) => m.name === "ServerHello")!;
        assert.equal(sh.fields!.keyShareGroup, group, opts);
        if (helloRetry) {
          const hrr = r.connection.messages.find((m) => m.name === "HelloRetryRequest")!;
          assert.equal(hrr.fields!.keyShareGroup, group, `${opts}: the HelloRetryRequest asks for the hybrid`);
        }
      }
});

test("resumption and client authentication over a hybrid group", () => {
  for (const extra of [{ resumption: true }, { clientAuth: true }, { resumption: true, helloRetry: true }])
    for (const group of HYBRIDS) {
      const r = simulate({ version: "1.3", group, seed: "hybrid-extra", ...extra });
      assert.ok(r.ok, `${JSON.stringify(extra)} ${group}: ${r.error} ${failed(r).join(" | ")}`);
    }
});

/** The draft's sizes (§3.1.1–3.1.3) and order, recomputed from the logged private values with noble directly. */
const EXPECT = {
  [NamedGroup.X25519MLKEM768]: { kem: ml_kem768, kemName: "ML-KEM-768", ec: "x25519", kemFirst: true, client: 1216, server: 1120, secret: 64 },
  [NamedGroup.SecP256r1MLKEM768]: { kem: ml_kem768, kemName: "ML-KEM-768", ec: "secp256r1", kemFirst: false, client: 1249, server: 1153, secret: 64 },
  [NamedGroup.SecP384r1MLKEM1024]: { kem: ml_kem1024, kemName: "ML-KEM-1024", ec: "secp384r1", kemFirst: false, client: 1665, server: 1665, secret: 80 },
} as const;

function ecdhRef(ec: string, priv: Uint8Array, pub: Uint8Array): Uint8Array {
  if (ec === "x25519") return x25519.getSharedSecret(priv, pub);
  return (ec === "secp256r1" ? p256 : p384).getSharedSecret(priv, pub, true).subarray(1);
}
function ecPubRef(ec: string, priv: Uint8Array): Uint8Array {
  if (ec === "x25519") return x25519.getPublicKey(priv);
  return (ec === "secp256r1" ? p256 : p384).getPublicKey(priv, false);
}

test("shares and secrets: the draft's sizes and order, recomputed independently", () => {
  for (const group of HYBRIDS) {
    const x = EXPECT[group];
    const r = simulate({ version: "1.3", group, seed: "sizes" });
    assert.ok(r.ok, r.error);
    const name = namedGroups.name(group);
    const ch = keyShare(r, "ClientHello");
    const sh = keyShare(r, "ServerHello");
    assert.equal(ch.group, group);
    assert.equal(ch.keyExchange.length, x.client, `${name} client share`);
    assert.equal(sh.keyExchange.length, x.server, `${name} server share`);
    const ekLen = x.kem.lengths.publicKey!;
    const ecLen = x.client - ekLen;
    const split = (b: Uint8Array, kemLen: number) =>
      x.kemFirst ? { kem: b.subarray(0, kemLen), ec: b.subarray(kemLen) } : { ec: b.subarray(0, b.length - kemLen), kem: b.subarray(b.length - kemLen) };
    const c = split(ch.keyExchange, ekLen);
    const s = split(sh.keyExchange, sh.keyExchange.length - ecLen);
    // The client's ML-KEM key pair from its logged seed, its ECDH public key from its logged private key.
    const seed = unhex(secrets(r, `client ${x.kemName} key pair seed (d ‖ z)`)[0].value);
    const kp = x.kem.keygen(seed);
    assert.equal(hex(c.kem), hex(kp.publicKey), "the client share's ML-KEM part is the encapsulation key");
    const cPriv = unhex(secrets(r, `client ${name} ${x.ec} private key`)[0].value);
    assert.equal(hex(c.ec), hex(ecPubRef(x.ec, cPriv)), "the client share's ECDH part");
    // The server's encapsulation from its logged m, its ECDH share from its logged private key.
    const m = unhex(secrets(r, `server ${x.kemName} encapsulation randomness m`)[0].value);
    const enc = x.kem.encapsulate(kp.publicKey, m);
    assert.equal(hex(s.kem), hex(enc.cipherText), "the server share's ML-KEM part is the ciphertext");
    const sPriv = unhex(secrets(r, `server ${name} ${x.ec} private key`)[0].value);
    assert.equal(hex(s.ec), hex(ecPubRef(x.ec, sPriv)), "the server share's ECDH part");
    const kemSecret = x.kem.decapsulate(s.kem, kp.secretKey);
    const ecSecret = ecdhRef(x.ec, cPriv, s.ec);
    const combined = x.kemFirst ? hex(kemSecret) + hex(ecSecret) : hex(ecSecret) + hex(kemSecret);
    // Each shared secret is logged once per side, and each log says who knows it then.
    const kemSteps = secrets(r, `${x.kemName} shared secret`);
    const ecSteps = secrets(r, `${x.ec} shared secret`);
    const all = secrets(r, "(EC)DHE shared secret");
    for (const list of [kemSteps, ecSteps, all]) {
      assert.deepEqual(
        list.map((st) => [st.actor, st.knownBy.join("+")]),
        [
          ["server", "server"],
          ["client", "client+server"],
        ],
      );
    }
    assert.equal(kemSteps[0].value, hex(kemSecret));
    assert.equal(ecSteps[0].value, hex(ecSecret));
    assert.equal(all[0].value.length / 2, x.secret);
    assert.equal(all[0].value, combined);
    assert.deepEqual(all[0].inputs, x.kemFirst ? [kemSteps[0].title, ecSteps[0].title] : [ecSteps[0].title, kemSteps[0].title]);
    // The field tree splits each share the same way, in the group's order.
    for (const [title, kemField, whole] of [
      ["ClientHello", "mlkem_encapsulation_key", ch.keyExchange],
      ["ServerHello", "mlkem_ciphertext", sh.keyExchange],
    ] as const) {
      const m = r.steps.find((st): st is MessageStep => st.kind === "message" && st.title === title)!;
      const tree = decodeHandshake(m.raw, { dir: title === "ClientHello" ? "c2s" : "s2c", version: null, cipherSuite: null }, true).tree!;
      const kx = JSON.stringify(tree).includes(kemField);
      assert.ok(kx, `${name} ${title}: ${kemField} in the tree`);
      const names: string[] = [];
      const walk = (n: FieldNode) => {
        if (n.name === kemField || n.name === `${x.ec}_share`) names.push(`${n.name}:${n.end - n.start}`);
        for (const c of n.children ?? []) walk(c);
      };
      walk(tree);
      const kemLen = title === "ClientHello" ? ekLen : whole.length - ecLen;
      const want = [`${kemField}:${kemLen}`, `${x.ec}_share:${ecLen}`];
      assert.deepEqual(names, x.kemFirst ? want : want.reverse(), `${name} ${title}`);
    }
    // The key schedule takes the concatenation as its (EC)DHE input.
    assert.deepEqual(secrets(r, "handshake_secret")[0].inputs, ["derived_early", "(EC)DHE shared secret"]);
  }
});

test("hostile hybrid shares: wrong sizes, a failed modulus check and a bad ECDH part are illegal_parameter", () => {
  const pki = generatePki({ seed: "hostile-hybrid" });
  const good = simulate({ version: "1.3", group: NamedGroup.X25519MLKEM768, seed: "hostile" });
  const ch = keyShare(good, "ClientHello").keyExchange;
  const badModulus = Uint8Array.from(ch);
  badModulus.fill(0xff, 0, 2); // the first coefficient becomes 0xfff ≥ q = 3329 (FIPS 203 §7.2)
  const zeroEc = Uint8Array.from(ch);
  zeroEc.fill(0, 1184); // an all-zero X25519 public key: all-zero shared secret (RFC 8446 §7.4.2)
  const cases: [string, Uint8Array][] = [
    ["short", ch.subarray(0, 1215)],
    ["long", Uint8Array.from([...ch, 0])],
    ["modulus", badModulus],
    ["zero x25519", zeroEc],
  ];
  for (const [what, keyExchange] of cases) {
    const server = new Server({ credentials: { ecdsa: pki.serverChain("ecdsa") } });
    server.start();
    const hello = E.encodeClientHello({
      random: new Uint8Array(32).fill(7),
      sessionId: new Uint8Array(32),
      cipherSuites: [0x1301],
      extensions: [
        E.supportedGroupsExt([NamedGroup.X25519MLKEM768]),
        E.signatureAlgorithmsExt([0x0403]),
        E.supportedVersionsClientExt([0x0304]),
        E.keyShareClientExt([{ group: NamedGroup.X25519MLKEM768, keyExchange }]),
      ],
    });
    server.feed(encodeRecord(ContentType.handshake, 0x0301, hello));
    assert.equal(server.state, "failed", what);
    const alert = server.takeOutput().at(-1)!.bytes;
    assert.deepEqual([...alert.subarray(5)], [2, 47], `${what}: fatal illegal_parameter`);
  }
});

test("connect ↔ serve over TCP on 127.0.0.1 for each hybrid group; serve prefers the hybrid", { timeout: 60000 }, async () => {
  const seen: ServedConnection[] = [];
  const srv = await serve({ port: 0, onConnection: (c) => seen.push(c) });
  try {
    for (const group of HYBRIDS) {
      const r = await connect({ host: "127.0.0.1", port: srv.port, insecure: true, group, timeoutMs: 10000 });
      assert.ok(r.ok, `${group}: ${r.error}`);
      assert.equal(r.connection.messages.find((m) => m.name === "ServerHello")!.fields!.keyShareGroup, group);
      assert.equal(r.appData.firstLine, "HTTP/1.1 200 OK");
    }
    // A client listing the hybrid but sharing only x25519 keeps x25519 (no HelloRetryRequest).
    const plain = await connect({ host: "127.0.0.1", port: srv.port, insecure: true, timeoutMs: 10000 });
    assert.ok(plain.ok, plain.error);
    assert.equal(plain.connection.messages.find((m) => m.name === "ServerHello")!.fields!.keyShareGroup, NamedGroup.x25519);
    const deadline = Date.now() + 5000;
    while (seen.length < 4 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
    assert.deepEqual(
      seen.map((s) => s.ok),
      [true, true, true, true],
    );
  } finally {
    await srv.close();
  }
});
