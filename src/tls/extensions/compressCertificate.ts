/** compress_certificate, RFC 8879 §3: algorithms the sender can decompress. */
import { certificateCompression } from "../registry";
import type { ExtensionSpec } from "./types";
import { bounds, fixedList, skipFixedList } from "../shape";

/** RFC 8879 §3: CertificateCompressionAlgorithm algorithms<2..2^8-2>. */
const ALGORITHMS = fixedList(1, 2, 2);

export const compressCertificate: ExtensionSpec = {
  rfc: "RFC 8879 §3",
  decode(r) {
    const list = r.list("algorithms", ALGORITHMS.width, () => r.u16("algorithm", { display: (v) => certificateCompression.display(v) }), bounds(ALGORITHMS));
    r.setDisplay(() => list.map((v) => certificateCompression.name(v)).join(", "));
  },
  scan: (b, p, e) => skipFixedList(b, p, e, ALGORITHMS) === e,
};
