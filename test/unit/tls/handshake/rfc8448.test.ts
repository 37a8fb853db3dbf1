/**
 * RFC 8448's TLS 1.3 traces (shared/vectors): every handshake message decodes without error and covers its bytes;
 * the PSK binders offset cuts the resumption ClientHello exactly where the RFC's partial ClientHello ends.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { decodeHandshake } from "../../../../src/tls/handshake/decode";
import { toHex } from "../../../../src/tls/reader";
import { checkCoverage } from "./coverage";
import { sharedPath } from "../../../support/require";

const vectors = sharedPath("vectors");
interface Step {
  index: number;
  who: string;
  action: string;
  label: string;
  octets: number;
  hex: string;
}
const files = fs.readdirSync(vectors).filter((f) => f.startsWith("rfc8448-") && f.endsWith(".json"));

for (const file of files) {
  test(`RFC 8448 messages decode: ${file}`, () => {
    const steps = (JSON.parse(fs.readFileSync(path.join(vectors, file), "utf8")) as { steps: Step[] }).steps;
    const msgs = steps.filter((s) => /^construct an? \w+ handshake message$/.test(s.action));
    assert.ok(msgs.length > 0);
    for (const s of msgs) {
      const raw = new Uint8Array(Buffer.from(s.hex, "hex"));
      const declared = 4 + ((raw[1] << 16) | (raw[2] << 8) | raw[3]);
      if (declared !== raw.length) continue; // §4's ClientHello without binders (the next test uses it)
      const ctx = { dir: s.who === "client" ? ("c2s" as const) : ("s2c" as const), version: 0x0304, cipherSuite: 0x1301 };
      const d = decodeHandshake(raw, ctx, true);
      const where = `${file} step ${s.index} ${s.label}`;
      assert.equal(d.error, undefined, `${where}: ${d.error?.field}: ${d.error?.message}`);
      if (s.label !== "ServerHello") assert.equal(d.name, s.label, where);
      checkCoverage(d.tree!, where);
      if (s.label === "Certificate") {
        const certs = d.fields.certificates as { subject: string | null }[];
        assert.ok(certs.length > 0 && certs.every((c) => typeof c.subject === "string"), `${where}: certificates parsed`);
      }
    }
  });
}

test("pskBindersOffset ends the partial ClientHello the binders are computed over (RFC 8448 §4)", () => {
  const file = path.join(vectors, "rfc8448-resumed-0rtt.json");
  const steps = (JSON.parse(fs.readFileSync(file, "utf8")) as { steps: Step[] }).steps;
  const partial = steps.find((s) => s.label === "ClientHello" && s.action.startsWith("construct"))!;
  const full = steps.find((s) => s.index > partial.index && s.action === "send handshake record" && s.label === "payload")!;
  const raw = new Uint8Array(Buffer.from(full.hex, "hex"));
  const d = decodeHandshake(raw, { dir: "c2s", version: null, cipherSuite: null }, false);
  assert.equal(d.error, undefined);
  assert.equal(toHex(raw.subarray(0, d.details.pskBindersOffset)), partial.hex);
  assert.equal(d.details.pskBinders?.length, 1);
  assert.equal(d.details.pskIdentities?.length, 1);
  assert.ok((d.fields.extensions as number[]).at(-1) === 41, "pre_shared_key is last");
});
