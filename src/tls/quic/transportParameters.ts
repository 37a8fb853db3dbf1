/**
 * QUIC transport parameters (RFC 9000 §18): a sequence of (id varint, length varint, value) carried in the TLS
 * quic_transport_parameters extension (RFC 9001 §8.2). Each parameter is read with the labelled reader, so the
 * field tree shows it by name: integers for the varint parameters, connection IDs and tokens as bytes,
 * preferred_address and version_information (RFC 9368 §3) as their structures. GREASE ids (31·N + 27) are named.
 */
import { toHex, type Reader } from "../reader";
import { isVarintTransportParameter, QuicTransportParameter as P, transportParameterName } from "../registry/quicTransportParameters";
import { quicVersionName } from "../registry/quicVersions";
import { readVarint, readVarintAt, varintExact, varintLength } from "./varint";
import { ipText4, ipText6 } from "./ipText";

export interface TransportParameter {
  /** The id; beyond 2^53 (only GREASE ids go there) its exact decimal digits, as JSON numbers are doubles. */
  id: number | string;
  name: string;
  /** The integer for varint parameters, else the value bytes as lowercase hex. */
  value: number | string;
}

/** At most this many parameters are listed (a hostile extension of 1-byte parameters stays small). */
export const MAX_TRANSPORT_PARAMETERS = 256;

/** Reads the parameters into `out` (which keeps those read before an error, when one is thrown). */
export function readTransportParameters(r: Reader, out: TransportParameter[] = []): TransportParameter[] {
  while (r.remaining() > 0) {
    if (out.length >= MAX_TRANSPORT_PARAMETERS) r.fail(`more than ${MAX_TRANSPORT_PARAMETERS} transport parameters`, "transport_parameter");
    out.push(r.group("transport_parameter", () => readParameter(r), { rfc: "RFC 9000 §18" }));
  }
  r.setDisplay(() => `${out.length} transport parameter${out.length === 1 ? "" : "s"}`);
  return out;
}

function readParameter(r: Reader): TransportParameter {
  const idBytes = r.buf.subarray(r.pos, r.pos + varintLength(r.buf[r.pos] ?? 0));
  const exact = idBytes.length ? varintExact(idBytes) : 0;
  const name = typeof exact === "bigint" ? ((exact - 27n) % 31n === 0n ? "GREASE" : "unknown") : transportParameterName(exact);
  const id = readVarint(r, "transport_parameter_id", () => `${name} (0x${exact.toString(16)})`);
  const length = readVarint(r, "transport_parameter_length", (v) => `${v} byte${v === 1 ? "" : "s"}`);
  if (length > r.remaining()) r.fail(`${name}: length ${length} exceeds the ${r.remaining()} bytes left`, "transport_parameter_value");
  const outerEnd = r.end;
  const bodyEnd = r.pos + length;
  r.end = bodyEnd;
  try {
    const raw = r.buf.subarray(r.pos, bodyEnd);
    let value: number | string = toHex(raw);
    if (isVarintTransportParameter(id)) {
      value = readVarint(r, name);
      r.setDisplay(`${name}: ${value}`);
    } else if (id === P.preferred_address) {
      readPreferredAddress(r);
      r.setDisplay(`${name}`);
    } else if (id === P.version_information) {
      const versions = readVersionInformation(r);
      r.setDisplay(`${name}: chosen ${versions[0]}, available ${versions.slice(1).join(", ") || "none"}`);
    } else if (length > 0) {
      r.bytes(name, length);
      r.setDisplay(`${name}: ${toHex(raw)}`);
    } else {
      r.setDisplay(`${name}: (empty)`);
    }
    if (r.pos !== bodyEnd) r.fail(`${name}: ${bodyEnd - r.pos} unread byte(s) at the end`, "transport_parameter_value");
    return { id: typeof exact === "bigint" ? exact.toString() : id, name, value };
  } finally {
    r.end = outerEnd;
  }
}

/** RFC 9000 §18.2: IPv4 address and port, IPv6 address and port, a connection ID and a stateless reset token. */
function readPreferredAddress(r: Reader): void {
  r.group("preferred_address", () => {
    const v4 = r.bytes("ipv4_address", 4, { display: (b) => ipText4(b) });
    r.u16("ipv4_port");
    const v6 = r.bytes("ipv6_address", 16, { display: (b) => ipText6(b) });
    r.u16("ipv6_port");
    const cid = r.opaque("connection_id", 1, { max: 20 });
    r.bytes("stateless_reset_token", 16);
    r.setDisplay(() => `${ipText4(v4)}, ${ipText6(v6)}, connection ID ${toHex(cid) || "(empty)"}`);
  });
}

/** RFC 9368 §3: the chosen version, then the versions available to the sender. */
function readVersionInformation(r: Reader): string[] {
  const names: string[] = [];
  r.group("version_information", () => {
    if (r.remaining() % 4 !== 0) r.fail(`version_information: ${r.remaining()} bytes is not a whole number of versions`, "version_information");
    const label = (v: number) => `${quicVersionName(v)} (0x${v.toString(16).padStart(8, "0")})`;
    names.push(label(r.u32("chosen_version", { display: label })));
    while (r.remaining() > 0) names.push(label(r.u32("available_version", { display: label })));
  });
  return names;
}

const sv = { value: 0, length: 0 };

/**
 * The summary scanner's reading of the same bytes (src/tls/extensions/types.ts ExtensionBodyScan): true exactly
 * when readTransportParameters reads [p, e) without an error. Allocates nothing.
 */
export function scanTransportParameters(b: Uint8Array, p: number, e: number): boolean {
  let count = 0;
  while (p < e) {
    if (count++ >= MAX_TRANSPORT_PARAMETERS) return false;
    if (!readVarintAt(b, p, e, sv)) return false;
    const id = sv.value;
    p += sv.length;
    if (!readVarintAt(b, p, e, sv)) return false;
    p += sv.length;
    const length = sv.value;
    if (length > e - p) return false;
    const end = p + length;
    if (isVarintTransportParameter(id)) {
      if (!readVarintAt(b, p, end, sv) || p + sv.length !== end) return false;
    } else if (id === P.preferred_address) {
      // IPv4 address and port (6), IPv6 address and port (18), connection_id<0..20>, stateless_reset_token (16).
      const at = p + 24;
      if (at >= end || b[at] > 20 || at + 1 + b[at] + 16 !== end) return false;
    } else if (id === P.version_information) {
      if (length === 0 || length % 4 !== 0) return false;
    }
    p = end;
  }
  return true;
}
