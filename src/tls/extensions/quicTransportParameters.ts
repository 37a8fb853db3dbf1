/** quic_transport_parameters, RFC 9001 §8.2: QUIC's own parameters (RFC 9000 §18), shown as opaque bytes. */
import type { ExtensionSpec } from "./types";
import { readOpaqueBody } from "./opaqueBody";

export const quicTransportParameters: ExtensionSpec = {
  rfc: "RFC 9001 §8.2",
  decode(r) {
    readOpaqueBody(r, "transport_parameters");
  },
};
