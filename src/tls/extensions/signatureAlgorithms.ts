/**
 * signature_algorithms (RFC 8446 §4.2.3; RFC 5246 §7.4.1.4.1 as SignatureAndHashAlgorithm pairs) and
 * signature_algorithms_cert (RFC 8446 §4.2.3), which has the same body.
 */
import { signatureSchemes } from "../registry";
import type { Reader } from "../reader";
import type { ExtensionSpec, ExtContext } from "./types";
import { pushField } from "../handshake/message";
import { bounds, fixedList, skipFixedList } from "../shape";

/** RFC 8446 §4.2.3: SignatureScheme supported_signature_algorithms<2..2^16-2>. */
const SIGNATURE_SCHEME_LIST = fixedList(2, 2, 2);

export function readSignatureSchemeList(r: Reader, name = "supported_signature_algorithms"): number[] {
  const list = r.list(
    name,
    SIGNATURE_SCHEME_LIST.width,
    () => r.u16("signature_scheme", { display: (v) => signatureSchemes.display(v) }),
    bounds(SIGNATURE_SCHEME_LIST),
  );
  r.setDisplay(() => list.map((v) => signatureSchemes.name(v)).join(", "));
  return list;
}

function record(x: ExtContext, key: string, list: number[]): void {
  const f = x.m.fields;
  if (x.host === "client_hello") {
    if (key === "signatureAlgorithms" && !Array.isArray(f.signatureAlgorithms)) f.signatureAlgorithms = [];
    for (const v of list) pushField(f, key, v);
  } else if (x.host === "certificate_request") {
    // tshark lists every SignatureScheme of a TLS 1.3 CertificateRequest (both extensions) together.
    if (!Array.isArray(f.signatureAlgorithms)) f.signatureAlgorithms = [];
    for (const v of list) pushField(f, "signatureAlgorithms", v);
  }
}

export const signatureAlgorithms: ExtensionSpec = {
  rfc: "RFC 8446 §4.2.3",
  decode(r, x) {
    record(x, "signatureAlgorithms", readSignatureSchemeList(r));
  },
  scan: (b, p, e) => skipFixedList(b, p, e, SIGNATURE_SCHEME_LIST) === e,
};

export const signatureAlgorithmsCert: ExtensionSpec = {
  rfc: "RFC 8446 §4.2.3",
  decode(r, x) {
    record(x, "signatureAlgorithmsCert", readSignatureSchemeList(r));
  },
  scan: (b, p, e) => skipFixedList(b, p, e, SIGNATURE_SCHEME_LIST) === e,
};
