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
import { bounds, opaqueList, skipOpaqueList, skipVector, vector } from "../shape";

/** struct { ResponderID responder_id_list<0..2^16-1>; Extensions request_extensions<0..2^16-1>; } OCSPStatusRequest */
/** RFC 6066 §8: OCSPStatusRequest { ResponderID responder_id_list<0..2^16-1>; Extensions request_extensions; }. */
const RESPONDER_ID_LIST = opaqueList(2, vector(2, 1));
const REQUEST_EXTENSIONS = vector(2);
/** CertificateStatus bodies: opaque OCSPResponse<1..2^24-1>; ocsp_multi's OCSPResponse list<1..2^24-1>. */
const OCSP_RESPONSE = vector(3, 1);
const OCSP_RESPONSE_LIST = opaqueList(3, vector(3), 1);

/** A status request body [p, e) after nothing: its status_type, then the OCSP request or any other body. */
function scanStatusRequest(b: Uint8Array, p: number, e: number): boolean {
  if (e - p < 1) return false;
  if (b[p] !== CertificateStatusType.ocsp) return true;
  const q = skipOpaqueList(b, p + 1, e, RESPONDER_ID_LIST);
  return q >= 0 && skipVector(b, q, e, REQUEST_EXTENSIONS) === e;
}

/** RFC 8446 §4.4.2.1 CertificateStatus in a TLS 1.3 CertificateEntry. */
function scanCertificateStatus(b: Uint8Array, p: number, e: number): boolean {
  if (e - p < 1) return false;
  const type = b[p];
  if (type === CertificateStatusType.ocsp) return skipVector(b, p + 1, e, OCSP_RESPONSE) === e;
  if (type === CertificateStatusType.ocsp_multi) return skipOpaqueList(b, p + 1, e, OCSP_RESPONSE_LIST) === e;
  return true;
}

function readOcspStatusRequest(r: Reader): void {
  const id = RESPONDER_ID_LIST.element;
  const ids = r.list("responder_id_list", RESPONDER_ID_LIST.width, () => r.opaque("responder_id", id.width, bounds(id)));
  r.opaque("request_extensions", REQUEST_EXTENSIONS.width, { display: (b) => (b.length ? `${plural(b.length, "byte")} of DER` : "(none)") });
  r.setDisplay(() => `OCSP, ${plural(ids.length, "responder id")}`);
}

/** RFC 8446 §4.4.2.1 / RFC 6066 §8: struct { CertificateStatusType status_type; OCSPResponse response; } */
export function readCertificateStatus(r: Reader): number {
  const type = r.u8("status_type", { display: (v) => certificateStatusTypes.display(v) });
  if (type === CertificateStatusType.ocsp) {
    r.opaque("ocsp_response", OCSP_RESPONSE.width, { ...bounds(OCSP_RESPONSE), display: (b) => `${plural(b.length, "byte")} of DER OCSPResponse` });
  } else if (type === CertificateStatusType.ocsp_multi) {
    // RFC 6961 §2.2: ocsp_multi carries a list of (possibly empty) OCSPResponses.
    const item = OCSP_RESPONSE_LIST.element;
    r.list(
      "ocsp_response_list",
      OCSP_RESPONSE_LIST.width,
      () => r.opaque("ocsp_response", item.width, { ...bounds(item), display: (b) => (b.length ? `${plural(b.length, "byte")} of DER` : "(empty)") }),
      bounds(OCSP_RESPONSE_LIST),
    );
  } else {
    r.rest("response", { display: (b) => toHex(b) });
  }
  return type;
}

export const statusRequest: ExtensionSpec = {
  rfc: "RFC 6066 §8",
  decode(r, x) {
    // RFC 8446 §4.4.2.1: a server asks for the client's OCSP response with an *empty* status_request in its
    // CertificateRequest (GnuTLS sends it by default); a body there is not defined, but one in the ClientHello
    // form is still read as such rather than refused.
    if (x.host === "certificate_request" && r.remaining() === 0) {
      readEmptyBody(r, "the client may staple an OCSP response to its certificate");
      return;
    }
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
  scan(b, p, e, host) {
    if (host === "client_hello") return scanStatusRequest(b, p, e);
    if (host === "certificate") return scanCertificateStatus(b, p, e);
    return true;
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
