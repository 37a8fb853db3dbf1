/**
 * The server's certificate chain, checked at the capture's time (RFC 5280 §4.1.2.5 validity, §6 path building;
 * RFC 6125 §6 names): expired or not yet valid, the SNI not among its names, a root Node's bundled store
 * (`tls.rootCertificates`) does not hold, a chain with a missing link, RSA keys under 2048 bits, SHA-1 signatures.
 *
 * A handshake that went through had its chain accepted by the client (which trusted its root, or did not check): there
 * only what is weak whoever trusts it is said — RSA under 2048 bits, SHA-1 signatures. Where the handshake failed,
 * every check is reported, as the reason or beside it.
 *
 * Captures repeat the same chains thousands of times: a chain's time-independent findings are worked out once and
 * kept by its bytes (ChainCache), so a large capture pays for each distinct chain once.
 */
import { X509Certificate } from "node:crypto";
import { isIP } from "node:net";
import * as tls from "node:tls";
import { oidToString, readChildren, readTlv } from "../../tls/x509/der";
import { OID_NAMES } from "../../tls/x509/oids";
import { handshakeCompleted } from "./context";
import { Shape } from "./quick";
import type { DiagnosisInput, Finding } from "./types";

interface Cert {
  x: X509Certificate;
  /** The subject's CN, quoted, for the messages. */
  displayName: string;
  subject: string;
  issuer: string;
  notBefore: number;
  notAfter: number;
  signatureAlgorithm: string;
  rsaBits: number | null;
}

/** What a chain is, whatever the time it is used at. */
interface ChainFacts {
  certs: Cert[];
  /** How the path ends (worked out when first asked: see pathEnd). */
  /** Whether a certificate has an RSA key under 2048 bits or a SHA-1 signature (said even where the handshake went through). */
  weak: boolean;
  path: { trust: "trusted" | "self-signed" | "unknown-root" | "incomplete"; brokenAt: number } | null;
  hostChecks: Map<string, boolean>;
  parseError: string | null;
}

let roots: Map<string, X509Certificate[]> | null = null;

/** Node's bundled Mozilla roots, by subject (parsed on first use). */
function rootStore(): Map<string, X509Certificate[]> {
  if (roots) return roots;
  roots = new Map();
  for (const pem of tls.rootCertificates) {
    try {
      const x = new X509Certificate(pem);
      const list = roots.get(x.subject) ?? [];
      list.push(x);
      roots.set(x.subject, list);
    } catch {
      // A root Node cannot parse cannot anchor a path either.
    }
  }
  return roots;
}

function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.checkIssued(parent) && child.verify(parent.publicKey);
  } catch {
    return false;
  }
}

function parseCert(der: Uint8Array): Cert {
  const x = new X509Certificate(der);
  // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm AlgorithmIdentifier, signature } (RFC 5280 §4.1.1.2).
  let signatureAlgorithm = "";
  try {
    const top = readChildren(der, readTlv(der, 0, der.length));
    const alg = top[1] ? readChildren(der, top[1])[0] : undefined;
    const oid = alg ? oidToString(der.subarray(alg.valueStart, alg.end)) : null;
    if (oid) signatureAlgorithm = OID_NAMES[oid] ?? oid;
  } catch {
    // Node parsed it; an algorithm we cannot name is simply not SHA-1.
  }
  const details = x.publicKey.asymmetricKeyDetails;
  const subject = x.subject.replace(/\n/g, ", ");
  return {
    x,
    displayName: JSON.stringify(cn(subject)),
    subject,
    issuer: x.issuer.replace(/\n/g, ", "),
    notBefore: Date.parse(x.validFrom),
    notAfter: Date.parse(x.validTo),
    signatureAlgorithm,
    rsaBits: x.publicKey.asymmetricKeyType === "rsa" || x.publicKey.asymmetricKeyType === "rsa-pss" ? (details?.modulusLength ?? null) : null,
  };
}

function chainFacts(ders: Uint8Array[]): ChainFacts {
  const facts: ChainFacts = { certs: [], weak: false, path: null, hostChecks: new Map(), parseError: null };
  try {
    for (const d of ders) facts.certs.push(parseCert(d));
    facts.weak = facts.certs.some((c, k) => (c.rsaBits !== null && c.rsaBits < 2048) || isSha1(c, k));
  } catch (e) {
    facts.parseError = e instanceof Error ? e.message : String(e);
    return facts;
  }
  return facts;
}

/**
 * How the path ends: at a root of Node's store, a self-signed certificate, or an issuer nobody sent. Walks from the
 * leaf: each certificate must be issued by the next one sent, up to one whose issuer is a root. (Asked only where
 * the handshake failed: the root store is parsed then, not for a capture whose handshakes went through.)
 */
function pathEnd(facts: ChainFacts): NonNullable<ChainFacts["path"]> {
  if (facts.path) return facts.path;
  const certs = facts.certs;
  const store = rootStore();
  let result: NonNullable<ChainFacts["path"]> = { trust: "trusted", brokenAt: -1 };
  for (let i = 0; i < certs.length; i++) {
    const c = certs[i];
    const anchors = store.get(c.x.issuer) ?? [];
    if (anchors.some((r) => issuedBy(c.x, r))) break;
    if (c.x.subject === c.x.issuer && issuedBy(c.x, c.x)) {
      result = { trust: i === 0 ? "self-signed" : "unknown-root", brokenAt: i };
      break;
    }
    if (i + 1 >= certs.length || !issuedBy(c.x, certs[i + 1].x)) {
      result = { trust: "incomplete", brokenAt: i };
      break;
    }
  }
  return (facts.path = result);
}

/**
 * Chains by their Certificate message's bytes: a number made from the length and the last 32 bytes (the end of the
 * last certificate's signature), confirmed by comparing the bytes. A connection keeps the cache's copy of its
 * Certificate message (`intern`): a capture's thousands of equal chains are one buffer, checked once.
 */
class ChainCache {
  private readonly map = new Map<number, { bytes: Buffer; facts: ChainFacts | null }>();
  private static readonly LIMIT = 256;

  /** The entry asked for last: a connection's kept bytes are the cache's own, so most lookups end here. */
  private last: { bytes: Buffer; facts: ChainFacts | null } | null = null;

  private entry(message: Uint8Array): { bytes: Buffer; facts: ChainFacts | null } {
    if (this.last !== null && this.last.bytes === message) return this.last;
    this.last = this.lookup(message);
    return this.last;
  }

  private lookup(message: Uint8Array): { bytes: Buffer; facts: ChainFacts | null } {
    let key = message.length | 0;
    for (let i = Math.max(0, message.length - 32); i < message.length; i++) key = (Math.imul(key, 31) + message[i]) | 0;
    const hit = this.map.get(key);
    if (hit && (hit.bytes === message || hit.bytes.equals(message))) return hit;
    const e = { bytes: Buffer.from(message), facts: null };
    if (this.map.size >= ChainCache.LIMIT) this.map.delete(this.map.keys().next().value as number);
    this.map.set(key, e);
    return e;
  }

  /** The cache's copy of these bytes (made now if it has none). */
  intern(message: Uint8Array): Uint8Array {
    return this.entry(message).bytes;
  }

  get(message: Uint8Array, ders: () => Uint8Array[]): ChainFacts {
    const e = this.entry(message);
    return (e.facts ??= chainFacts(ders()));
  }
}

const chains = new ChainCache();

/** A Certificate message's bytes to keep: the copy shared by every connection that sent the same chain. */
export const internCertificateMessage = (raw: Uint8Array): Uint8Array => chains.intern(raw);

/** A SHA-1 signature that someone checks (a root's own signature is not checked, RFC 8446 §4.4.2.2). */
const isSha1 = (c: Cert, k: number) => /sha1/i.test(c.signatureAlgorithm) && !(k > 0 && c.subject === c.issuer);

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const cn = (dn: string) => /(?:^|, )CN=([^,]*)/.exec(dn)?.[1] ?? dn;

/** Nothing to say (shared: most connections end here). */
const NO_FINDINGS: Finding[] = Object.freeze([]) as unknown as Finding[];

export function certificateRules(input: DiagnosisInput): Finding[] {
  // Where keep.ts noted it (unless the list's directions may have been swapped since), else found in the list.
  const shape = input.facts.shape;
  const i = shape & Shape.COUNTED && !(shape & Shape.IRREGULAR) ? input.facts.serverCertificateAt : input.find("Certificate", "s2c");
  if (i < 0) return NO_FINDINGS;
  const raw = input.facts.raw.get(i) ?? input.model.messages[i].raw;
  if (!raw) return NO_FINDINGS;
  let ders: Uint8Array[] | undefined;
  const facts = chains.get(raw, () => (ders ??= input.message(i)?.details.certificates ?? []));
  if (!facts.certs.length) return NO_FINDINGS;
  const completed = handshakeCompleted(input);
  if (completed && !facts.weak) return NO_FINDINGS;
  const out: Finding[] = [];
  const frame = input.model.messages[i].frame;
  const path = (k: number) => `messages[${i}].fields.certificates[${k}]`;
  const leaf = facts.certs[0];
  const at = input.facts.timeMs ?? Date.now();
  const when = input.facts.timeMs !== null ? "at the capture's time" : "now (the capture's time is unknown)";
  const whenKo = input.facts.timeMs !== null ? "캡처 시각에" : "현재 시각에 (캡처 시각을 모름)";
  facts.certs.forEach((c, k) => {
    const name = c.displayName;
    if (completed) {
      // Accepted: validity was the client's to judge at its own time.
    } else if (at > c.notAfter) {
      out.push({
        code: "certificate-expired",
        severity: "error",
        en: `Certificate ${k} (${name}) expired on ${isoDay(c.notAfter)}: it is not valid ${when} (${isoDay(at)})`,
        ko: `인증서 ${k} (${name})는 ${isoDay(c.notAfter)}에 만료되어 ${whenKo} (${isoDay(at)}) 유효하지 않습니다`,
        frames: [frame],
        fields: [path(k)],
        rfc: "RFC 5280 §4.1.2.5",
        action: { en: "Renew the certificate", ko: "인증서를 갱신하십시오" },
      });
    } else if (at < c.notBefore) {
      out.push({
        code: "certificate-not-yet-valid",
        severity: "error",
        en: `Certificate ${k} (${name}) is valid only from ${isoDay(c.notBefore)}: not yet ${when} (${isoDay(at)})`,
        ko: `인증서 ${k} (${name})는 ${isoDay(c.notBefore)}부터 유효하므로 ${whenKo} (${isoDay(at)}) 아직 유효하지 않습니다`,
        frames: [frame],
        fields: [path(k)],
        rfc: "RFC 5280 §4.1.2.5",
        action: { en: "Check the clock of the machine that issued or uses it", ko: "인증서를 발급하거나 쓰는 기계의 시계를 확인하십시오" },
      });
    }
    if (c.rsaBits !== null && c.rsaBits < 2048) {
      out.push({
        code: "certificate-weak-key",
        severity: "warning",
        en: `Certificate ${k} (${name}) has a ${c.rsaBits}-bit RSA key; 2048 bits is the least current policy accepts`,
        ko: `인증서 ${k} (${name})의 RSA 키는 ${c.rsaBits}비트입니다; 현재 정책은 최소 2048비트를 요구합니다`,
        frames: [frame],
        fields: [path(k)],
        rfc: "RFC 8446 §4.4.2.4",
        action: { en: "Issue a new key of 2048 bits or more (or an ECDSA key)", ko: "2048비트 이상의 새 키(또는 ECDSA 키)로 다시 발급하십시오" },
      });
    }
    if (isSha1(c, k)) {
      out.push({
        code: "certificate-sha1-signature",
        severity: "warning",
        en: `Certificate ${k} (${name}) is signed with ${c.signatureAlgorithm}; SHA-1 signatures are no longer trusted`,
        ko: `인증서 ${k} (${name})는 ${c.signatureAlgorithm}로 서명되었습니다; SHA-1 서명은 더 이상 신뢰되지 않습니다`,
        frames: [frame],
        fields: [path(k)],
        rfc: "RFC 9155 §2",
        action: { en: "Reissue it with a SHA-256 signature", ko: "SHA-256 서명으로 다시 발급하십시오" },
      });
    }
  });
  if (completed) return out;
  const sni = input.model.sni;
  if (sni !== null) {
    let ok = facts.hostChecks.get(sni);
    if (ok === undefined) {
      ok = isIP(sni) ? leaf.x.checkIP(sni) !== undefined : leaf.x.checkHost(sni) !== undefined;
      if (facts.hostChecks.size < 64) facts.hostChecks.set(sni, ok);
    }
    if (!ok) {
      const sans = leaf.x.subjectAltName ?? "";
      out.push({
        code: "certificate-name-mismatch",
        severity: "error",
        en: `The server's certificate is not for ${JSON.stringify(sni)}: it names ${sans ? sans.replace(/DNS:/g, "") : `only ${cn(leaf.subject)}`}`,
        ko: `서버 인증서는 ${JSON.stringify(sni)}용이 아닙니다: 인증서의 이름은 ${sans ? sans.replace(/DNS:/g, "") : cn(leaf.subject)}입니다`,
        frames: [frame],
        fields: [`messages[${input.find("ClientHello", "c2s")}].fields.sni`, path(0)],
        rfc: "RFC 6125 §6.4",
        action: {
          en: "Connect with a name the certificate lists, or reissue it with this name",
          ko: "인증서에 있는 이름으로 접속하거나, 이 이름으로 다시 발급하십시오",
        },
      });
    }
  }
  const { trust, brokenAt: b } = pathEnd(facts);
  if (trust === "self-signed") {
    out.push({
      code: "certificate-self-signed",
      severity: "warning",
      en: `The server's certificate (${JSON.stringify(cn(leaf.subject))}) is self-signed: no CA vouches for it`,
      ko: `서버 인증서 (${JSON.stringify(cn(leaf.subject))})는 자체 서명되었습니다: 보증하는 CA가 없습니다`,
      frames: [frame],
      fields: [path(0)],
      rfc: "RFC 5280 §6.1",
      action: {
        en: "Use a certificate from a CA the clients trust, or give the clients this certificate as their CA",
        ko: "클라이언트가 신뢰하는 CA의 인증서를 쓰거나, 이 인증서를 클라이언트의 CA로 주십시오",
      },
    });
  } else if (trust === "unknown-root") {
    out.push({
      code: "certificate-unknown-root",
      severity: "warning",
      en: `The chain ends at the root ${JSON.stringify(cn(facts.certs[b].subject))}, which is not in Node's root store: only clients told to trust it accept it`,
      ko: `체인이 루트 ${JSON.stringify(cn(facts.certs[b].subject))}에서 끝나는데, 이 루트는 Node의 루트 저장소에 없습니다: 이를 신뢰하도록 설정된 클라이언트만 받아들입니다`,
      frames: [frame],
      fields: [path(b)],
      rfc: "RFC 5280 §6.1",
      action: { en: "A private CA: install its root on the clients", ko: "사설 CA입니다: 클라이언트에 루트를 설치하십시오" },
    });
  } else if (trust === "incomplete") {
    const c = facts.certs[b];
    out.push({
      code: "certificate-chain-incomplete",
      severity: "warning",
      en: `Certificate ${b} (${JSON.stringify(cn(c.subject))}) is issued by ${JSON.stringify(cn(c.issuer))}, which the server did not send and Node's root store does not hold: an intermediate is missing (or the issuer is a private CA)`,
      ko: `인증서 ${b} (${JSON.stringify(cn(c.subject))})의 발급자 ${JSON.stringify(cn(c.issuer))}를 서버가 보내지 않았고 Node의 루트 저장소에도 없습니다: 중간 인증서가 빠졌습니다 (또는 사설 CA)`,
      frames: [frame],
      fields: [path(b)],
      rfc: "RFC 8446 §4.4.2",
      action: {
        en: "Configure the server to send its intermediate certificates after the leaf",
        ko: "서버가 말단 인증서 뒤에 중간 인증서를 함께 보내도록 설정하십시오",
      },
    });
  }
  return out;
}
