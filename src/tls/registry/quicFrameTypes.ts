/**
 * IANA "QUIC Frame Types" registry (RFC 9000 §19, §22.4; DATAGRAM from RFC 9221 §4): the names frames print
 * under. STREAM covers 0x08–0x0f (its low three bits are the OFF, LEN and FIN flags, RFC 9000 §19.8); ACK,
 * MAX_STREAMS, STREAMS_BLOCKED, CONNECTION_CLOSE and DATAGRAM are pairs of types under one name.
 */
import { OpenEnum } from "./openEnum";

const STREAM = { name: "STREAM", rfc: "RFC 9000 §19.8" } as const;

export const quicFrameTypes = new OpenEnum("QUIC Frame Types", 1, {
  PADDING: { value: 0x00, rfc: "RFC 9000 §19.1" },
  PING: { value: 0x01, rfc: "RFC 9000 §19.2" },
  ACK: { value: 0x02, rfc: "RFC 9000 §19.3" },
  ACK_ECN: { value: 0x03, rfc: "RFC 9000 §19.3", name: "ACK" },
  RESET_STREAM: { value: 0x04, rfc: "RFC 9000 §19.4" },
  STOP_SENDING: { value: 0x05, rfc: "RFC 9000 §19.5" },
  CRYPTO: { value: 0x06, rfc: "RFC 9000 §19.6" },
  NEW_TOKEN: { value: 0x07, rfc: "RFC 9000 §19.7" },
  STREAM: { value: 0x08, ...STREAM },
  STREAM_FIN: { value: 0x09, ...STREAM },
  STREAM_LEN: { value: 0x0a, ...STREAM },
  STREAM_LEN_FIN: { value: 0x0b, ...STREAM },
  STREAM_OFF: { value: 0x0c, ...STREAM },
  STREAM_OFF_FIN: { value: 0x0d, ...STREAM },
  STREAM_OFF_LEN: { value: 0x0e, ...STREAM },
  STREAM_MAX: { value: 0x0f, ...STREAM },
  MAX_DATA: { value: 0x10, rfc: "RFC 9000 §19.9" },
  MAX_STREAM_DATA: { value: 0x11, rfc: "RFC 9000 §19.10" },
  MAX_STREAMS_BIDI: { value: 0x12, rfc: "RFC 9000 §19.11", name: "MAX_STREAMS" },
  MAX_STREAMS_UNI: { value: 0x13, rfc: "RFC 9000 §19.11", name: "MAX_STREAMS" },
  DATA_BLOCKED: { value: 0x14, rfc: "RFC 9000 §19.12" },
  STREAM_DATA_BLOCKED: { value: 0x15, rfc: "RFC 9000 §19.13" },
  STREAMS_BLOCKED_BIDI: { value: 0x16, rfc: "RFC 9000 §19.14", name: "STREAMS_BLOCKED" },
  STREAMS_BLOCKED_UNI: { value: 0x17, rfc: "RFC 9000 §19.14", name: "STREAMS_BLOCKED" },
  NEW_CONNECTION_ID: { value: 0x18, rfc: "RFC 9000 §19.15" },
  RETIRE_CONNECTION_ID: { value: 0x19, rfc: "RFC 9000 §19.16" },
  PATH_CHALLENGE: { value: 0x1a, rfc: "RFC 9000 §19.17" },
  PATH_RESPONSE: { value: 0x1b, rfc: "RFC 9000 §19.18" },
  CONNECTION_CLOSE: { value: 0x1c, rfc: "RFC 9000 §19.19" },
  CONNECTION_CLOSE_APP: { value: 0x1d, rfc: "RFC 9000 §19.19", name: "CONNECTION_CLOSE" },
  HANDSHAKE_DONE: { value: 0x1e, rfc: "RFC 9000 §19.20" },
  DATAGRAM: { value: 0x30, rfc: "RFC 9221 §4" },
  DATAGRAM_LEN: { value: 0x31, rfc: "RFC 9221 §4", name: "DATAGRAM" },
});
export const QuicFrame = quicFrameTypes.codes;

export function isStreamFrame(t: number): boolean {
  return t >= QuicFrame.STREAM && t <= QuicFrame.STREAM_MAX;
}
