/**
 * IANA "QUIC Transport Error Codes" registry (RFC 9000 §20.1, §22.5). 0x0100–0x01ff are CRYPTO_ERROR: the TLS
 * alert (RFC 8446 §6) in the low byte (RFC 9001 §4.8).
 */
import { OpenEnum } from "./openEnum";
import { alertDescriptions } from "./alerts";

export const quicTransportErrors = new OpenEnum("QUIC Transport Error Codes", 2, {
  NO_ERROR: { value: 0x00, rfc: "RFC 9000 §20.1" },
  INTERNAL_ERROR: { value: 0x01, rfc: "RFC 9000 §20.1" },
  CONNECTION_REFUSED: { value: 0x02, rfc: "RFC 9000 §20.1" },
  FLOW_CONTROL_ERROR: { value: 0x03, rfc: "RFC 9000 §20.1" },
  STREAM_LIMIT_ERROR: { value: 0x04, rfc: "RFC 9000 §20.1" },
  STREAM_STATE_ERROR: { value: 0x05, rfc: "RFC 9000 §20.1" },
  FINAL_SIZE_ERROR: { value: 0x06, rfc: "RFC 9000 §20.1" },
  FRAME_ENCODING_ERROR: { value: 0x07, rfc: "RFC 9000 §20.1" },
  TRANSPORT_PARAMETER_ERROR: { value: 0x08, rfc: "RFC 9000 §20.1" },
  CONNECTION_ID_LIMIT_ERROR: { value: 0x09, rfc: "RFC 9000 §20.1" },
  PROTOCOL_VIOLATION: { value: 0x0a, rfc: "RFC 9000 §20.1" },
  INVALID_TOKEN: { value: 0x0b, rfc: "RFC 9000 §20.1" },
  APPLICATION_ERROR: { value: 0x0c, rfc: "RFC 9000 §20.1" },
  CRYPTO_BUFFER_EXCEEDED: { value: 0x0d, rfc: "RFC 9000 §20.1" },
  KEY_UPDATE_ERROR: { value: 0x0e, rfc: "RFC 9000 §20.1" },
  AEAD_LIMIT_REACHED: { value: 0x0f, rfc: "RFC 9000 §20.1" },
  NO_VIABLE_PATH: { value: 0x10, rfc: "RFC 9000 §20.1" },
  VERSION_NEGOTIATION_ERROR: { value: 0x11, rfc: "RFC 9368 §10.2" },
});
export const QuicTransportError = quicTransportErrors.codes;

/** A transport error code by name; CRYPTO_ERROR names its TLS alert (`CRYPTO_ERROR (certificate_unknown)`). */
export function transportErrorName(code: number): string {
  if (code >= 0x100 && code <= 0x1ff) return `CRYPTO_ERROR (${alertDescriptions.name(code & 0xff)})`;
  return quicTransportErrors.name(code);
}
