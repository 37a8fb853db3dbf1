/**
 * delegated_credential, RFC 9345 §4: signature schemes the peer accepts for a DelegatedCredential (ClientHello,
 * CertificateRequest), or the credential itself in the leaf CertificateEntry.
 */
import { toHex } from "../reader";
import type { ExtensionSpec } from "./types";
import { plural } from "../handshake/message";
import { readSignatureSchemeList } from "./signatureAlgorithms";
import { readSignatureScheme } from "../handshake/common";

export const delegatedCredential: ExtensionSpec = {
  rfc: "RFC 9345 §4.1",
  decode(r, x) {
    if (x.host === "client_hello" || x.host === "certificate_request") {
      readSignatureSchemeList(r, "signature_algorithms");
      return;
    }
    if (x.host !== "certificate") return false;
    r.group("cred", () => {
      r.u32("valid_time", { display: (v) => `${v} s after the certificate's notBefore` });
      readSignatureScheme(r, "dc_cert_verify_algorithm");
      r.opaque("ASN1_subjectPublicKeyInfo", 3, { min: 1, display: (b) => `${plural(b.length, "byte")} of DER` });
    });
    readSignatureScheme(r, "algorithm");
    r.opaque("signature", 2, { min: 1, display: (b) => `${plural(b.length, "byte")}: ${toHex(b)}` });
  },
};
