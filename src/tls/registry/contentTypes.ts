/**
 * IANA "TLS ContentType" registry (Transport Layer Security (TLS) Parameters, tls-parameters-5; RFC 8446 §5.1,
 * RFC 6520, RFC 9146, RFC 9147).
 */
import { OpenEnum, type CodePointOf } from "./openEnum";

export const contentTypes = new OpenEnum("TLS ContentType", 1, {
  change_cipher_spec: { value: 20, rfc: "RFC 8446" },
  alert: { value: 21, rfc: "RFC 8446" },
  handshake: { value: 22, rfc: "RFC 8446" },
  application_data: { value: 23, rfc: "RFC 8446" },
  heartbeat: { value: 24, rfc: "RFC 6520" },
  tls12_cid: { value: 25, rfc: "RFC 9146" },
  ack: { value: 26, rfc: "RFC 9147" },
});
/** The named ContentType code points (`ContentType.handshake === 22`). */
export const ContentType = contentTypes.codes;
export type ContentType = CodePointOf<typeof contentTypes>;
