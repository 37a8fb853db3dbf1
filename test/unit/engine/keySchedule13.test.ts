/**
 * The TLS 1.3 key schedule as a list of named steps: the onSecret hook reports every derivation in order with
 * its inputs; KeyUpdate and the traffic key helpers agree with the plain functions. (Values are checked against
 * RFC 8448 in rfc8448.test.ts.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { seededRng } from "../../../src/engine/crypto/random";
import { hkdfLabel, KeySchedule13, nextTrafficSecret13, trafficKeys13 } from "../../../src/engine/keySchedule13";
import { suiteParams } from "../../../src/engine/suites";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

test("onSecret reports each derivation with its inputs, in protocol order", () => {
  const p = suiteParams(0x1302)!;
  const rng = seededRng("ks");
  const log: { name: string; len: number; inputs: string[]; derivation: string }[] = [];
  const ks = new KeySchedule13(p, (name, value, how) => log.push({ name, len: value.length, ...how }));
  const th = () => rng(48);
  ks.earlySecret();
  ks.handshakeSecret(rng(32));
  ks.clientHandshakeTrafficSecret(th());
  ks.serverHandshakeTrafficSecret(th());
  ks.trafficKeys(p, "server_handshake_traffic_secret");
  ks.finished("server", th());
  ks.masterSecret();
  ks.clientApplicationTrafficSecret0(th());
  ks.serverApplicationTrafficSecret0(th());
  ks.exporterMasterSecret(th());
  ks.finished("client", th());
  ks.resumptionMasterSecret(th());
  ks.ticketPsk(Uint8Array.of(0));
  ks.keyUpdate("client", 0);
  assert.deepEqual(
    log.map((l) => l.name),
    [
      "early_secret",
      "derived_early",
      "handshake_secret",
      "client_handshake_traffic_secret",
      "server_handshake_traffic_secret",
      "server_handshake_traffic_secret key",
      "server_handshake_traffic_secret iv",
      "server_finished",
      "derived_handshake",
      "master_secret",
      "client_application_traffic_secret_0",
      "server_application_traffic_secret_0",
      "exporter_master_secret",
      "client_finished",
      "resumption_master_secret",
      "resumption_psk",
      "client_application_traffic_secret_1",
    ],
  );
  for (const l of log) {
    assert.ok(l.inputs.length >= 1 && l.derivation.length > 5, l.name);
    const expectLen = l.name.endsWith(" key") ? 32 : l.name.endsWith(" iv") ? 12 : 48;
    assert.equal(l.len, expectLen, l.name);
  }
  assert.deepEqual(log.find((l) => l.name === "handshake_secret")!.inputs, ["derived_early", "(EC)DHE shared secret"]);
  assert.equal(
    hex(ks.secrets.get("client_application_traffic_secret_1")!),
    hex(nextTrafficSecret13(p, ks.secrets.get("client_application_traffic_secret_0")!)),
  );
  assert.equal(hex(ks.secrets.get("server_handshake_traffic_secret key")!), hex(trafficKeys13(p, ks.secrets.get("server_handshake_traffic_secret")!).key));
});

test("stages out of order throw a clear error; HkdfLabel bounds", () => {
  const ks = new KeySchedule13("SHA256");
  assert.throws(() => ks.masterSecret(), /handshake_secret not derived/);
  assert.throws(() => hkdfLabel(32, "x".repeat(250), new Uint8Array(0)), RangeError);
});
