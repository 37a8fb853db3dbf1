/**
 * The parts of an X.509 certificate (RFC 5280 §4.1) that path validation needs: the signed bytes, the signature,
 * names (as raw DER, compared byte for byte as RFC 5280 §7.1 allows for names we issue), validity, the public key,
 * subjectAltName and basicConstraints. Bounded by the DER walker; throws an Error naming what was wrong.
 */
import { oidToString, readChildren, readTlv, type Tlv } from "../tls/x509/der";
import { bytesToBig } from "./crypto/bigint";
import type { RsaPublicKey } from "./crypto/rsa";
import type { EcdsaCurve } from "./crypto/ec";

export type PublicKeyInfo =
  | { kind: "ecdsa"; curve: EcdsaCurve; point: Uint8Array }
  /** `pss`: id-RSASSA-PSS (RFC 4055 §3.1), the key for rsa_pss_pss_* only (RFC 8446 §4.2.3). */
  | { kind: "rsa"; key: RsaPublicKey; bits: number; pss?: boolean }
  | { kind: "ed25519"; key: Uint8Array }
  | { kind: "ed448"; key: Uint8Array }
  | { kind: "unknown"; oid: string };

export interface ParsedCertificate {
  der: Uint8Array;
  tbs: Uint8Array;
  signatureAlgorithm: string;
  signature: Uint8Array;
  issuer: Uint8Array;
  subject: Uint8Array;
  /** commonName of the subject (for messages), or the subject's hex. */
  subjectName: string;
  issuerName: string;
  notBefore: Date;
  notAfter: Date;
  publicKey: PublicKeyInfo;
  dnsNames: string[];
  ipAddresses: string[];
  /** basicConstraints cA, or null when the extension is absent. */
  ca: boolean | null;
}

const CURVE_OIDS: Record<string, EcdsaCurve> = { "1.2.840.10045.3.1.7": "secp256r1", "1.3.132.0.34": "secp384r1", "1.3.132.0.35": "secp521r1" };

function children(der: Uint8Array, t: Tlv, what: string, min = 0): Tlv[] {
  const c = readChildren(der, t);
  if (c.length < min) throw new Error(`${what}: expected at least ${min} elements`);
  return c;
}
const content = (der: Uint8Array, t: Tlv) => der.subarray(t.valueStart, t.end);
const oidAt = (der: Uint8Array, t: Tlv) => (t.tag === 0x06 ? (oidToString(content(der, t)) ?? "?") : "?");

function parseTime(der: Uint8Array, t: Tlv): Date {
  const s = new TextDecoder("latin1").decode(content(der, t));
  const m = t.tag === 0x17 ? /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s) : /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s);
  if (!m) throw new Error(`validity: unreadable time "${s}"`);
  let y = Number(m[1]);
  // RFC 5280 §4.1.2.5.1: UTCTime years 50–99 are 19xx.
  if (t.tag === 0x17) y += y >= 50 ? 1900 : 2000;
  return new Date(Date.UTC(y, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

function commonName(der: Uint8Array, name: Tlv): string {
  for (const rdn of readChildren(der, name)) {
    for (const atv of readChildren(der, rdn)) {
      const [type, value] = readChildren(der, atv);
      if (type && value && oidAt(der, type) === "2.5.4.3") return new TextDecoder().decode(content(der, value));
    }
  }
  return Buffer.from(der.subarray(name.start, name.end)).toString("hex").slice(0, 32);
}

function parsePublicKey(der: Uint8Array, spki: Tlv): PublicKeyInfo {
  const [alg, bits] = children(der, spki, "subjectPublicKeyInfo", 2);
  const [algOid, params] = children(der, alg, "algorithm", 1);
  const oid = oidAt(der, algOid);
  const key = content(der, bits).subarray(1);
  if (oid === "1.2.840.10045.2.1") {
    const curve = params ? CURVE_OIDS[oidAt(der, params)] : undefined;
    if (!curve) return { kind: "unknown", oid: `EC ${params ? oidAt(der, params) : "?"}` };
    return { kind: "ecdsa", curve, point: key.slice() };
  }
  // rsaEncryption, or id-RSASSA-PSS whose optional parameters restrict the hash (RFC 4055 §3.1): same RSAPublicKey.
  if (oid === "1.2.840.113549.1.1.1" || oid === "1.2.840.113549.1.1.10") {
    const seqT = readTlv(key, 0, key.length);
    const [n, e] = children(key, seqT, "RSAPublicKey", 2);
    const nv = bytesToBig(content(key, n));
    const info: PublicKeyInfo = { kind: "rsa", key: { n: nv, e: bytesToBig(content(key, e)) }, bits: nv.toString(2).length };
    if (oid === "1.2.840.113549.1.1.10") info.pss = true;
    return info;
  }
  if (oid === "1.3.101.112") return { kind: "ed25519", key: key.slice() };
  if (oid === "1.3.101.113") return { kind: "ed448", key: key.slice() };
  return { kind: "unknown", oid };
}

function ipText(b: Uint8Array): string {
  if (b.length === 4) return [...b].join(".");
  const groups: string[] = [];
  for (let i = 0; i + 1 < b.length; i += 2) groups.push(((b[i] << 8) | b[i + 1]).toString(16));
  return groups.join(":");
}

export function parseCertificate(der: Uint8Array): ParsedCertificate {
  const cert = readTlv(der, 0, der.length);
  if (cert.tag !== 0x30) throw new Error("Certificate: not a SEQUENCE");
  const [tbsT, sigAlgT, sigT] = children(der, cert, "Certificate", 3);
  const tbs = children(der, tbsT, "tbsCertificate", 6);
  let i = tbs[0].tag === 0xa0 ? 1 : 0;
  i++; // serialNumber
  i++; // signature AlgorithmIdentifier (must match signatureAlgorithm; checked by the outer one)
  const issuer = tbs[i++];
  const validity = tbs[i++];
  const subject = tbs[i++];
  const spki = tbs[i++];
  if (!issuer || !validity || !subject || !spki) throw new Error("tbsCertificate: missing fields");
  const [nb, na] = children(der, validity, "validity", 2);
  const out: ParsedCertificate = {
    der,
    tbs: der.subarray(tbsT.start, tbsT.end),
    signatureAlgorithm: oidAt(der, children(der, sigAlgT, "signatureAlgorithm", 1)[0]),
    signature: content(der, sigT).subarray(1),
    issuer: der.subarray(issuer.start, issuer.end),
    subject: der.subarray(subject.start, subject.end),
    subjectName: commonName(der, subject),
    issuerName: commonName(der, issuer),
    notBefore: parseTime(der, nb),
    notAfter: parseTime(der, na),
    publicKey: parsePublicKey(der, spki),
    dnsNames: [],
    ipAddresses: [],
    ca: null,
  };
  const extsWrapper = tbs.slice(i).find((t) => t.tag === 0xa3);
  if (extsWrapper) {
    const [exts] = children(der, extsWrapper, "extensions", 1);
    for (const e of readChildren(der, exts)) {
      const parts = readChildren(der, e);
      const id = oidAt(der, parts[0]);
      const value = parts[parts.length - 1];
      const inner = content(der, value);
      if (id === "2.5.29.17") {
        const names = readTlv(inner, 0, inner.length);
        for (const gn of readChildren(inner, names)) {
          if (gn.tag === 0x82) out.dnsNames.push(new TextDecoder("latin1").decode(content(inner, gn)));
          if (gn.tag === 0x87) out.ipAddresses.push(ipText(content(inner, gn)));
        }
      } else if (id === "2.5.29.19") {
        const bc = readTlv(inner, 0, inner.length);
        const first = readChildren(inner, bc)[0];
        out.ca = !!first && first.tag === 0x01 && inner[first.valueStart] !== 0;
      }
    }
  }
  return out;
}
