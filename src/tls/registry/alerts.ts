/**
 * IANA "TLS Alerts" registry (Transport Layer Security (TLS) Parameters, tls-parameters-6; RFC 8446 §6, RFC 5246
 * §7.2) and the alert levels (RFC 8446 §6). Values IANA marks `_RESERVED` (no longer sent in TLS 1.3) keep the names
 * their defining RFCs gave them, since older captures still carry them.
 */
import { OpenEnum, type CodePointOf } from "./openEnum";

export const alertLevels = new OpenEnum("TLS AlertLevel", 1, {
  warning: { value: 1, rfc: "RFC 8446" },
  fatal: { value: 2, rfc: "RFC 8446" },
});
/** The named AlertLevel code points (`AlertLevel.fatal === 2`). */
export const AlertLevel = alertLevels.codes;
export type AlertLevel = CodePointOf<typeof alertLevels>;

export const alertDescriptions = new OpenEnum("TLS Alerts", 1, {
  close_notify: { value: 0, rfc: "RFC 8446" },
  unexpected_message: { value: 10, rfc: "RFC 8446" },
  bad_record_mac: { value: 20, rfc: "RFC 8446" },
  decryption_failed: { value: 21, rfc: "RFC 5246" },
  record_overflow: { value: 22, rfc: "RFC 8446" },
  decompression_failure: { value: 30, rfc: "RFC 5246" },
  handshake_failure: { value: 40, rfc: "RFC 8446" },
  no_certificate: { value: 41, rfc: "RFC 6101" },
  bad_certificate: { value: 42, rfc: "RFC 8446" },
  unsupported_certificate: { value: 43, rfc: "RFC 8446" },
  certificate_revoked: { value: 44, rfc: "RFC 8446" },
  certificate_expired: { value: 45, rfc: "RFC 8446" },
  certificate_unknown: { value: 46, rfc: "RFC 8446" },
  illegal_parameter: { value: 47, rfc: "RFC 8446" },
  unknown_ca: { value: 48, rfc: "RFC 8446" },
  access_denied: { value: 49, rfc: "RFC 8446" },
  decode_error: { value: 50, rfc: "RFC 8446" },
  decrypt_error: { value: 51, rfc: "RFC 8446" },
  too_many_cids_requested: { value: 52, rfc: "RFC 9146" },
  export_restriction: { value: 60, rfc: "RFC 2246" },
  protocol_version: { value: 70, rfc: "RFC 8446" },
  insufficient_security: { value: 71, rfc: "RFC 8446" },
  internal_error: { value: 80, rfc: "RFC 8446" },
  inappropriate_fallback: { value: 86, rfc: "RFC 7507" },
  user_canceled: { value: 90, rfc: "RFC 8446" },
  no_renegotiation: { value: 100, rfc: "RFC 5246" },
  missing_extension: { value: 109, rfc: "RFC 8446" },
  unsupported_extension: { value: 110, rfc: "RFC 8446" },
  certificate_unobtainable: { value: 111, rfc: "RFC 6066" },
  unrecognized_name: { value: 112, rfc: "RFC 6066" },
  bad_certificate_status_response: { value: 113, rfc: "RFC 6066" },
  bad_certificate_hash_value: { value: 114, rfc: "RFC 6066" },
  unknown_psk_identity: { value: 115, rfc: "RFC 4279" },
  certificate_required: { value: 116, rfc: "RFC 8446" },
  general_error: { value: 117, rfc: "draft-ietf-tls-rfc8446bis" },
  no_application_protocol: { value: 120, rfc: "RFC 7301" },
  ech_required: { value: 121, rfc: "RFC 9849" },
});
/** The named AlertDescription code points (`AlertDescription.handshake_failure === 40`). */
export const AlertDescription = alertDescriptions.codes;
export type AlertDescription = CodePointOf<typeof alertDescriptions>;
