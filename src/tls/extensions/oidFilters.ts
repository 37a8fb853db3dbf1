/** oid_filters, RFC 8446 §4.2.5: certificate extension values a client certificate must match (CertificateRequest). */
import { toHex } from "../reader";
import type { ExtensionSpec } from "./types";
import { oidToString } from "../x509/der";

export const oidFilters: ExtensionSpec = {
  rfc: "RFC 8446 §4.2.5",
  decode(r, x) {
    if (x.host !== "certificate_request") return false;
    r.list("filters", 2, () =>
      r.group("OIDFilter", () => {
        r.opaque("certificate_extension_oid", 1, { min: 1, display: (b) => oidToString(b) ?? toHex(b) });
        r.opaque("certificate_extension_values", 2);
      }),
    );
  },
};
