/**
 * IANA "TLS ContentType" registry (Transport Layer Security (TLS) Parameters, tls-parameters-5; RFC 8446 §5.1,
 * RFC 6520, RFC 9146, RFC 9147).
 */
import { OpenEnum } from "./openEnum";

export const contentTypes = new OpenEnum("TLS ContentType", 1, {
  20: { name: "change_cipher_spec", rfc: "RFC 8446" },
  21: { name: "alert", rfc: "RFC 8446" },
  22: { name: "handshake", rfc: "RFC 8446" },
  23: { name: "application_data", rfc: "RFC 8446" },
  24: { name: "heartbeat", rfc: "RFC 6520" },
  25: { name: "tls12_cid", rfc: "RFC 9146" },
  26: { name: "ack", rfc: "RFC 9147" },
});
