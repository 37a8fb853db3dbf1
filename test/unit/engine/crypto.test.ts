/**
 * The engine's primitives against an independent implementation (node:crypto / OpenSSL as the oracle): hashes,
 * HMAC, HKDF, AES-GCM, ChaCha20-Poly1305, AES-CBC, ECDH, ECDSA, Ed25519, RSA PKCS#1 v1.5 and PSS, RSA key
 * transport, finite-field DH; plus the seeded generator's reproducibility and the incremental hash.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as nc from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { aeadOpen, aeadSeal, nobleAeadSeal } from "../../../src/engine/crypto/aead";
import { aesCbcDecrypt, aesCbcEncrypt, nobleCbcEncrypt } from "../../../src/engine/crypto/cipher";
import { ecdh, ecdsaSign, ecdsaVerify, ecKeyPair, ed25519KeyPair, ed25519Sign, ed25519Verify, type EcGroup } from "../../../src/engine/crypto/ec";
import { dhKeyPair, dhSharedSecret } from "../../../src/engine/crypto/ffdh";
import { constantTimeEqual, createHash, hashOf, hkdfExpand, hkdfExtract, hmac } from "../../../src/engine/crypto/hash";
import { privateKeyFromPem } from "../../../src/engine/crypto/keys";
import { randomBytes, seededRng } from "../../../src/engine/crypto/random";
import { rsaPkcs1Sign, rsaPkcs1Verify, rsaPssSign, rsaPssVerify, type RsaPrivateKey, type RsaPublicKey } from "../../../src/engine/crypto/rsa";
import { createPremaster, decryptPremasterDetailed } from "../../../src/engine/rsaKeyTransport";
import { sharedPath } from "../../support/require";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const rng = seededRng("crypto tests");
const certs = sharedPath("fixtures", "certs");

test("hashes, HMAC, HKDF agree with node:crypto", () => {
  for (const [h, n] of [
    ["SHA1", "sha1"],
    ["SHA256", "sha256"],
    ["SHA384", "sha384"],
  ] as const) {
    for (const len of [0, 1, 55, 56, 64, 1000]) {
      const d = rng(len);
      assert.equal(hex(hashOf(h, d)), nc.createHash(n).update(d).digest("hex"));
      const key = rng(len % 70);
      assert.equal(hex(hmac(h, key, d)), nc.createHmac(n, key).update(d).digest("hex"));
    }
    if (h === "SHA1") continue;
    const ikm = rng(22);
    const salt = rng(13);
    const info = rng(10);
    const prk = hkdfExtract(h, salt, ikm);
    const okm = hkdfExpand(h, prk, info, 42);
    assert.equal(hex(okm), Buffer.from(nc.hkdfSync(n, ikm, salt, info, 42)).toString("hex"));
  }
});

test("incremental hash: clone reads the running value, updates continue", () => {
  const a = rng(100);
  const b = rng(50);
  const h = createHash("SHA384").update(a);
  const mid = h.clone().digest();
  h.update(b);
  assert.equal(hex(mid), hex(hashOf("SHA384", a)));
  assert.equal(hex(h.digest()), hex(hashOf("SHA384", new Uint8Array([...a, ...b]))));
});

test("AEADs agree with node:crypto and with noble, and refuse a wrong tag", () => {
  for (const [alg, n, kl] of [
    ["AES_128_GCM", "aes-128-gcm", 16],
    ["AES_256_GCM", "aes-256-gcm", 32],
    ["CHACHA20_POLY1305", "chacha20-poly1305", 32],
  ] as const) {
    const key = rng(kl);
    const nonce = rng(12);
    const aad = rng(13);
    const pt = rng(77);
    const sealed = aeadSeal(alg, key, nonce, aad, pt);
    const c = nc.createCipheriv(n as "aes-128-gcm", key, nonce, { authTagLength: 16 } as never);
    c.setAAD(aad, { plaintextLength: pt.length });
    const ref = Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]);
    assert.equal(hex(sealed), ref.toString("hex"), alg);
    assert.equal(hex(sealed), hex(nobleAeadSeal(alg, key, nonce, aad, pt)), `${alg} (noble)`);
    assert.equal(hex(aeadOpen(alg, key, nonce, aad, sealed)!), hex(pt));
    sealed[0] ^= 1;
    assert.equal(aeadOpen(alg, key, nonce, aad, sealed), null);
    assert.equal(aeadOpen(alg, key, nonce, aad, new Uint8Array(3)), null);
  }
});

test("AES-CBC without padding agrees with node:crypto and with noble", () => {
  for (const kl of [16, 32]) {
    const key = rng(kl);
    const iv = rng(16);
    const data = rng(64);
    const c = nc.createCipheriv(kl === 16 ? "aes-128-cbc" : "aes-256-cbc", key, iv).setAutoPadding(false);
    const ref = Buffer.concat([c.update(data), c.final()]);
    const ct = aesCbcEncrypt(key, iv, data);
    assert.equal(hex(ct), ref.toString("hex"));
    assert.equal(hex(ct), hex(nobleCbcEncrypt(key, iv, data)), "noble");
    assert.equal(hex(aesCbcDecrypt(key, iv, ct)), hex(data));
  }
});

test("ECDH (X25519, P-256, P-384) agrees with node:crypto; bad peer keys throw", () => {
  for (const [g, curve] of [
    ["x25519", null],
    ["secp256r1", "prime256v1"],
    ["secp384r1", "secp384r1"],
  ] as const) {
    const mine = ecKeyPair(g as EcGroup, rng);
    let peerPub: Uint8Array;
    let peerSecret: Buffer;
    if (curve) {
      const e = nc.createECDH(curve);
      peerPub = new Uint8Array(e.generateKeys());
      peerSecret = e.computeSecret(mine.publicKey);
      assert.equal(mine.publicKey[0], 4, "uncompressed point");
    } else {
      const kp = nc.generateKeyPairSync("x25519");
      peerPub = new Uint8Array((kp.publicKey.export({ format: "der", type: "spki" }) as Buffer).subarray(-32));
      const myKey = nc.createPrivateKey({
        key: Buffer.concat([Buffer.from("302e020100300506032b656e04220420", "hex"), mine.privateKey]),
        format: "der",
        type: "pkcs8",
      });
      peerSecret = nc.diffieHellman({ privateKey: kp.privateKey, publicKey: nc.createPublicKey(myKey) });
      assert.equal(hex(new Uint8Array((nc.createPublicKey(myKey).export({ format: "der", type: "spki" }) as Buffer).subarray(-32))), hex(mine.publicKey));
    }
    assert.equal(hex(ecdh(g as EcGroup, mine.privateKey, peerPub)), peerSecret.toString("hex"), g);
    assert.throws(() => ecdh(g as EcGroup, mine.privateKey, peerPub.subarray(1)));
  }
  assert.throws(() => ecdh("x25519", rng(32), new Uint8Array(32)), /zero/);
  // Same seed, same keys.
  assert.equal(hex(ecKeyPair("secp256r1", seededRng("s")).privateKey), hex(ecKeyPair("secp256r1", seededRng("s")).privateKey));
});

test("ECDSA: DER signatures verify in node:crypto and node's verify in ours", () => {
  const pem = fs.readFileSync(path.join(certs, "server-ecdsa.key"), "utf8");
  const raw = privateKeyFromPem(pem);
  assert.ok(raw.type === "ec");
  const { curve, privateKey } = raw;
  assert.equal(curve, "secp256r1");
  const pub = nc.createPublicKey(pem);
  const jwk = pub.export({ format: "jwk" });
  const point = new Uint8Array([4, ...Buffer.from(jwk.x!, "base64url"), ...Buffer.from(jwk.y!, "base64url")]);
  const msg = rng(200);
  for (const [h, n] of [
    ["SHA256", "sha256"],
    ["SHA384", "sha384"],
  ] as const) {
    const sig = ecdsaSign(curve, h, privateKey, msg);
    assert.equal(sig[0], 0x30, "DER SEQUENCE");
    assert.ok(nc.verify(n, msg, pub, sig));
    const theirs = new Uint8Array(nc.sign(n, msg, pem));
    assert.ok(ecdsaVerify(curve, h, point, msg, theirs));
    assert.equal(ecdsaVerify(curve, h, point, rng(5), theirs), false);
    assert.equal(ecdsaVerify(curve, h, point, msg, theirs.subarray(1)), false);
  }
});

test("Ed25519 agrees with node:crypto", () => {
  const kp = ed25519KeyPair(rng);
  const msg = rng(33);
  const sig = ed25519Sign(kp.privateKey, msg);
  const nodeKey = nc.createPublicKey({ key: Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), kp.publicKey]), format: "der", type: "spki" });
  assert.ok(nc.verify(null, msg, nodeKey, sig));
  assert.ok(ed25519Verify(kp.publicKey, msg, sig));
  assert.equal(ed25519Verify(kp.publicKey, rng(3), sig), false);
});

/** An RSA PEM as the engine's keys: the private key, and the public key as (n, e). */
function rsaKeys(pem: string): { priv: RsaPrivateKey; pub: RsaPublicKey } {
  const raw = privateKeyFromPem(pem);
  assert.ok(raw.type === "rsa");
  return { priv: raw.key, pub: { n: raw.key.n, e: raw.key.e } };
}

test("RSA PKCS#1 v1.5 and PSS signatures interoperate with node:crypto; seeded PSS is reproducible", () => {
  const pem = fs.readFileSync(path.join(certs, "server-rsa.key"), "utf8");
  const pubPem = nc.createPublicKey(pem).export({ format: "pem", type: "spki" }) as string;
  const { priv, pub } = rsaKeys(pem);
  const msg = rng(100);
  for (const h of ["SHA256", "SHA384"] as const) {
    const n = h.toLowerCase();
    const s1 = rsaPkcs1Sign(priv, h, msg);
    assert.equal(hex(s1), hex(new Uint8Array(nc.sign(n, msg, pem))), "PKCS#1 v1.5 is deterministic");
    assert.ok(rsaPkcs1Verify(pub, h, msg, s1));
    const pss = rsaPssSign(priv, h, msg, seededRng("pss"));
    assert.equal(hex(pss), hex(rsaPssSign(priv, h, msg, seededRng("pss"))));
    assert.ok(nc.verify(n, msg, { key: pubPem, padding: nc.constants.RSA_PKCS1_PSS_PADDING, saltLength: h === "SHA256" ? 32 : 48 }, pss));
    assert.ok(rsaPssVerify(pub, h, msg, pss));
    assert.ok(rsaPssVerify(pub, h, msg, rsaPssSign(priv, h, msg)));
    const theirs = new Uint8Array(nc.sign(n, msg, { key: pem, padding: nc.constants.RSA_PKCS1_PSS_PADDING, saltLength: h === "SHA256" ? 32 : 48 }));
    assert.ok(rsaPssVerify(pub, h, msg, theirs), "node's PSS verifies");
    assert.equal(rsaPssVerify(pub, h, rng(4), pss), false);
    assert.equal(rsaPkcs1Verify(pub, h, msg, pss), false);
    assert.equal(rsaPssVerify(pub, h, msg, s1), false);
    assert.equal(rsaPkcs1Verify(pub, h, msg, s1.subarray(1)), false, "a signature shorter than the modulus");
  }
});

test("RSA key transport: createPremaster → decryptPremaster round trip; other keys give a random premaster", () => {
  const pem = fs.readFileSync(path.join(certs, "server-rsa.key"), "utf8");
  const pubPem = nc.createPublicKey(pem).export({ format: "pem", type: "spki" }) as string;
  const { priv, pub } = rsaKeys(pem);
  const { premaster, encrypted } = createPremaster(pub, 0x0303, rng);
  assert.equal(hex(premaster.subarray(0, 2)), "0303");
  const d = decryptPremasterDetailed(pem, encrypted, 0x0303);
  assert.ok(d.valid);
  assert.equal(hex(d.premaster), hex(premaster));
  // Node's raw RSA reads our EME-PKCS1-v1_5 block: 00 02 PS 00 premaster.
  const em = nc.privateDecrypt({ key: pem, padding: nc.constants.RSA_NO_PADDING }, encrypted);
  assert.equal(hex(em.subarray(0, 2)), "0002");
  assert.equal(hex(em.subarray(-49)), "00" + hex(premaster));
  assert.equal(hex(decryptPremasterDetailed(priv, encrypted, 0x0303).premaster), hex(premaster), "the engine's key form");
  // Node's own PKCS#1 v1.5 encryption of a 48-byte premaster decrypts the same way.
  const pms2 = new Uint8Array([3, 3, ...rng(46)]);
  const enc2 = nc.publicEncrypt({ key: pubPem, padding: nc.constants.RSA_PKCS1_PADDING }, pms2);
  assert.equal(hex(decryptPremasterDetailed(pem, enc2, 0x0303).premaster), hex(pms2));
  // A 47-byte message is wrong (length check) and yields a random premaster.
  const enc3 = nc.publicEncrypt({ key: pubPem, padding: nc.constants.RSA_PKCS1_PADDING }, pms2.subarray(1));
  const d3 = decryptPremasterDetailed(pem, enc3, 0x0303);
  assert.equal(d3.valid, false);
  assert.equal(d3.premaster.length, 48);
  const other = fs.readFileSync(path.join(certs, "client.key"), "utf8");
  const modLen = nc.createPrivateKey(other).asymmetricKeyDetails?.modulusLength;
  // Another key of the same size: the raw result is noise (or the ciphertext exceeds its modulus); never valid.
  if (modLen === 2048) {
    for (let i = 0; i < 20; i++) {
      const e = createPremaster(pub, 0x0303).encrypted;
      assert.equal(decryptPremasterDetailed(other, e, 0x0303).valid, false);
    }
  }
  // A ciphertext equal to all-ones bytes is above the modulus: refused quietly, a random premaster as usual.
  assert.equal(decryptPremasterDetailed(pem, new Uint8Array(256).fill(0xff), 0x0303).valid, false);
  // Not an RSA decryption key: an error (the decoder then tries its next key).
  assert.throws(() => decryptPremasterDetailed(fs.readFileSync(path.join(certs, "server-ecdsa.key"), "utf8"), encrypted, 0x0303), /not an RSA/);
});

test("finite-field DH agrees with node:crypto (RFC 3526 group 14)", () => {
  const ref = nc.getDiffieHellman("modp14");
  ref.generateKeys();
  const p = new Uint8Array(ref.getPrime());
  const g = new Uint8Array(ref.getGenerator());
  const mine = dhKeyPair(p, g, rng);
  assert.equal(mine.publicKey.length, p.length);
  const z = dhSharedSecret(p, mine.privateKey, new Uint8Array(ref.getPublicKey()), true);
  assert.equal(
    hex(z),
    ref
      .computeSecret(mine.publicKey)
      .toString("hex")
      .padStart(p.length * 2, "0"),
  );
  const stripped = dhSharedSecret(p, mine.privateKey, new Uint8Array(ref.getPublicKey()));
  assert.ok(stripped[0] !== 0);
  assert.throws(() => dhSharedSecret(p, mine.privateKey, Uint8Array.of(1)));
});

test("seeded randomness is reproducible; constant-time compare", () => {
  const a = seededRng("x");
  const b = seededRng("x");
  assert.equal(hex(new Uint8Array([...a(5), ...a(40)])), hex(b(45)));
  assert.notEqual(hex(seededRng("y")(16)), hex(seededRng("x")(16)));
  assert.equal(randomBytes(7).length, 7);
  assert.ok(constantTimeEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2)));
  assert.ok(!constantTimeEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3)));
  assert.ok(!constantTimeEqual(Uint8Array.of(1), Uint8Array.of(1, 3)));
});
