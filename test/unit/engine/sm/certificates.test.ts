import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { generatePki, verifyChain, SEEDED_NOW } from "../../../../src/engine/certificates";

const pem = (der: Uint8Array) =>
  `-----BEGIN CERTIFICATE-----\n${Buffer.from(der)
    .toString("base64")
    .replace(/(.{64})/g, "$1\n")}\n-----END CERTIFICATE-----\n`;

test("seeded PKI is deterministic and verifies", () => {
  const a = generatePki({ seed: "cert-test" });
  const chain = a.serverChain("ecdsa").chain;
  const again = generatePki({ seed: "cert-test" }).serverChain("ecdsa").chain;
  assert.deepEqual(again, chain);
  const steps = verifyChain(chain, { trustAnchors: [a.root.der], hostname: "localhost", now: SEEDED_NOW });
  for (const s of steps) assert.ok(s.ok, `${s.title}: ${s.detail}`);
  assert.ok(steps.some((s) => s.title === "certificate signature (leaf by intermediate 1)"));
  assert.ok(steps.some((s) => s.title === "certificate signature (intermediate 1 by trust anchor)"));
});

test("openssl verifies the generated chains (ECDSA and RSA leaves)", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "pki-"));
  try {
    const p = generatePki({ hostname: "localhost" });
    writeFileSync(path.join(dir, "root.pem"), pem(p.root.der));
    writeFileSync(path.join(dir, "int.pem"), pem(p.intermediate.der));
    for (const kind of ["ecdsa", "rsa"] as const) {
      writeFileSync(path.join(dir, "leaf.pem"), pem(p.serverChain(kind).chain[0]));
      const out = execFileSync(
        "openssl",
        ["verify", "-CAfile", path.join(dir, "root.pem"), "-untrusted", path.join(dir, "int.pem"), "-verify_hostname", "localhost", path.join(dir, "leaf.pem")],
        { encoding: "utf8" },
      );
      assert.match(out, /OK/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("verifyChain reports each failure", () => {
  const p = generatePki({ seed: "cert-test" });
  const chain = p.serverChain("rsa").chain.map((c) => c.slice());
  const ok = verifyChain(chain, { trustAnchors: [p.root.der], hostname: "localhost", now: SEEDED_NOW });
  assert.ok(
    ok.every((s) => s.ok),
    JSON.stringify(ok.filter((s) => !s.ok)),
  );
  const bad = chain.map((c) => c.slice());
  bad[0][bad[0].length - 5] ^= 1; // inside the leaf's signature
  const r = verifyChain(bad, { trustAnchors: [p.root.der], hostname: "localhost", now: SEEDED_NOW });
  assert.equal(r.find((s) => s.title.startsWith("certificate signature (leaf"))!.ok, false);
  assert.equal(
    verifyChain(chain, { trustAnchors: [p.root.der], hostname: "example.com", now: SEEDED_NOW }).find((s) => s.title.startsWith("host name"))!.ok,
    false,
  );
  assert.equal(
    verifyChain(chain, { trustAnchors: [p.root.der], now: new Date(Date.UTC(2050, 0, 1)) }).find((s) => s.title === "validity period (leaf)")!.ok,
    false,
  );
  const other = generatePki({ seed: "other" });
  assert.equal(verifyChain(chain, { trustAnchors: [other.root.der], now: SEEDED_NOW }).find((s) => s.title === "chain ends at a trust anchor")!.ok, false);
  // A leaf presented as an issuer: basicConstraints fails.
  const leafAsCa = verifyChain([other.serverChain("ecdsa").chain[0], chain[0]], { trustAnchors: [], now: SEEDED_NOW });
  assert.ok(leafAsCa.some((s) => !s.ok));
});

test("verifyChain accepts the fixture RSA chain", () => {
  const dir = path.resolve(__dirname, "../../../../../shared/fixtures/certs");
  const der = (f: string) => new Uint8Array(Buffer.from(readFileSync(path.join(dir, f), "utf8").replace(/-----[^-]+-----|\s/g, ""), "base64"));
  const r = verifyChain([der("server-rsa.pem")], { trustAnchors: [der("ca.pem")], hostname: "server.test" });
  assert.ok(
    r.every((s) => s.ok),
    JSON.stringify(r.filter((s) => !s.ok)),
  );
  const e = verifyChain([der("server-ecdsa.pem")], { trustAnchors: [der("ca.pem")], hostname: "127.0.0.1" });
  assert.ok(
    e.every((s) => s.ok),
    JSON.stringify(e.filter((s) => !s.ok)),
  );
});
