/**
 * quic_transport_parameters, RFC 9001 §8.2: QUIC's own parameters (RFC 9000 §18), decoded parameter by parameter
 * (src/tls/quic/transportParameters.ts: varint parameters as integers, connection IDs and tokens as bytes,
 * preferred_address and version_information as their structures, GREASE ids named).
 */
import type { ExtensionSpec } from "./types";
import { readTransportParameters, scanTransportParameters } from "../quic/transportParameters";

export const quicTransportParameters: ExtensionSpec = {
  rfc: "RFC 9001 §8.2",
  decode(r) {
    readTransportParameters(r);
  },
  scan: (b, p, e) => scanTransportParameters(b, p, e),
};
