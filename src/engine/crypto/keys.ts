/**
 * Private keys read from PEM into the raw forms the engine's signers take: any key OpenSSL writes (PKCS#8 or the
 * traditional forms; EC P-256/384/521, Ed25519, Ed448, RSA, RSA-PSS).
 */
import * as nodeCrypto from "node:crypto";
import { POINT_LENGTH, type EcdsaCurve } from "./ec";
import { rsaPrivateKeyFromJwk, type RsaPrivateKey } from "./rsa";

export type RawPrivateKey =
  | { type: "ec"; curve: EcdsaCurve; privateKey: Uint8Array; publicKey: Uint8Array }
  | { type: "ed25519" | "ed448"; privateKey: Uint8Array; publicKey: Uint8Array }
  /** `pss`: an id-RSASSA-PSS key (RFC 4055), which signs with PSS only. */
  | { type: "rsa"; pss: boolean; key: RsaPrivateKey };

const b64u = (s: string | undefined): Uint8Array => new Uint8Array(Buffer.from(s ?? "", "base64url"));

/**
 * RSA-PSS keys have no JWK form in Node: their PKCS#8 privateKey OCTET STRING holds a plain RSAPrivateKey
 * (RFC 8017 A.1.2, RFC 4055 §3), read back as PKCS#1.
 */
export function privateKeyFromPem(pem: string): RawPrivateKey {
  const k = nodeCrypto.createPrivateKey(pem);
  const type = k.asymmetricKeyType;
  if (type === "ec") {
    const j = k.export({ format: "jwk" });
    const curve = j.crv === "P-256" ? "secp256r1" : j.crv === "P-384" ? "secp384r1" : j.crv === "P-521" ? "secp521r1" : null;
    if (!curve) throw new Error(`unsupported EC curve ${j.crv}`);
    const n = POINT_LENGTH[curve];
    const coord = (s: string | undefined) => {
      const b = b64u(s);
      const out = new Uint8Array((n - 1) / 2);
      out.set(b, out.length - b.length);
      return out;
    };
    const publicKey = new Uint8Array(n);
    publicKey[0] = 4;
    publicKey.set(coord(j.x), 1);
    publicKey.set(coord(j.y), 1 + (n - 1) / 2);
    return { type: "ec", curve, privateKey: b64u(j.d), publicKey };
  }
  if (type === "ed25519" || type === "ed448") {
    const j = k.export({ format: "jwk" });
    return { type, privateKey: b64u(j.d), publicKey: b64u(j.x) };
  }
  if (type === "rsa" || type === "rsa-pss") {
    let rsa = k;
    if (type === "rsa-pss") {
      const der = new Uint8Array(k.export({ format: "der", type: "pkcs8" }));
      rsa = nodeCrypto.createPrivateKey({ key: Buffer.from(pkcs8PrivateKeyOctets(der)), format: "der", type: "pkcs1" });
    }
    const j = rsa.export({ format: "jwk" }) as Record<"n" | "e" | "d" | "p" | "q" | "dp" | "dq" | "qi", string>;
    return { type: "rsa", pss: type === "rsa-pss", key: rsaPrivateKeyFromJwk(j) };
  }
  throw new Error(`unsupported private key type ${type ?? "?"}`);
}

/** PrivateKeyInfo ::= SEQUENCE { version INTEGER, algorithm AlgorithmIdentifier, privateKey OCTET STRING, ... } */
function pkcs8PrivateKeyOctets(der: Uint8Array): Uint8Array {
  const readLen = (at: number): [number, number] => {
    const first = der[at];
    if (first < 0x80) return [first, at + 1];
    let n = 0;
    for (let i = 1; i <= (first & 0x7f); i++) n = n * 256 + der[at + i];
    return [n, at + 1 + (first & 0x7f)];
  };
  let [, at] = readLen(1); // into the outer SEQUENCE
  for (let field = 0; field < 2; field++) {
    const [len, body] = readLen(at + 1); // skip version, then algorithm
    at = body + len;
  }
  if (der[at] !== 0x04) throw new Error("PKCS#8: no privateKey OCTET STRING");
  const [len, body] = readLen(at + 1);
  return der.subarray(body, body + len);
}
