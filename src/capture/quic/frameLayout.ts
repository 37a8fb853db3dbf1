/**
 * The QUIC frame layouts (RFC 9000 §19; DATAGRAM, RFC 9221 §4) described once, as data: for each frame type its
 * fields in wire order — variable-length integers (§16), byte strings with their lengths, the ACK ranges that
 * repeat, the fields a type's low bits make present — each with the RFC's field name (the tracker's located
 * errors), the field tree's node name (the packet view) and, where the tracker keeps the value, its key in the
 * frame's fields. Two readers walk this description: src/capture/quic/frames.ts (the tracker: values, byte ranges,
 * located errors, allocation-light) and src/inspect/quic/packetView.ts (the labelled field tree of the bytes pane).
 * Adding or changing a frame touches this file. PADDING (a run of zero bytes, listed once) is read by both
 * readers themselves; a type without a layout has no known length.
 */
import { isStreamFrame, QuicFrame as F, quicFrameTypes } from "../../tls/registry/quicFrameTypes";
import { transportErrorName } from "../../tls/registry/quicTransportErrors";

export type FrameFieldValue = number | string | boolean | number[][];
export type FrameFields = Record<string, FrameFieldValue>;

interface Named {
  /** The RFC's name of the field after the frame's own ("Delay" of "ACK Delay"): the tracker's errors say "<frame name> <title>". */
  title: string;
  /** The field tree's node name. */
  node: string;
  /** Present only for the frame types this says (a type's flag bits, RFC 9000 §19.3, §19.8, §19.19). */
  when?: (type: number) => boolean;
}

/** A variable-length integer (RFC 9000 §16). */
export interface VarintField extends Named {
  kind: "varint";
  /** The key the tracker keeps the value under; `absent` is kept when `when` leaves the field out. */
  key?: string;
  absent?: number;
  /** "length": the byte count of the next bytes field whose size is "length"; "count": how often a repeat runs. */
  role?: "length" | "count";
  display?: (value: number, type: number) => string;
}

/** A one-byte length with its allowed range (NEW_CONNECTION_ID's, RFC 9000 §19.15). */
export interface U8LengthField extends Named {
  kind: "u8length";
  min: number;
  max: number;
  /** What the tracker says of a length outside min..max. */
  outside: (value: number) => string;
}

/** Bytes: as many as the last length field said, a fixed number, or the rest of the frame. */
export interface BytesField extends Named {
  kind: "bytes";
  size: number | "length" | "rest" | ((type: number) => "length" | "rest");
  /** What the tracker keeps: the bytes as hex, their count, or (for a reason phrase) the text. */
  keep?: { key: string; as: "hex" | "length" | "text" };
  display?: (bytes: Uint8Array, fields: Readonly<FrameFields>) => string;
}

/** A sequence of fields repeated as often as the count field said (ACK ranges, RFC 9000 §19.3.1). */
export interface RepeatField {
  kind: "repeat";
  node: string;
  fields: readonly VarintField[];
  /** The tracker keeps up to `max` repetitions' values as one array each. */
  key: string;
  max: number;
  display: (values: readonly number[]) => string;
}

/** Fields under one node (ACK's ECN counts, RFC 9000 §19.3.2). */
export interface GroupField {
  kind: "group";
  node: string;
  when?: (type: number) => boolean;
  fields: readonly VarintField[];
  display: (values: readonly number[]) => string;
}

/** A value the tracker keeps that is not on the wire: it follows from the type and the fields before it. */
export interface DerivedField {
  kind: "derived";
  key: string;
  when?: (type: number) => boolean;
  value: (type: number, fields: Readonly<FrameFields>) => FrameFieldValue;
}

export type FrameField = VarintField | U8LengthField | BytesField | RepeatField | GroupField | DerivedField;

/** Bytes of a CONNECTION_CLOSE reason phrase kept. */
export const MAX_REASON_BYTES = 256;
/** ACK ranges kept per ACK frame at most (the rest are read and counted). */
export const MAX_ACK_RANGES = 64;

const v = (title: string, node: string, more: Partial<VarintField> = {}): VarintField => ({ kind: "varint", title, node, ...more });
const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString("hex");
const bytesCount = (b: Uint8Array): string => `${b.length} bytes`;

/** RFC 9000 §19.8: the STREAM type's low bits: 0x04 OFF, 0x02 LEN, 0x01 FIN. */
const STREAM: readonly FrameField[] = [
  v("Stream ID", "stream_id", { key: "streamId" }),
  v("Offset", "offset", { key: "offset", when: (t) => (t & 0x04) !== 0, absent: 0 }),
  v("Length", "length", { when: (t) => (t & 0x02) !== 0, role: "length" }),
  {
    kind: "bytes",
    title: "data",
    node: "stream_data",
    size: (t) => (t & 0x02 ? "length" : "rest"),
    keep: { key: "length", as: "length" },
    display: bytesCount,
  },
  { kind: "derived", key: "fin", value: (t) => (t & 0x01) !== 0 },
];

const ACK: readonly FrameField[] = [
  v("Largest Acknowledged", "largest_acknowledged", { key: "largest" }),
  v("Delay", "ack_delay", { key: "delay" }),
  v("Range Count", "ack_range_count", { key: "rangeCount", role: "count" }),
  v("First ACK Range", "first_ack_range", { key: "firstRange" }),
  {
    kind: "repeat",
    node: "ack_range",
    fields: [v("Gap", "gap"), v("Range Length", "ack_range_length")],
    key: "ranges",
    max: MAX_ACK_RANGES,
    display: ([gap, len]) => `gap ${gap}, length ${len}`,
  },
  {
    kind: "group",
    node: "ecn_counts",
    when: (t) => t === F.ACK_ECN,
    fields: [v("ECT0 Count", "ect0_count", { key: "ect0" }), v("ECT1 Count", "ect1_count", { key: "ect1" }), v("ECN-CE Count", "ecn_ce_count", { key: "ce" })],
    display: ([e0, e1, ce]) => `ECT(0) ${e0}, ECT(1) ${e1}, ECN-CE ${ce}`,
  },
];

const MAX_STREAMS: readonly FrameField[] = [
  v("Maximum Streams", "maximum_streams", { key: "maximum" }),
  { kind: "derived", key: "bidirectional", value: (t) => t === F.MAX_STREAMS_BIDI },
];
const STREAMS_BLOCKED: readonly FrameField[] = [
  v("Maximum Streams", "maximum_streams", { key: "limit" }),
  { kind: "derived", key: "bidirectional", value: (t) => t === F.STREAMS_BLOCKED_BIDI },
];
const PATH_DATA: readonly FrameField[] = [{ kind: "bytes", title: "Data", node: "data", size: 8, keep: { key: "data", as: "hex" } }];

const transport = (t: number): boolean => t === F.CONNECTION_CLOSE;
const CONNECTION_CLOSE: readonly FrameField[] = [
  v("Error Code", "error_code", {
    key: "errorCode",
    display: (c, t) => (transport(t) ? `${transportErrorName(c)} (0x${c.toString(16)})` : String(c)),
  }),
  { kind: "derived", key: "application", value: (t) => t === F.CONNECTION_CLOSE_APP },
  { kind: "derived", key: "errorName", when: transport, value: (_t, x) => transportErrorName(x.errorCode as number) },
  v("Frame Type", "frame_type", { key: "frameType", when: transport, display: (c) => `${quicFrameTypes.name(c)} (0x${c.toString(16)})` }),
  v("Reason Phrase Length", "reason_phrase_length", { key: "reasonLength", role: "length" }),
  // A reason phrase is UTF-8 (RFC 9000 §19.19); what a capture holds is text, never markup, and bounded.
  {
    kind: "bytes",
    title: "Reason Phrase",
    node: "reason_phrase",
    size: "length",
    keep: { key: "reason", as: "text" },
    display: (_b, x) => JSON.stringify(String(x.reason ?? "")),
  },
];

const DATAGRAM: readonly FrameField[] = [
  v("Length", "length", { when: (t) => t === F.DATAGRAM_LEN, role: "length" }),
  {
    kind: "bytes",
    title: "Data",
    node: "datagram_data",
    size: (t) => (t === F.DATAGRAM_LEN ? "length" : "rest"),
    keep: { key: "length", as: "length" },
    display: bytesCount,
  },
];

/** Every frame type's layout but PADDING's; STREAM's eight types share one. */
const LAYOUTS = new Map<number, readonly FrameField[]>([
  [F.PING, []],
  [F.ACK, ACK],
  [F.ACK_ECN, ACK],
  [
    F.RESET_STREAM,
    [
      v("Stream ID", "stream_id", { key: "streamId" }),
      v("Application Protocol Error Code", "application_protocol_error_code", { key: "errorCode" }),
      v("Final Size", "final_size", { key: "finalSize" }),
    ],
  ],
  [
    F.STOP_SENDING,
    [v("Stream ID", "stream_id", { key: "streamId" }), v("Application Protocol Error Code", "application_protocol_error_code", { key: "errorCode" })],
  ],
  [
    F.CRYPTO,
    [
      v("Offset", "offset", { key: "offset" }),
      v("Length", "length", { key: "length", role: "length" }),
      { kind: "bytes", title: "data", node: "crypto_data", size: "length", display: (b) => `${b.length} bytes of the TLS handshake stream` },
    ],
  ],
  [F.NEW_TOKEN, [v("Token Length", "token_length", { key: "length", role: "length" }), { kind: "bytes", title: "Token", node: "token", size: "length" }]],
  [F.MAX_DATA, [v("Maximum Data", "maximum_data", { key: "maximum" })]],
  [F.MAX_STREAM_DATA, [v("Stream ID", "stream_id", { key: "streamId" }), v("Maximum Stream Data", "maximum_stream_data", { key: "maximum" })]],
  [F.MAX_STREAMS_BIDI, MAX_STREAMS],
  [F.MAX_STREAMS_UNI, MAX_STREAMS],
  [F.DATA_BLOCKED, [v("Maximum Data", "maximum_data", { key: "limit" })]],
  [F.STREAM_DATA_BLOCKED, [v("Stream ID", "stream_id", { key: "streamId" }), v("Maximum Stream Data", "maximum_stream_data", { key: "limit" })]],
  [F.STREAMS_BLOCKED_BIDI, STREAMS_BLOCKED],
  [F.STREAMS_BLOCKED_UNI, STREAMS_BLOCKED],
  [
    F.NEW_CONNECTION_ID,
    [
      v("Sequence Number", "sequence_number", { key: "sequence" }),
      v("Retire Prior To", "retire_prior_to", { key: "retirePriorTo" }),
      // RFC 9000 §19.15: 1 to 20 bytes.
      { kind: "u8length", title: "Length", node: "length", min: 1, max: 20, outside: (n) => `connection ID length ${n} outside 1..20` },
      { kind: "bytes", title: "Connection ID", node: "connection_id", size: "length", keep: { key: "cid", as: "hex" } },
      { kind: "bytes", title: "Stateless Reset Token", node: "stateless_reset_token", size: 16, keep: { key: "resetToken", as: "hex" } },
    ],
  ],
  [F.RETIRE_CONNECTION_ID, [v("Sequence Number", "sequence_number", { key: "sequence" })]],
  [F.PATH_CHALLENGE, PATH_DATA],
  [F.PATH_RESPONSE, PATH_DATA],
  [F.CONNECTION_CLOSE, CONNECTION_CLOSE],
  [F.CONNECTION_CLOSE_APP, CONNECTION_CLOSE],
  [F.HANDSHAKE_DONE, []],
  [F.DATAGRAM, DATAGRAM],
  [F.DATAGRAM_LEN, DATAGRAM],
]);

/** The layout of a frame type (PADDING and unknown types have none). */
export function frameLayout(type: number): readonly FrameField[] | undefined {
  return isStreamFrame(type) ? STREAM : LAYOUTS.get(type);
}

/** The registry's name of a frame type, "unknown" outside it. */
export function frameTypeName(type: number): string {
  return quicFrameTypes.has(type) ? quicFrameTypes.name(type) : "unknown";
}

/** How a bytes field's value is kept (the tracker's reading). */
export function keptBytes(as: "hex" | "length" | "text", b: Uint8Array): FrameFieldValue {
  return as === "hex" ? hex(b) : as === "length" ? b.length : new TextDecoder("utf-8", { fatal: false }).decode(b.subarray(0, MAX_REASON_BYTES));
}
