/**
 * A certificate chain and its private key from PEM files (what `connect --cert/--key` and `serve --cert/--key`
 * read): any key OpenSSL makes — RSA, RSA-PSS, ECDSA P-256/384/521, Ed25519, Ed448 — as the engine's SigningKey,
 * checked against the leaf certificate's public key so a mismatched pair fails before any handshake.
 */
import { privateKeyFromPem } from "./crypto/keys";
import { pemCertificates } from "./pem";
import type { SigningKey } from "./signatures";
import { parseCertificate } from "./x509Parse";
import { equalBytes } from "./tls13Common";

export function signingKeyFromPem(pem: string): SigningKey {
  const raw = privateKeyFromPem(pem);
  if (raw.type === "ec") return { kind: "ecdsa", curve: raw.curve, privateKey: raw.privateKey, publicKey: raw.publicKey };
  if (raw.type !== "rsa") return { kind: raw.type, privateKey: raw.privateKey, publicKey: raw.publicKey };
  return raw.pss ? { kind: "rsa", privateKey: raw.key, pss: true } : { kind: "rsa", privateKey: raw.key };
}

export interface PemCredential {
  /** Leaf first, then whatever else the file holds. */
  chain: Uint8Array[];
  key: SigningKey;
}

/** Reads the pair; throws an Error saying what is wrong (no certificate, unreadable key, key of another certificate). */
export function credentialFromPem(certPem: string, keyPem: string): PemCredential {
  const chain = pemCertificates(certPem);
  if (chain.length === 0) throw new Error("no CERTIFICATE block in the certificate file");
  let key: SigningKey;
  try {
    key = signingKeyFromPem(keyPem);
  } catch (e) {
    throw new Error(`private key: ${(e as Error).message}`, { cause: e });
  }
  const pub = parseCertificate(chain[0]).publicKey;
  const matches =
    (pub.kind === "ecdsa" && key.kind === "ecdsa" && pub.curve === key.curve && equalBytes(pub.point, key.publicKey)) ||
    ((pub.kind === "ed25519" || pub.kind === "ed448") && key.kind === pub.kind && equalBytes(pub.key, key.publicKey)) ||
    (pub.kind === "rsa" && key.kind === "rsa" && pub.key.n === key.privateKey.n && !!pub.pss === !!key.pss);
  if (!matches) throw new Error(`the private key (${key.kind}) is not the key of the certificate (${pub.kind}${pub.kind === "rsa" && pub.pss ? "-pss" : ""})`);
  return { chain, key };
}
