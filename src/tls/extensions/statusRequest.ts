/**
 * status_request (RFC 6066 §8, OCSP stapling) and status_request_v2 (RFC 6961 §2.2). The request form appears in
 * ClientHello and TLS 1.3 CertificateRequest; a TLS 1.2 ServerHello answers with an empty body; in TLS 1.3 the
 * response itself rides in the leaf's CertificateEntry (RFC 8446 §4.4.2.1).
 */
import { CertificateStatusType, certificateStatusTypes } from "../registry";
import { toHex, type Reader } from "../reader";
import type { ExtensionSpec } from "./types";
import { readEmptyBody } from "./opaqueBody";
import { plural } from "../handshake/message";

/** struct { ResponderID responder_id_list<0..2^16-1>; Extensions request_extensions<0..2^16-1>; } OCSPStatusRequest */
function readOcspStatusRequest(r: Reader): void {
  const ids = r.list("responder_id_list", 2, () => r.opaque("responder_id", 2, { min: 1 }));
  r.opaque("request_extensions", 2, { display: (b) => (b.length ? `${plural(b.length, "byte")} of DER` : "(none)") });
  r.setDisplay(() => `OCSP, ${plural(ids.length, "responder id")}`);
}

/** RFC 8446 §4.4.2.1 / RFC 6066 §8: struct { CertificateStatusType status_type; OCSPResponse response; } */
export function readCertificateStatus(r: Reader): number {
  const type = r.u8("status_type", { display: (v) => certificateStatusTypes.display(v) });
  if (type === CertificateStatusType.ocsp) {
    r.opaque("ocsp_response", 3, { min: 1, display: (b) => `${plural(b.length, "byte")} of DER OCSPResponse` });
  } else if (type === CertificateStatusType.ocsp_multi) {
    // RFC 6961 §2.2: ocsp_multi carries a list of (possibly empty) OCSPResponses.
    r.list("ocsp_response_list", 3, () => r.opaque("ocsp_response", 3, { display: (b) => (b.length ? `${plural(b.length, "byte")} of DER` : "(empty)") }), {
      min: 1,
    });
  } else {
    r.rest("response", { display: (b) => toHex(b) });
  }
  return type;
}

export const statusRequest: ExtensionSpec = {
  rfc: "RFC 6066 §8",
  decode(r, x) {
    if (x.host === "client_hello" || x.host === "certificate_request") {
      const type = r.u8("status_type", { display: (v) => certificateStatusTypes.display(v) });
      if (type === CertificateStatusType.ocsp) readOcspStatusRequest(r);
      else r.rest("request", { display: (b) => toHex(b) });
      return;
    }
    if (x.host === "certificate") {
      readCertificateStatus(r);
      return;
    }
    readEmptyBody(r, "the server will send a CertificateStatus");
  },
};

export const statusRequestV2: ExtensionSpec = {
  rfc: "RFC 6961 §2.2",
  decode(r, x) {
    if (x.host !== "client_hello") {
      readEmptyBody(r, "the server will send a CertificateStatus");
      return;
    }
    r.list(
      "certificate_status_req_list",
      2,
      () =>
        r.group("certificate_status_req", () => {
          const type = r.u8("status_type", { display: (v) => certificateStatusTypes.display(v) });
          r.vector("request", 2, () => {
            if (type === CertificateStatusType.ocsp || type === CertificateStatusType.ocsp_multi) readOcspStatusRequest(r);
            else r.rest("data");
          });
        }),
      { min: 1 },
    );
  },
};
