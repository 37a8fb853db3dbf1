/**
 * IANA "QUIC Transport Parameters" registry (RFC 9000 §18.2, §22.3; version_information RFC 9368 §3;
 * max_datagram_frame_size RFC 9221 §3; grease_quic_bit RFC 9287 §3). Reserved ids 31·N + 27 are GREASE
 * (RFC 9000 §18.1): they must be ignored, and say nothing.
 */
import { OpenEnum } from "./openEnum";

export const quicTransportParameters = new OpenEnum("QUIC Transport Parameters", 4, {
  original_destination_connection_id: { value: 0x00, rfc: "RFC 9000 §18.2" },
  max_idle_timeout: { value: 0x01, rfc: "RFC 9000 §18.2" },
  stateless_reset_token: { value: 0x02, rfc: "RFC 9000 §18.2" },
  max_udp_payload_size: { value: 0x03, rfc: "RFC 9000 §18.2" },
  initial_max_data: { value: 0x04, rfc: "RFC 9000 §18.2" },
  initial_max_stream_data_bidi_local: { value: 0x05, rfc: "RFC 9000 §18.2" },
  initial_max_stream_data_bidi_remote: { value: 0x06, rfc: "RFC 9000 §18.2" },
  initial_max_stream_data_uni: { value: 0x07, rfc: "RFC 9000 §18.2" },
  initial_max_streams_bidi: { value: 0x08, rfc: "RFC 9000 §18.2" },
  initial_max_streams_uni: { value: 0x09, rfc: "RFC 9000 §18.2" },
  ack_delay_exponent: { value: 0x0a, rfc: "RFC 9000 §18.2" },
  max_ack_delay: { value: 0x0b, rfc: "RFC 9000 §18.2" },
  disable_active_migration: { value: 0x0c, rfc: "RFC 9000 §18.2" },
  preferred_address: { value: 0x0d, rfc: "RFC 9000 §18.2" },
  active_connection_id_limit: { value: 0x0e, rfc: "RFC 9000 §18.2" },
  initial_source_connection_id: { value: 0x0f, rfc: "RFC 9000 §18.2" },
  retry_source_connection_id: { value: 0x10, rfc: "RFC 9000 §18.2" },
  version_information: { value: 0x11, rfc: "RFC 9368 §3" },
  max_datagram_frame_size: { value: 0x20, rfc: "RFC 9221 §3" },
  grease_quic_bit: { value: 0x2ab2, rfc: "RFC 9287 §3" },
});
export const QuicTransportParameter = quicTransportParameters.codes;

/** RFC 9000 §18.1: ids of the form 31 * N + 27 are reserved to exercise the rule that unknown ones are ignored. */
export function isGreaseTransportParameter(id: number): boolean {
  return id >= 27 && (id - 27) % 31 === 0;
}

export function transportParameterName(id: number): string {
  if (quicTransportParameters.has(id)) return quicTransportParameters.name(id);
  return isGreaseTransportParameter(id) ? "GREASE" : "unknown";
}

/** The parameters whose value is a single variable-length integer (RFC 9000 §18.2). */
const VARINT_PARAMETERS: ReadonlySet<number> = new Set([
  QuicTransportParameter.max_idle_timeout,
  QuicTransportParameter.max_udp_payload_size,
  QuicTransportParameter.initial_max_data,
  QuicTransportParameter.initial_max_stream_data_bidi_local,
  QuicTransportParameter.initial_max_stream_data_bidi_remote,
  QuicTransportParameter.initial_max_stream_data_uni,
  QuicTransportParameter.initial_max_streams_bidi,
  QuicTransportParameter.initial_max_streams_uni,
  QuicTransportParameter.ack_delay_exponent,
  QuicTransportParameter.max_ack_delay,
  QuicTransportParameter.active_connection_id_limit,
  QuicTransportParameter.max_datagram_frame_size,
]);

export function isVarintTransportParameter(id: number): boolean {
  return VARINT_PARAMETERS.has(id);
}
