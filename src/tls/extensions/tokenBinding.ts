/** token_binding, RFC 8472 §2 (client) / §3 (server): protocol version and key parameters. */
import type { ExtensionSpec } from "./types";

const PARAMS = ["rsa2048_pkcs1.5", "rsa2048_pss", "ecdsap256"];

export const tokenBinding: ExtensionSpec = {
  rfc: "RFC 8472 §2",
  decode(r) {
    r.group("token_binding_version", () => {
      const major = r.u8("major");
      const minor = r.u8("minor");
      r.setDisplay(() => `${major}.${minor}`);
    });
    r.list("key_parameters_list", 1, () => r.u8("key_parameters", { display: (v) => `${PARAMS[v] ?? "unknown"} (${v})` }), { min: 1 });
  },
};
