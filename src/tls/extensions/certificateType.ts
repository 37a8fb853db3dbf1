/**
 * client_certificate_type / server_certificate_type, RFC 7250 §3: a list of acceptable types in ClientHello, the
 * one chosen in the server's answer (ServerHello or TLS 1.3 EncryptedExtensions).
 */
import { certificateTypes } from "../registry";
import type { ExtensionSpec } from "./types";

export const certificateTypeExtension: ExtensionSpec = {
  rfc: "RFC 7250 §3",
  decode(r, x) {
    if (x.host === "client_hello") {
      const list = r.list("certificate_types", 1, () => r.u8("certificate_type", { display: (v) => certificateTypes.display(v) }), { min: 1 });
      r.setDisplay(() => list.map((v) => certificateTypes.name(v)).join(", "));
    } else {
      const v = r.u8("certificate_type", { display: (v) => certificateTypes.display(v) });
      r.setDisplay(() => certificateTypes.name(v));
    }
  },
};
