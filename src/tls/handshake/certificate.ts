/**
 * Certificate: TLS 1.3 (RFC 8446 §4.4.2: certificate_request_context, then CertificateEntry items each with its
 * own extensions) or TLS ≤ 1.2 (RFC 5246 §7.4.2: a bare list of DER certificates), chosen by the negotiated
 * version. The sender's certificate comes first; each following one certifies the one before it.
 */
import type { Reader } from "../reader";
import { readExtensions } from "../extensions";
import { certificateNames, certificateTree } from "../x509/certificate";
import { isTls13, listDisplay, plural, type MessageState } from "./message";
import { bounds, vector } from "../shape";

/** RFC 8446 §4.4.2 / RFC 5246 §7.4.2: opaque cert_data<1..2^24-1> in certificate_list<0..2^24-1>; TLS 1.3's
 * opaque certificate_request_context<0..2^8-1>. */
export const CERT_DATA = vector(3, 1);
export const CERTIFICATE_LIST = vector(3);
export const CERTIFICATE_REQUEST_CONTEXT = vector(1);

export interface CertificateField {
  sha256: string;
  length: number;
  subject: string | null;
  issuer: string | null;
  parseError?: string;
}

/** The oracle's per-certificate entry (pyca/cryptography formatting the subject and issuer). */
export function certificateField(der: Uint8Array): CertificateField {
  const n = certificateNames(der);
  const f: CertificateField = { sha256: n.sha256, length: der.length, subject: n.subject, issuer: n.issuer };
  if (n.error) f.parseError = n.error;
  return f;
}

/** Entries of one chain that get the full X.509 parse in the field tree (real chains have 2–4). */
const FULLY_PARSED_ENTRIES = 8;

/** opaque cert_data<1..2^24-1> with the certificate's own field tree under it. */
function readCertData(r: Reader, name: string, m: MessageState, list: CertificateField[]): void {
  const der = r.opaque(name, CERT_DATA.width, {
    ...bounds(CERT_DATA),
    rfc: "RFC 5280 §4.1",
    display: (b) => certificateField(b).subject ?? `${plural(b.length, "byte")}`,
  });
  m.details.certificates!.push(der);
  list.push(certificateField(der));
  // Replace the plain `data` child with the decoded certificate (same byte range).
  const vec = r.node?.children?.[r.node.children.length - 1];
  if (vec?.children && vec.children.length === 2) vec.children[1] = certificateTree(der, vec.children[1].start, list.length <= FULLY_PARSED_ENTRIES);
}

/** The body shared by Certificate and (decompressed) CompressedCertificate. */
export function readCertificateBody(r: Reader, m: MessageState, tls13: boolean): void {
  const f = m.fields;
  m.details.certificates = [];
  const list: CertificateField[] = [];
  if (tls13) {
    const RFC = "RFC 8446 §4.4.2";
    const ctx = r.opaque("certificate_request_context", CERTIFICATE_REQUEST_CONTEXT.width, {
      ...bounds(CERTIFICATE_REQUEST_CONTEXT),
      rfc: RFC,
      display: (b) => (b.length ? Buffer.from(b).toString("hex") : "(empty: not a response to a post-handshake CertificateRequest)"),
    });
    m.details.certificateRequestContext = ctx;
    f.requestContextLength = ctx.length;
    f.certificates = list;
    r.list(
      "certificate_list",
      CERTIFICATE_LIST.width,
      (i) =>
        r.group(
          "CertificateEntry",
          () => {
            readCertData(r, "cert_data", m, list);
            readExtensions(r, "certificate", m);
          },
          { display: () => `${i === 0 ? "end-entity" : `chain #${i}`}: ${list[i]?.subject ?? "?"}` },
        ),
      { ...bounds(CERTIFICATE_LIST), rfc: RFC, note: "certificate", display: listDisplay((v: unknown[]) => plural(v.length, "certificate")) },
    );
  } else {
    f.certificates = list;
    r.list("certificate_list", CERTIFICATE_LIST.width, () => readCertData(r, "ASN.1Cert", m, list), {
      ...bounds(CERTIFICATE_LIST),
      rfc: "RFC 5246 §7.4.2",
      note: "certificate",
      display: listDisplay((v: unknown[]) => plural(v.length, "certificate")),
    });
  }
  // The message's own line names the sender's certificate.
  r.setDisplay(() => list[0]?.subject ?? plural(list.length, "certificate"));
}

export function decodeCertificate(r: Reader, m: MessageState): void {
  readCertificateBody(r, m, isTls13(m.ctx.version));
}
