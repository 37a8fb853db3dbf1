/**
 * Alerts (RFC 8446 §6, RFC 5246 §7.2): the descriptions the engine sends and names, and the error a handler throws
 * to end a handshake with one.
 */

/** RFC 8446 §6: AlertDescription values the engine sends. */
export const Alert = {
  close_notify: 0,
  unexpected_message: 10,
  bad_record_mac: 20,
  record_overflow: 22,
  handshake_failure: 40,
  bad_certificate: 42,
  certificate_unknown: 46,
  certificate_expired: 45,
  illegal_parameter: 47,
  unknown_ca: 48,
  decode_error: 50,
  decrypt_error: 51,
  protocol_version: 70,
  insufficient_security: 71,
  internal_error: 80,
  no_renegotiation: 100,
  missing_extension: 109,
  unsupported_extension: 110,
  certificate_required: 116,
  no_application_protocol: 120,
} as const;

/** A protocol failure: the alert to send and the check that failed. */
export class ProtocolError extends Error {
  constructor(
    readonly alert: number,
    message: string,
    /** Title of the failed CheckStep (default "protocol"). */
    readonly check = "protocol",
    /** The failed check was already logged. */
    readonly logged = false,
  ) {
    super(message);
  }
}

/**
 * A value the message decoder always sets once the message decoded (DecodedHandshake.details is one bag of
 * optional fields for every message type); an internal error if it is missing.
 */
export function decoded<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw new ProtocolError(Alert.internal_error, `decoded message has no ${field}`, "internal error");
  return value;
}

const ALERT_NAMES: Record<number, string> = {
  0: "close_notify",
  10: "unexpected_message",
  20: "bad_record_mac",
  22: "record_overflow",
  40: "handshake_failure",
  42: "bad_certificate",
  43: "unsupported_certificate",
  44: "certificate_revoked",
  45: "certificate_expired",
  46: "certificate_unknown",
  47: "illegal_parameter",
  48: "unknown_ca",
  50: "decode_error",
  51: "decrypt_error",
  70: "protocol_version",
  71: "insufficient_security",
  80: "internal_error",
  86: "inappropriate_fallback",
  90: "user_canceled",
  100: "no_renegotiation",
  109: "missing_extension",
  110: "unsupported_extension",
  112: "unrecognized_name",
  116: "certificate_required",
  120: "no_application_protocol",
};

export function alertName(d: number): string {
  return ALERT_NAMES[d] ?? `alert ${d}`;
}
