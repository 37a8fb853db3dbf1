/** IANA "TLS Certificate Compression Algorithm IDs" registry (TLS Extensions; RFC 8879 §7.3). */
import { OpenEnum, type CodePointOf } from "./openEnum";

export const certificateCompression = new OpenEnum("TLS Certificate Compression Algorithm IDs", 2, {
  zlib: { value: 1, rfc: "RFC 8879" },
  brotli: { value: 2, rfc: "RFC 8879" },
  zstd: { value: 3, rfc: "RFC 8879" },
});
/** The named CertificateCompressionAlgorithm code points (`CertificateCompressionAlgorithm.zlib === 1`). */
export const CertificateCompressionAlgorithm = certificateCompression.codes;
export type CertificateCompressionAlgorithm = CodePointOf<typeof certificateCompression>;
