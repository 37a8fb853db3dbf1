/**
 * X.509 certificates (RFC 5280 §4.1) as the handshake shows them: a summary for the analysis layer (parsed with
 * @peculiar/x509, cached by the DER's SHA-256 because captures repeat the same chain on every connection) and a
 * field tree whose byte ranges come from the small DER walker in ./der.
 */
import type * as X509 from "@peculiar/x509";
import { createHash } from "node:crypto";
import type { FieldNode } from "../field";
import { oidToString, readChildren, readTlv, TAG, TBS_TAG, type Tlv } from "./der";
import { formatName } from "./name";
import { oidDisplay, OID_NAMES } from "./oids";

let x509Lib: typeof X509 | undefined;

/**
 * @peculiar/x509 (with the reflect-metadata it needs loaded first) takes ~80 ms to load: it is loaded on the first
 * certificate, not at start-up, so the extension activates and the CLI starts without it.
 */
function x509(): typeof X509 {
  if (!x509Lib) {
    /* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, not at start-up (see above) */
    require("reflect-metadata");
    x509Lib = require("@peculiar/x509") as typeof X509;
    /* eslint-enable @typescript-eslint/no-require-imports */
  }
  return x509Lib;
}

export interface CertificateSummary {
  /** SHA-256 of the DER, lowercase hex. */
  sha256: string;
  /** RFC 4514 (pyca/cryptography style). */
  subject: string;
  issuer: string;
  /** Lowercase hex. */
  serialNumber: string;
  /** ISO 8601. */
  notBefore: string;
  notAfter: string;
  /** Subject alternative names as `DNS:name`, `IP:addr`, `email:...`, `URI:...`. */
  sans: string[];
  publicKey: { algorithm: string; bits: number | null; curve?: string };
  /** e.g. `sha256WithRSAEncryption`. */
  signatureAlgorithm: string;
  isCA: boolean;
  /** `AB:CD:...` form of `sha256`. */
  fingerprintSha256: string;
}

export type CertificateInfo = { ok: true; summary: CertificateSummary } | { ok: false; sha256: string; error: string };

const CACHE_LIMIT = 512;
const cache = new Map<string, CertificateInfo>();

const quickCache = new Map<string, { der: Uint8Array; info: CertificateInfo }>();

function quickKey(der: Uint8Array): string {
  let k = der.length.toString(36) + ":";
  for (let i = Math.max(0, der.length - 24); i < der.length; i++) k += String.fromCharCode(der[i]);
  return k;
}

export function sha256Hex(der: Uint8Array): string {
  return createHash("sha256").update(der).digest("hex");
}

const SAN_PREFIX: Record<string, string> = { dns: "DNS", ip: "IP", email: "email", url: "URI", guid: "GUID", upn: "UPN", id: "ID" };

function toArrayBuffer(der: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(der.length);
  copy.set(der);
  return copy.buffer;
}

function publicKeyOf(cert: X509.X509Certificate, der: Uint8Array, spki: Tlv | undefined): CertificateSummary["publicKey"] {
  const alg = cert.publicKey.algorithm as { name: string; namedCurve?: string; modulusLength?: number };
  if (alg.name.startsWith("RSA")) return { algorithm: "RSA", bits: alg.modulusLength ?? null };
  if (alg.name === "ECDSA" || alg.name === "ECDH") {
    const bits = alg.namedCurve === "P-256" ? 256 : alg.namedCurve === "P-384" ? 384 : alg.namedCurve === "P-521" ? 521 : null;
    return { algorithm: "EC", bits, curve: alg.namedCurve };
  }
  if (alg.name === "Ed25519" || alg.name === "X25519") return { algorithm: alg.name, bits: 256 };
  if (alg.name === "Ed448" || alg.name === "X448") return { algorithm: alg.name, bits: 448 };
  void der;
  void spki;
  return { algorithm: alg.name, bits: null };
}

function summarize(der: Uint8Array, sha256: string): CertificateSummary {
  const cert = new (x509().X509Certificate)(toArrayBuffer(der));
  const top = readTlv(der, 0, der.length);
  const tbs = readChildren(der, readChildren(der, top)[0]);
  const hasVersion = tbs[0]?.tag === TBS_TAG.version;
  const at = (i: number) => tbs[hasVersion ? i + 1 : i];
  const sigAlgTlv = readChildren(der, top)[1];
  const sigOid = sigAlgTlv ? readChildren(der, sigAlgTlv)[0] : undefined;
  const sigDotted = sigOid ? (oidToString(der.subarray(sigOid.valueStart, sigOid.end)) ?? "") : "";
  const san = cert.getExtension(x509().SubjectAlternativeNameExtension);
  const bc = cert.getExtension(x509().BasicConstraintsExtension);
  return {
    sha256,
    subject: formatName(der, at(4)),
    issuer: formatName(der, at(2)),
    serialNumber: cert.serialNumber.toLowerCase(),
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    sans: san ? san.names.toJSON().map((n) => `${SAN_PREFIX[n.type] ?? n.type}:${n.value}`) : [],
    publicKey: publicKeyOf(cert, der, at(5)),
    signatureAlgorithm: OID_NAMES[sigDotted] ?? sigDotted,
    isCA: bc?.ca ?? false,
    fingerprintSha256: sha256.toUpperCase().replace(/(..)(?!$)/g, "$1:"),
  };
}

export interface CertificateNames {
  sha256: string;
  subject: string | null;
  issuer: string | null;
  error?: string;
}

const namesCache = new Map<string, { der: Uint8Array; names: CertificateNames }>();

/**
 * SHA-256, subject and issuer (RFC 4514) from the DER alone — what `inspect --json` prints per certificate —
 * without the full X.509 parse. Cached like `inspectCertificate`. Never throws.
 */
export function certificateNames(der: Uint8Array): CertificateNames {
  const quick = quickKey(der);
  const seen = namesCache.get(quick);
  if (
    seen &&
    seen.der.length === der.length &&
    Buffer.compare(Buffer.from(seen.der.buffer, seen.der.byteOffset, seen.der.length), Buffer.from(der.buffer, der.byteOffset, der.length)) === 0
  ) {
    return seen.names;
  }
  const sha256 = sha256Hex(der);
  let names: CertificateNames;
  try {
    const top = readTlv(der, 0, der.length);
    const tbs = readChildren(der, readChildren(der, top)[0]);
    const off = tbs[0]?.tag === TBS_TAG.version ? 1 : 0;
    names = { sha256, issuer: formatName(der, tbs[off + 2]), subject: formatName(der, tbs[off + 4]) };
  } catch (e) {
    names = { sha256, subject: null, issuer: null, error: e instanceof Error ? e.message.slice(0, 120) : String(e) };
  }
  if (namesCache.size >= CACHE_LIMIT) namesCache.delete(namesCache.keys().next().value as string);
  namesCache.set(quick, { der: der.slice(), names });
  return names;
}

/** Parse (or fetch from the cache) one DER certificate. Never throws. */
export function inspectCertificate(der: Uint8Array): CertificateInfo {
  // Captures repeat the same few certificates thousands of times: look up by a cheap fingerprint (length and
  // the signature bytes at the end) and confirm with a byte comparison, hashing only certificates not seen yet.
  const quick = quickKey(der);
  const seen = quickCache.get(quick);
  if (seen && Buffer.compare(Buffer.from(seen.der.buffer, seen.der.byteOffset, seen.der.length), Buffer.from(der.buffer, der.byteOffset, der.length)) === 0) {
    return seen.info;
  }
  const sha256 = sha256Hex(der);
  const hit = cache.get(sha256);
  if (hit) return hit;
  let info: CertificateInfo;
  try {
    info = { ok: true, summary: summarize(der, sha256) };
  } catch (e) {
    info = { ok: false, sha256, error: e instanceof Error ? e.message.slice(0, 120) : String(e) };
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(sha256, info);
  if (quickCache.size >= CACHE_LIMIT) quickCache.delete(quickCache.keys().next().value as string);
  quickCache.set(quick, { der: der.slice(), info });
  return info;
}

// ------------------------------------------------------------------------------------------ the field tree

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

function node(name: string, t: Tlv, base: number, display: string, extra?: Partial<FieldNode>): FieldNode {
  return { name, start: base + t.start, end: base + t.end, display, ...extra };
}

function oidOf(der: Uint8Array, t: Tlv | undefined): string {
  return t && t.tag === TAG.OID ? (oidToString(der.subarray(t.valueStart, t.end)) ?? "?") : "?";
}

function algorithmNode(name: string, der: Uint8Array, t: Tlv, base: number): FieldNode {
  const oid = oidOf(der, readChildren(der, t)[0]);
  return node(name, t, base, oidDisplay(oid), { value: oid, rfc: "RFC 5280 §4.1.1.2" });
}

/** UTCTime (YYMMDDHHMMSSZ, RFC 5280 §4.1.2.5.1) or GeneralizedTime (YYYYMMDDHHMMSSZ) as ISO 8601. */
function timeText(der: Uint8Array, t: Tlv): string {
  let s = "";
  for (let i = t.valueStart; i < t.end && i - t.valueStart < 32; i++) s += String.fromCharCode(der[i]);
  const m = t.tag === TAG.UTCTime ? /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s) : /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s);
  if (!m) return s;
  const year = t.tag === TAG.UTCTime ? (Number(m[1]) >= 50 ? 1900 : 2000) + Number(m[1]) : Number(m[1]);
  return `${year}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`;
}

function nameNode(name: string, der: Uint8Array, t: Tlv, base: number): FieldNode {
  const children = readChildren(der, t).map((set) => {
    let text: string;
    try {
      text = formatName(der, { tag: TAG.SEQUENCE, start: set.start, valueStart: set.start, end: set.end });
    } catch {
      text = hex(der.subarray(set.start, set.end));
    }
    return node("RelativeDistinguishedName", set, base, text);
  });
  return node(name, t, base, formatName(der, t), { rfc: "RFC 5280 §4.1.2.4", children });
}

function extensionDisplay(oid: string, parsed: X509.Extension | undefined): string {
  if (!parsed) return "";
  if (parsed instanceof x509().SubjectAlternativeNameExtension) {
    return parsed.names
      .toJSON()
      .map((n) => `${SAN_PREFIX[n.type] ?? n.type}:${n.value}`)
      .join(", ");
  }
  if (parsed instanceof x509().BasicConstraintsExtension) {
    return `CA:${parsed.ca ? "TRUE" : "FALSE"}${parsed.pathLength !== undefined ? `, pathlen:${parsed.pathLength}` : ""}`;
  }
  if (parsed instanceof x509().KeyUsagesExtension) {
    const names = [
      "digitalSignature",
      "nonRepudiation",
      "keyEncipherment",
      "dataEncipherment",
      "keyAgreement",
      "keyCertSign",
      "cRLSign",
      "encipherOnly",
      "decipherOnly",
    ];
    return names.filter((_, i) => (parsed.usages & (1 << i)) !== 0).join(", ");
  }
  if (parsed instanceof x509().ExtendedKeyUsageExtension) {
    return parsed.usages.map((u) => OID_NAMES[String(u)] ?? String(u)).join(", ");
  }
  if (parsed instanceof x509().SubjectKeyIdentifierExtension) return parsed.keyId;
  if (parsed instanceof x509().AuthorityKeyIdentifierExtension) return parsed.keyId ? `keyid:${parsed.keyId}` : "";
  void oid;
  return "";
}

function extensionsNode(der: Uint8Array, t: Tlv, base: number, parsed: X509.Extension[]): FieldNode {
  const seq = readChildren(der, t)[0];
  const exts = seq ? readChildren(der, seq) : [];
  const children = exts.map((e, i) => {
    const parts = readChildren(der, e);
    const oid = oidOf(der, parts[0]);
    const critical = parts.length === 3 && parts[1].tag === TAG.BOOLEAN && der[parts[1].valueStart] !== 0;
    const p = parsed[i] && parsed[i].type === oid ? parsed[i] : parsed.find((x) => x.type === oid);
    const summary = extensionDisplay(oid, p);
    const kids: FieldNode[] = [node("extnID", parts[0], base, oidDisplay(oid), { value: oid })];
    if (parts.length === 3) kids.push(node("critical", parts[1], base, critical ? "TRUE" : "FALSE", { value: critical }));
    const v = parts[parts.length - 1];
    if (v && parts.length >= 2) kids.push(node("extnValue", v, base, summary || hex(der.subarray(v.valueStart, v.end))));
    return node(OID_NAMES[oid] ?? oid, e, base, `${summary || oidDisplay(oid)}${critical ? " (critical)" : ""}`, { children: kids });
  });
  return node("extensions", t, base, `${exts.length} extension${exts.length === 1 ? "" : "s"}`, { rfc: "RFC 5280 §4.1.2.9", children });
}

/**
 * The certificate's field tree, offsets shifted by `base` (the DER's position in the handshake message). Falls back
 * to a single node when the DER cannot be walked.
 */
export function certificateTree(der: Uint8Array, base: number, full = true): FieldNode {
  // Captures repeat the same chain on every connection: the tree is built once per certificate (at offset 0, found
  // like inspectCertificate finds its summary) and each use gets a copy shifted to where the DER sits.
  const quick = (full ? "f" : "p") + quickKey(der);
  const seen = treeCache.get(quick);
  if (seen && Buffer.compare(Buffer.from(seen.der.buffer, seen.der.byteOffset, seen.der.length), Buffer.from(der.buffer, der.byteOffset, der.length)) === 0) {
    return shifted(seen.tree, base);
  }
  const tree = buildCertificateTree(der, full);
  if (treeCache.size >= CACHE_LIMIT) treeCache.delete(treeCache.keys().next().value as string);
  treeCache.set(quick, { der: der.slice(), tree });
  return shifted(tree, base);
}

const treeCache = new Map<string, { der: Uint8Array; tree: FieldNode }>();

/** A copy of `n` with every offset moved by `delta`, of the same shape (no key added or dropped). */
function shifted(n: FieldNode, delta: number): FieldNode {
  const copy = { ...n, start: n.start + delta, end: n.end + delta };
  if (n.children) copy.children = n.children.map((c) => shifted(c, delta));
  return copy;
}

function buildCertificateTree(der: Uint8Array, full: boolean): FieldNode {
  const base = 0;
  // Full parsing (@peculiar/x509: key sizes, extension meanings) costs milliseconds per distinct certificate;
  // past the first few entries of a chain the tree is built from the DER walk alone (see SECURITY.md).
  const info: CertificateInfo = full ? inspectCertificate(der) : { ok: false, sha256: "", error: "not parsed (beyond the chain's first entries)" };
  try {
    const top = readTlv(der, 0, der.length);
    const [tbsT, sigAlgT, sigT] = readChildren(der, top);
    const tbs = readChildren(der, tbsT);
    let i = 0;
    const kids: FieldNode[] = [];
    if (tbs[0]?.tag === TBS_TAG.version) {
      const v = readChildren(der, tbs[0])[0];
      const n = v ? der[v.end - 1] : 0;
      kids.push(node("version", tbs[0], base, `v${n + 1} (${n})`, { value: n, rfc: "RFC 5280 §4.1.2.1" }));
      i = 1;
    }
    const serial = tbs[i++];
    kids.push(node("serialNumber", serial, base, hex(der.subarray(serial.valueStart, serial.end)), { rfc: "RFC 5280 §4.1.2.2" }));
    kids.push(algorithmNode("signature", der, tbs[i++], base));
    kids.push(nameNode("issuer", der, tbs[i++], base));
    const validity = tbs[i++];
    const [nb, na] = readChildren(der, validity);
    kids.push(
      node("validity", validity, base, `${timeText(der, nb)} to ${timeText(der, na)}`, {
        rfc: "RFC 5280 §4.1.2.5",
        children: [node("notBefore", nb, base, timeText(der, nb)), node("notAfter", na, base, timeText(der, na))],
      }),
    );
    kids.push(nameNode("subject", der, tbs[i++], base));
    const spki = tbs[i++];
    const [algT, keyT] = readChildren(der, spki);
    const pk = info.ok ? info.summary.publicKey : undefined;
    const pkText = pk ? `${pk.algorithm}${pk.bits ? ` ${pk.bits} bits` : ""}${pk.curve ? ` (${pk.curve})` : ""}` : "";
    const algKids = readChildren(der, algT);
    const curve = algKids[1]?.tag === TAG.OID ? ` ${oidDisplay(oidOf(der, algKids[1]))}` : "";
    kids.push(
      node("subjectPublicKeyInfo", spki, base, pkText, {
        rfc: "RFC 5280 §4.1.2.7",
        children: [
          node("algorithm", algT, base, oidDisplay(oidOf(der, algKids[0])) + curve),
          node("subjectPublicKey", keyT, base, hex(der.subarray(keyT.valueStart + 1, keyT.end))),
        ],
      }),
    );
    let parsedExts: X509.Extension[] = [];
    if (info.ok) {
      try {
        parsedExts = new (x509().X509Certificate)(toArrayBuffer(der)).extensions;
      } catch {
        parsedExts = [];
      }
    }
    for (; i < tbs.length; i++) {
      const t = tbs[i];
      if (t.tag === TBS_TAG.extensions) kids.push(extensionsNode(der, t, base, parsedExts));
      else
        kids.push(
          node(
            t.tag === TBS_TAG.issuerUniqueID ? "issuerUniqueID" : t.tag === TBS_TAG.subjectUniqueID ? "subjectUniqueID" : "field",
            t,
            base,
            hex(der.subarray(t.valueStart, t.end)),
          ),
        );
    }
    const tbsNode = node("tbsCertificate", tbsT, base, "", { rfc: "RFC 5280 §4.1.1.1", children: kids });
    const sigAlg = algorithmNode("signatureAlgorithm", der, sigAlgT, base);
    const sig = node("signatureValue", sigT, base, hex(der.subarray(sigT.valueStart + 1, sigT.end)), { rfc: "RFC 5280 §4.1.1.3" });
    const subject = info.ok ? info.summary.subject : (kids.find((k) => k.name === "subject")?.display ?? "");
    return node("Certificate", top, base, subject, { rfc: "RFC 5280 §4.1", note: "certificate", children: [tbsNode, sigAlg, sig] });
  } catch (e) {
    return {
      name: "Certificate",
      start: base,
      end: base + der.length,
      display: `${der.length} bytes (not a parsable X.509 certificate)`,
      error: e instanceof Error ? e.message : String(e),
      rfc: "RFC 5280 §4.1",
    };
  }
}
