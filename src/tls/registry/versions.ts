/**
 * Protocol versions (RFC 8446 §4.2.1 and §B.3.1, RFC 6101 for SSL 3.0, RFC 6347 / RFC 9147 for DTLS): the values
 * of ProtocolVersion fields and of supported_versions, displayed the usual way (`TLS 1.2`). IANA keeps no registry
 * for these; the values are fixed by the RFCs. GREASE (RFC 8701) occurs in supported_versions.
 */
import { OpenEnum, type CodePointOf } from "./openEnum";

export const protocolVersions = new OpenEnum(
  "TLS ProtocolVersion",
  2,
  {
    SSLv2: { value: 0x0002, name: "SSL 2.0", rfc: "Netscape SSL 2.0 (prohibited by RFC 6176)" },
    SSLv3: { value: 0x0300, name: "SSL 3.0", rfc: "RFC 6101" },
    TLSv1_0: { value: 0x0301, name: "TLS 1.0", rfc: "RFC 2246" },
    TLSv1_1: { value: 0x0302, name: "TLS 1.1", rfc: "RFC 4346" },
    TLSv1_2: { value: 0x0303, name: "TLS 1.2", rfc: "RFC 5246" },
    TLSv1_3: { value: 0x0304, name: "TLS 1.3", rfc: "RFC 8446" },
    DTLSv1_0: { value: 0xfeff, name: "DTLS 1.0", rfc: "RFC 4347" },
    DTLSv1_2: { value: 0xfefd, name: "DTLS 1.2", rfc: "RFC 6347" },
    DTLSv1_3: { value: 0xfefc, name: "DTLS 1.3", rfc: "RFC 9147" },
  },
  "16",
);
/** The named ProtocolVersion code points (`ProtocolVersion.TLSv1_3 === 0x0304`). */
export const ProtocolVersion = protocolVersions.codes;
export type ProtocolVersion = CodePointOf<typeof protocolVersions>;

/**
 * `TLS 1.2`, `GREASE`, `TLS 1.3 (draft 23)` for the 0x7fNN draft versions (RFC 8446 §B.3.1's predecessors used
 * 0x7f00 | draft number), or `unknown`.
 */
export function versionName(v: number): string {
  const n = protocolVersions.name(v);
  if (n === "unknown" && v >> 8 === 0x7f) return `TLS 1.3 (draft ${v & 0xff})`;
  return n;
}
