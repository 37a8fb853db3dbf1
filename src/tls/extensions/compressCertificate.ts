/** compress_certificate, RFC 8879 §3: algorithms the sender can decompress. */
import { certificateCompression } from "../registry";
import type { ExtensionSpec } from "./types";

export const compressCertificate: ExtensionSpec = {
  rfc: "RFC 8879 §3",
  decode(r) {
    const list = r.list("algorithms", 1, () => r.u16("algorithm", { display: (v) => certificateCompression.display(v) }), { min: 2 });
    r.setDisplay(() => list.map((v) => certificateCompression.name(v)).join(", "));
  },
};
