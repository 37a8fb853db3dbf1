/**
 * CertificateRequest: TLS 1.3 (RFC 8446 §4.3.2: a context echoed in the client's Certificate, and extensions —
 * signature_algorithms is mandatory) or TLS ≤ 1.2 (RFC 5246 §7.4.4: certificate types, the signature algorithms
 * (TLS 1.2 only), and acceptable CA names).
 */
import { clientCertificateTypes, ProtocolVersion } from "../registry";
import { toHex, type Reader } from "../reader";
import { readExtensions } from "../extensions";
import { readDistinguishedNames } from "../extensions/certificateAuthorities";
import { readSignatureScheme } from "./common";
import { isTls13, listDisplay, type MessageState } from "./message";
import { signatureSchemes } from "../registry";
import { bounds, fixedList } from "../shape";

/** RFC 5246 §7.4.4: ClientCertificateType certificate_types<1..2^8-1>; SignatureAndHashAlgorithm
 * supported_signature_algorithms<2..2^16-2>; DistinguishedName certificate_authorities<0..2^16-1>. */
export const CERTIFICATE_TYPES = fixedList(1, 1, 1);
export const SUPPORTED_SIGNATURE_ALGORITHMS = fixedList(2, 2, 2);

export function decodeCertificateRequest(r: Reader, m: MessageState): void {
  const f = m.fields;
  if (isTls13(m.ctx.version)) {
    const RFC = "RFC 8446 §4.3.2";
    f.certificateTypes = [];
    f.signatureAlgorithms = [];
    const ctx = r.opaque("certificate_request_context", 1, { rfc: RFC, display: (b) => (b.length ? toHex(b) : "(empty: during the handshake)") });
    m.details.certificateRequestContext = ctx;
    f.extensions = [];
    readExtensions(r, "certificate_request", m, 2);
    return;
  }
  const RFC = "RFC 5246 §7.4.4";
  f.certificateTypes = r.list(
    "certificate_types",
    CERTIFICATE_TYPES.width,
    () => r.u8("certificate_type", { display: (v) => clientCertificateTypes.display(v) }),
    {
      ...bounds(CERTIFICATE_TYPES),
      rfc: RFC,
      display: listDisplay((v: number[]) => v.map((t) => clientCertificateTypes.name(t)).join(", ")),
    },
  );
  f.signatureAlgorithms = [];
  // TLS 1.2 added supported_signature_algorithms; 1.0/1.1 go straight to the CA names. Unknown version: 1.2 form.
  if (m.ctx.version === null || m.ctx.version >= ProtocolVersion.TLSv1_2) {
    f.signatureAlgorithms = r.list(
      "supported_signature_algorithms",
      SUPPORTED_SIGNATURE_ALGORITHMS.width,
      () => readSignatureScheme(r, "signature_algorithm"),
      {
        ...bounds(SUPPORTED_SIGNATURE_ALGORITHMS),
        rfc: RFC,
        display: listDisplay((v: number[]) => v.map((s) => signatureSchemes.name(s)).join(", ")),
      },
    );
  }
  f.distinguishedNamesLength = readDistinguishedNames(r, "certificate_authorities", 0);
}
