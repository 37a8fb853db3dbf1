/**
 * TLS 1.0/1.1 PRF (RFC 2246 §5: P_MD5 over the secret's first half XOR P_SHA-1 over its second) against OpenSSL's
 * own TLS1-PRF KDF (`openssl kdf -kdfopt digest:MD5-SHA1 TLS1-PRF`), run here as the oracle — for secrets of even
 * and odd length (the halves share the middle byte) and outputs longer than either hash.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { prf10 } from "../../../src/engine/prf10";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

function opensslPrf(secret: Uint8Array, label: string, seed: Uint8Array, length: number): string {
  const args = ["kdf", "-keylen", String(length), "-kdfopt", "digest:MD5-SHA1", "-kdfopt", `hexsecret:${hex(secret)}`];
  args.push("-kdfopt", `seed:${label}`, "-kdfopt", `hexseed:${hex(seed)}`, "TLS1-PRF");
  const r = spawnSync("openssl", args, { encoding: "utf8", timeout: 30_000 });
  assert.equal(r.status, 0, `openssl kdf: ${r.error?.message ?? r.stderr}`);
  return r.stdout.trim().replace(/:/g, "").toLowerCase();
}

test("TLS 1.0 PRF equals OpenSSL's TLS1-PRF (MD5-SHA1)", () => {
  const cases: [number, string, number][] = [
    [48, "master secret", 48],
    [47, "key expansion", 104],
    [48, "client finished", 12],
    [1, "server finished", 12],
  ];
  for (const [secretLength, label, length] of cases) {
    const secret = new Uint8Array(randomBytes(secretLength));
    const seed = new Uint8Array(randomBytes(36));
    assert.equal(hex(prf10(secret, label, seed, length)), opensslPrf(secret, label, seed, length), `${label}, ${secretLength}-byte secret`);
  }
});
