/**
 * A real certificate chain made at run time — root CA → intermediate CA → leaf (ECDSA P-256 or RSA-2048), plus a
 * client certificate — and path validation (RFC 5280 §6, reduced to what a handshake explorer shows): each
 * signature checked with its issuer's public key, validity periods, basicConstraints and the host name against
 * subjectAltName (RFC 6125 §6.4). With a seed, keys, serials and dates are all derived from it (ECDSA signatures
 * are RFC 6979 deterministic), so the DER is identical across runs.
 */
import { ecKeyPair } from "./crypto/ec";
import { hashOf } from "./crypto/hash";
import { randomBytes, seededRng, type Rng } from "./crypto/random";
import { bigToBytes } from "./crypto/bigint";
import { rsaGenerate, type RsaPrivateKey } from "./crypto/rsa";
import * as D from "./derBuild";
import { signWithScheme, verifyWithScheme, type SigningKey } from "./signatures";
import { parseCertificate, type ParsedCertificate } from "./x509Parse";
import type { Actor, CheckStep } from "./steps";

export interface IssuedCertificate {
  der: Uint8Array;
  key: SigningKey;
  name: string;
}

export interface Pki {
  root: IssuedCertificate;
  intermediate: IssuedCertificate;
  /** Server chains, leaf first, without the root (RFC 8446 §4.4.2: the root may be omitted). */
  serverChain(kind: "ecdsa" | "rsa"): { chain: Uint8Array[]; key: SigningKey };
  clientChain(): { chain: Uint8Array[]; key: SigningKey };
  hostname: string;
}

/** Fixed validity for seeded chains: 2025-01-01 … 2045-01-01 (so seeded output never depends on the clock). */
export const SEEDED_NOT_BEFORE = new Date(Date.UTC(2025, 0, 1));
const SEEDED_NOT_AFTER = new Date(Date.UTC(2045, 0, 1));
/** A moment inside the seeded validity, used as "now" when verifying seeded chains. */
export const SEEDED_NOW = new Date(Date.UTC(2026, 0, 1));

const OID = {
  ecPublicKey: "1.2.840.10045.2.1",
  p256: "1.2.840.10045.3.1.7",
  rsaEncryption: "1.2.840.113549.1.1.1",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  cn: "2.5.4.3",
  o: "2.5.4.10",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  extKeyUsage: "2.5.29.37",
  subjectAltName: "2.5.29.17",
  subjectKeyId: "2.5.29.14",
  authorityKeyId: "2.5.29.35",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
};

function name(cn: string): Uint8Array {
  return D.seq(D.set(D.seq(D.oid(OID.o), D.utf8("TLS Handshake Explorer"))), D.set(D.seq(D.oid(OID.cn), D.utf8(cn))));
}

function spki(key: SigningKey): Uint8Array {
  if (key.kind === "ecdsa") return D.seq(D.seq(D.oid(OID.ecPublicKey), D.oid(OID.p256)), D.bitString(key.publicKey));
  // The generated PKI issues P-256 and RSA keys only; other keys come with their own certificates (keyLoad.ts).
  if (key.kind !== "rsa") throw new Error(`the generated PKI does not issue ${key.kind} keys`);
  const rsaPub = D.seq(D.uintBytes(bigToBytes(key.privateKey.n)), D.uintBytes(bigToBytes(key.privateKey.e)));
  return D.seq(D.seq(D.oid(OID.rsaEncryption), D.nullValue()), D.bitString(rsaPub));
}

function keyId(key: SigningKey): Uint8Array {
  // RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits.
  return hashOf("SHA1", spki(key)).subarray(0, 20);
}

function extension(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical ? D.seq(D.oid(id), D.bool(true), D.octetString(value)) : D.seq(D.oid(id), D.octetString(value));
}

interface IssueParams {
  subject: string;
  subjectKey: SigningKey;
  issuer: string;
  issuerKey: SigningKey;
  ca: boolean;
  dnsNames?: string[];
  ipAddresses?: number[][];
  usage?: "server" | "client";
  notBefore: Date;
  notAfter: Date;
  rng: Rng;
}

function issue(p: IssueParams): Uint8Array {
  const sigAlg = D.seq(D.oid(OID.ecdsaWithSha256));
  const serial = p.rng(16);
  serial[0] &= 0x7f;
  serial[0] |= 0x01;
  const exts: Uint8Array[] = [
    // RFC 5280 §4.2.1.9: cA TRUE for CAs, critical.
    extension(OID.basicConstraints, true, p.ca ? D.seq(D.bool(true)) : D.seq()),
    // keyUsage: keyCertSign+cRLSign (bits 5,6) for CAs; digitalSignature (+ keyEncipherment for RSA key transport).
    extension(OID.keyUsage, true, p.ca ? Uint8Array.of(0x03, 0x02, 0x01, 0x06) : Uint8Array.of(0x03, 0x02, 0x05, p.subjectKey.kind === "rsa" ? 0xa0 : 0x80)),
    extension(OID.subjectKeyId, false, D.octetString(keyId(p.subjectKey))),
    extension(OID.authorityKeyId, false, D.seq(D.tlv(0x80, keyId(p.issuerKey)))),
  ];
  if (p.usage) exts.push(extension(OID.extKeyUsage, false, D.seq(D.oid(p.usage === "server" ? OID.serverAuth : OID.clientAuth))));
  if (p.dnsNames || p.ipAddresses) {
    const names = [
      ...(p.dnsNames ?? []).map((n) =>
        D.tlv(
          0x82,
          Uint8Array.from(n, (c) => c.charCodeAt(0)),
        ),
      ),
      ...(p.ipAddresses ?? []).map((ip) => D.tlv(0x87, Uint8Array.from(ip))),
    ];
    exts.push(extension(OID.subjectAltName, false, D.seq(...names)));
  }
  const tbs = D.seq(
    D.explicit(0, D.int(2)),
    D.uintBytes(serial),
    sigAlg,
    name(p.issuer),
    D.seq(D.time(p.notBefore), D.time(p.notAfter)),
    name(p.subject),
    spki(p.subjectKey),
    D.explicit(3, D.seq(...exts)),
  );
  const signature = signWithScheme(p.issuerKey, 0x0403, tbs);
  return D.seq(tbs, sigAlg, D.bitString(signature));
}

function ecdsaKey(rng: Rng): SigningKey {
  const kp = ecKeyPair("secp256r1", rng);
  return { kind: "ecdsa", curve: "secp256r1", privateKey: kp.privateKey, publicKey: kp.publicKey };
}

const cache = new Map<string, Pki>();

/**
 * The engine's PKI for a host name. Seeded PKIs are cached per (seed, host name) since RSA key generation from a
 * seed takes most of a second; unseeded ones are fresh each call.
 */
export function generatePki(opts: { seed?: string; hostname?: string; now?: Date } = {}): Pki {
  const hostname = opts.hostname ?? "localhost";
  const cacheKey = opts.seed !== undefined ? `${opts.seed}\0${hostname}` : undefined;
  if (cacheKey && cache.has(cacheKey)) return cache.get(cacheKey)!;
  const rngFor = (role: string): Rng | undefined => (opts.seed !== undefined ? seededRng(`${opts.seed}/pki/${role}`) : undefined);
  const rng = (role: string): Rng => rngFor(role) ?? ((n: number) => randomBytes(n));
  const now = opts.now ?? new Date();
  const notBefore = opts.seed !== undefined ? SEEDED_NOT_BEFORE : new Date(now.getTime() - 3600_000);
  const notAfter = opts.seed !== undefined ? SEEDED_NOT_AFTER : new Date(now.getTime() + 365 * 86400_000);
  const rootKey = ecdsaKey(rng("root-key"));
  const intKey = ecdsaKey(rng("intermediate-key"));
  const common = { notBefore, notAfter };
  const root: IssuedCertificate = {
    name: "TLS Handshake Explorer Root CA",
    key: rootKey,
    der: issue({
      ...common,
      subject: "TLS Handshake Explorer Root CA",
      subjectKey: rootKey,
      issuer: "TLS Handshake Explorer Root CA",
      issuerKey: rootKey,
      ca: true,
      rng: rng("root"),
    }),
  };
  const intermediate: IssuedCertificate = {
    name: "TLS Handshake Explorer Intermediate CA",
    key: intKey,
    der: issue({
      ...common,
      subject: "TLS Handshake Explorer Intermediate CA",
      subjectKey: intKey,
      issuer: root.name,
      issuerKey: rootKey,
      ca: true,
      rng: rng("intermediate"),
    }),
  };
  const isIp = /^\d+\.\d+\.\d+\.\d+$/.test(hostname);
  const leaf = (role: string, key: SigningKey) =>
    issue({
      ...common,
      subject: hostname,
      subjectKey: key,
      issuer: intermediate.name,
      issuerKey: intKey,
      ca: false,
      usage: "server",
      dnsNames: isIp ? ["localhost"] : [hostname, ...(hostname === "localhost" ? [] : ["localhost"])],
      ipAddresses: [[127, 0, 0, 1], ...(isIp && hostname !== "127.0.0.1" ? [hostname.split(".").map(Number)] : [])],
      rng: rng(role),
    });
  const servers = new Map<string, { chain: Uint8Array[]; key: SigningKey }>();
  let client: { chain: Uint8Array[]; key: SigningKey } | undefined;
  const pki: Pki = {
    root,
    intermediate,
    hostname,
    serverChain(kind) {
      let s = servers.get(kind);
      if (!s) {
        const key: SigningKey =
          kind === "ecdsa" ? ecdsaKey(rng("server-ecdsa-key")) : { kind: "rsa", privateKey: rsaGenerate(2048, rngFor("server-rsa-key")) as RsaPrivateKey };
        s = { chain: [leaf(`server-${kind}`, key), intermediate.der], key };
        servers.set(kind, s);
      }
      return s;
    },
    clientChain() {
      if (!client) {
        const key = ecdsaKey(rng("client-key"));
        const der = issue({
          ...common,
          subject: "TLS Handshake Explorer Client",
          subjectKey: key,
          issuer: intermediate.name,
          issuerKey: intKey,
          ca: false,
          usage: "client",
          rng: rng("client"),
        });
        client = { chain: [der, intermediate.der], key };
      }
      return client;
    },
  };
  if (cacheKey) cache.set(cacheKey, pki);
  return pki;
}

// ------------------------------------------------------------------------------------------------ validation

export interface VerifyChainOptions {
  trustAnchors: Uint8Array[];
  /** Host name (or IP address) the leaf must be valid for; omitted: not checked. */
  hostname?: string;
  now?: Date;
  /** Who performs the checks (default client). */
  actor?: Actor;
}

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** RFC 6125 §6.4.3: a wildcard only as the whole left-most label, matching exactly one label. */
function dnsMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase().replace(/\.$/, "");
  if (p === h) return true;
  if (p.startsWith("*.")) {
    const dot = h.indexOf(".");
    return dot > 0 && h.slice(dot + 1) === p.slice(2);
  }
  return false;
}

const CERT_SIG: Record<string, number> = {
  "1.2.840.10045.4.3.2": 0x0403,
  "1.2.840.10045.4.3.3": 0x0503,
  "1.2.840.10045.4.3.4": 0x0603,
  "1.2.840.113549.1.1.11": 0x0401,
  "1.2.840.113549.1.1.12": 0x0501,
  "1.2.840.113549.1.1.13": 0x0601,
  "1.2.840.113549.1.1.5": 0x0201,
  "1.3.101.112": 0x0807,
  "1.3.101.113": 0x0808,
};

function verifyCertSignature(cert: ParsedCertificate, issuer: ParsedCertificate): { ok: boolean; detail: string } {
  const scheme = CERT_SIG[cert.signatureAlgorithm];
  if (scheme === undefined) return { ok: false, detail: `unsupported certificate signature algorithm ${cert.signatureAlgorithm}` };
  // ecdsa-with-SHAx names only the hash (RFC 5758 §3.2); the issuer's key fixes the curve.
  return verifyWithScheme(issuer.publicKey, scheme, cert.tbs, cert.signature, { curveFromKey: true });
}

/** One CheckStep per check (index -1: the caller numbers them). Never throws. */
export function verifyChain(chain: Uint8Array[], opts: VerifyChainOptions): CheckStep[] {
  const actor = opts.actor ?? "client";
  const now = opts.now ?? new Date();
  const out: CheckStep[] = [];
  const check = (title: string, ok: boolean, detail: string) => out.push({ kind: "check", index: -1, actor, title, ok, detail });
  if (chain.length === 0) {
    check("certificate chain", false, "the peer sent no certificate");
    return out;
  }
  const parsed: ParsedCertificate[] = [];
  for (let i = 0; i < chain.length; i++) {
    try {
      parsed.push(parseCertificate(chain[i]));
    } catch (e) {
      check(`certificate ${i} parses`, false, (e as Error).message);
      return out;
    }
  }
  const anchors: ParsedCertificate[] = [];
  for (const a of opts.trustAnchors) {
    try {
      anchors.push(parseCertificate(a));
    } catch {
      // An unreadable anchor simply anchors nothing.
    }
  }
  const role = (i: number) => (i === 0 ? "leaf" : `intermediate ${i}`);
  let anchored = false;
  for (let i = 0; i < parsed.length && !anchored; i++) {
    const cert = parsed[i];
    // Stop at a certificate that is itself a trust anchor.
    if (anchors.some((a) => equal(a.der, cert.der))) {
      anchored = true;
      check(`trust anchor (${role(i)})`, true, `"${cert.subjectName}" is a trusted certificate`);
      break;
    }
    const next = parsed[i + 1];
    const anchor = anchors.find((a) => equal(a.subject, cert.issuer));
    const issuer = next && equal(next.subject, cert.issuer) ? next : anchor;
    const issuerRole = issuer === anchor && issuer ? "trust anchor" : role(i + 1);
    if (!issuer) {
      check(`certificate issuer (${role(i)})`, false, `no certificate for issuer "${cert.issuerName}" in the chain or among the trust anchors`);
      break;
    }
    const sig = verifyCertSignature(cert, issuer);
    check(`certificate signature (${role(i)} by ${issuerRole})`, sig.ok, `"${cert.subjectName}" signed by "${issuer.subjectName}": ${sig.detail}`);
    check(
      `basic constraints (${issuerRole} is a CA)`,
      issuer.ca === true,
      issuer.ca
        ? `"${issuer.subjectName}" has cA=TRUE`
        : `"${issuer.subjectName}" is not a CA (basicConstraints ${issuer.ca === null ? "absent" : "cA=FALSE"})`,
    );
    if (issuer === anchor) {
      // Anchored only if the anchor really signed it: a same-named root with another key anchors nothing.
      anchored = true;
      check(
        "chain ends at a trust anchor",
        sig.ok,
        sig.ok ? `"${issuer.subjectName}" is trusted` : `"${issuer.subjectName}" is trusted but did not sign "${cert.subjectName}"`,
      );
    }
  }
  if (!anchored) check("chain ends at a trust anchor", false, "no certificate of the chain leads to a trusted root");
  parsed.forEach((c, i) => {
    const ok = now >= c.notBefore && now <= c.notAfter;
    check(
      `validity period (${role(i)})`,
      ok,
      `${c.notBefore.toISOString()} … ${c.notAfter.toISOString()}${ok ? " contains" : " does not contain"} ${now.toISOString()}`,
    );
  });
  if (opts.hostname !== undefined) {
    const leaf = parsed[0];
    const host = opts.hostname;
    const isIp = /^[\d.]+$|:/.test(host);
    const ok = isIp ? leaf.ipAddresses.includes(host) : leaf.dnsNames.some((n) => dnsMatches(n, host));
    const names = [...leaf.dnsNames.map((n) => `DNS:${n}`), ...leaf.ipAddresses.map((n) => `IP:${n}`)].join(", ") || "(no subjectAltName)";
    check("host name matches the certificate", ok, `${host} ${ok ? "matches" : "does not match"} ${names}`);
  }
  return out;
}

/** The public key of a DER certificate (for CertificateVerify / ServerKeyExchange checks). */
export function certificatePublicKey(der: Uint8Array) {
  return parseCertificate(der).publicKey;
}
