/** IANA "TLS Certificate Compression Algorithm IDs" registry (TLS Extensions; RFC 8879 §7.3). */
import { OpenEnum } from "./openEnum";

export const certificateCompression = new OpenEnum("TLS Certificate Compression Algorithm IDs", 2, {
  1: { name: "zlib", rfc: "RFC 8879" },
  2: { name: "brotli", rfc: "RFC 8879" },
  3: { name: "zstd", rfc: "RFC 8879" },
});
