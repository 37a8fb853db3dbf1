/**
 * RFC 8448's CertificateVerify signatures (RFC 8446 §4.4.3) verified by the engine: RSA-PSS with the Section 2
 * key (§3, §5) and, in §6, ECDSA P-256 by the server and RSA-PSS by the client, with the public keys taken from
 * the certificates in the trace. The same signature over another transcript must fail.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as nc from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { ecdsaVerify } from "../../../src/engine/crypto/ec";
import { rsaPssVerify } from "../../../src/engine/crypto/rsa";
import { Transcript } from "../../../src/engine/transcript";
import { hashOf } from "../../../src/engine/crypto/hash";
import { sharedPath } from "../../support/require";

const vectors = sharedPath("vectors");
const bytes = (h: string) => new Uint8Array(Buffer.from(h, "hex"));
const HRR_RANDOM = Buffer.from(hashOf("SHA256", new TextEncoder().encode("HelloRetryRequest"))).toString("hex");

interface Step {
  who: string;
  action: string;
  label: string;
  hex: string;
}

function signedContent(side: "server" | "client", th: Uint8Array): Uint8Array {
  const ctx = new TextEncoder().encode(`TLS 1.3, ${side} CertificateVerify`);
  return new Uint8Array([...new Uint8Array(64).fill(0x20), ...ctx, 0, ...th]);
}

function certKey(certMsg: Uint8Array): nc.KeyObject {
  // Certificate: context<0..255> (empty here), certificate_list<3>: cert_data<3> ...
  const o = 4 + 1 + certMsg[4] + 3;
  const len = (certMsg[o] << 16) | (certMsg[o + 1] << 8) | certMsg[o + 2];
  return new nc.X509Certificate(Buffer.from(certMsg.subarray(o + 3, o + 3 + len))).publicKey;
}

for (const file of ["rfc8448-simple-1rtt.json", "rfc8448-hrr.json", "rfc8448-client-auth.json"]) {
  test(`RFC 8448 CertificateVerify signatures verify: ${file}`, () => {
    const doc = JSON.parse(fs.readFileSync(path.join(vectors, file), "utf8")) as {
      steps: Step[];
      server_rsa_private_key?: { modulus: string; public_exponent: string };
    };
    const t = new Transcript("SHA256");
    let lastCert: Record<string, Uint8Array> = {};
    let verified = 0;
    for (const s of doc.steps) {
      const m = /^construct an? (\w+) handshake message$/.exec(s.action);
      if (!m) continue;
      const raw = bytes(s.hex);
      if (m[1] === "ServerHello" && s.hex.slice(12, 76) === HRR_RANDOM) t.replaceWithMessageHash();
      if (m[1] === "Certificate") lastCert = { ...lastCert, [s.who]: raw };
      if (m[1] === "CertificateVerify") {
        const scheme = (raw[4] << 8) | raw[5];
        const sig = raw.subarray(8, 8 + ((raw[6] << 8) | raw[7]));
        const content = signedContent(s.who as "server" | "client", t.current());
        let ok: boolean;
        let wrong: boolean;
        if (scheme === 0x0804) {
          // The engine's RSA keys are (n, e) as bigints: from the trace's key, or from the certificate's JWK.
          const big = (b64u: string) => BigInt("0x" + Buffer.from(b64u, "base64url").toString("hex"));
          const jwk =
            s.who === "server" && doc.server_rsa_private_key
              ? {
                  n: Buffer.from(doc.server_rsa_private_key.modulus, "hex").toString("base64url"),
                  e: Buffer.from(doc.server_rsa_private_key.public_exponent, "hex").toString("base64url"),
                }
              : certKey(lastCert[s.who]).export({ format: "jwk" });
          const key = { n: big(jwk.n!), e: big(jwk.e!) };
          ok = rsaPssVerify(key, "SHA256", content, sig);
          wrong = rsaPssVerify(key, "SHA256", signedContent(s.who === "server" ? "client" : "server", t.current()), sig);
        } else {
          assert.equal(scheme, 0x0403, "ecdsa_secp256r1_sha256");
          const jwk = certKey(lastCert[s.who]).export({ format: "jwk" });
          const point = new Uint8Array([4, ...Buffer.from(jwk.x!, "base64url"), ...Buffer.from(jwk.y!, "base64url")]);
          ok = ecdsaVerify("secp256r1", "SHA256", point, content, sig);
          wrong = ecdsaVerify("secp256r1", "SHA256", point, content.subarray(1), sig);
        }
        assert.ok(ok, `${file}: ${s.who} CertificateVerify (scheme 0x${scheme.toString(16)})`);
        assert.equal(wrong, false);
        verified++;
      }
      // §4's partial ClientHello never occurs in these files; every constructed message is whole.
      t.add(raw);
    }
    assert.equal(verified, file === "rfc8448-client-auth.json" ? 2 : 1);
  });
}
