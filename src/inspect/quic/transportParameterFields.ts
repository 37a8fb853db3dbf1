/**
 * The `quicTransportParameters` field of a ClientHello or EncryptedExtensions (shared/spec/inspect-json.md, QUIC
 * connections): the quic_transport_parameters extension (RFC 9001 §8.2) decoded parameter by parameter.
 */
import { Reader } from "../../tls/reader";
import type { DecodedHandshake } from "../../tls/handshake/types";
import { readTransportParameters, type TransportParameter } from "../../tls/quic/transportParameters";
import { ExtensionType } from "../../tls/registry/extensionTypes";

/** The parameters, or null without the extension; a malformed list keeps the parameters read before the error. */
export function transportParametersOf(msg: DecodedHandshake): TransportParameter[] | null {
  const ext = msg.details.extensions?.find((e) => e.type === ExtensionType.quic_transport_parameters);
  if (!ext) return null;
  const out: TransportParameter[] = [];
  try {
    readTransportParameters(new Reader(ext.data, 0, ext.data.length, false), out);
  } catch {
    // The field tree names the error; the JSON lists what was read.
  }
  return out;
}
