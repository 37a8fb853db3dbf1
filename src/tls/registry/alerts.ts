/**
 * IANA "TLS Alerts" registry (Transport Layer Security (TLS) Parameters, tls-parameters-6; RFC 8446 §6, RFC 5246
 * §7.2) and the alert levels (RFC 8446 §6). Values IANA marks `_RESERVED` (no longer sent in TLS 1.3) keep the names
 * their defining RFCs gave them, since older captures still carry them.
 */
import { OpenEnum } from "./openEnum";

export const alertLevels = new OpenEnum("TLS AlertLevel", 1, {
  1: { name: "warning", rfc: "RFC 8446" },
  2: { name: "fatal", rfc: "RFC 8446" },
});

export const alertDescriptions = new OpenEnum("TLS Alerts", 1, {
  0: { name: "close_notify", rfc: "RFC 8446" },
  10: { name: "unexpected_message", rfc: "RFC 8446" },
  20: { name: "bad_record_mac", rfc: "RFC 8446" },
  21: { name: "decryption_failed", rfc: "RFC 5246" },
  22: { name: "record_overflow", rfc: "RFC 8446" },
  30: { name: "decompression_failure", rfc: "RFC 5246" },
  40: { name: "handshake_failure", rfc: "RFC 8446" },
  41: { name: "no_certificate", rfc: "RFC 6101" },
  42: { name: "bad_certificate", rfc: "RFC 8446" },
  43: { name: "unsupported_certificate", rfc: "RFC 8446" },
  44: { name: "certificate_revoked", rfc: "RFC 8446" },
  45: { name: "certificate_expired", rfc: "RFC 8446" },
  46: { name: "certificate_unknown", rfc: "RFC 8446" },
  47: { name: "illegal_parameter", rfc: "RFC 8446" },
  48: { name: "unknown_ca", rfc: "RFC 8446" },
  49: { name: "access_denied", rfc: "RFC 8446" },
  50: { name: "decode_error", rfc: "RFC 8446" },
  51: { name: "decrypt_error", rfc: "RFC 8446" },
  52: { name: "too_many_cids_requested", rfc: "RFC 9146" },
  60: { name: "export_restriction", rfc: "RFC 2246" },
  70: { name: "protocol_version", rfc: "RFC 8446" },
  71: { name: "insufficient_security", rfc: "RFC 8446" },
  80: { name: "internal_error", rfc: "RFC 8446" },
  86: { name: "inappropriate_fallback", rfc: "RFC 7507" },
  90: { name: "user_canceled", rfc: "RFC 8446" },
  100: { name: "no_renegotiation", rfc: "RFC 5246" },
  109: { name: "missing_extension", rfc: "RFC 8446" },
  110: { name: "unsupported_extension", rfc: "RFC 8446" },
  111: { name: "certificate_unobtainable", rfc: "RFC 6066" },
  112: { name: "unrecognized_name", rfc: "RFC 6066" },
  113: { name: "bad_certificate_status_response", rfc: "RFC 6066" },
  114: { name: "bad_certificate_hash_value", rfc: "RFC 6066" },
  115: { name: "unknown_psk_identity", rfc: "RFC 4279" },
  116: { name: "certificate_required", rfc: "RFC 8446" },
  117: { name: "general_error", rfc: "draft-ietf-tls-rfc8446bis" },
  120: { name: "no_application_protocol", rfc: "RFC 7301" },
  121: { name: "ech_required", rfc: "RFC 9849" },
});
