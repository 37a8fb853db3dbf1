/** IANA "TLS Heartbeat Modes" and "TLS Heartbeat Message Types" registries (Transport Layer Security (TLS) Parameters; RFC 6520 §6). */
import { OpenEnum } from "./openEnum";

export const heartbeatModes = new OpenEnum("TLS Heartbeat Modes", 1, {
  1: { name: "peer_allowed_to_send", rfc: "RFC 6520" },
  2: { name: "peer_not_allowed_to_send", rfc: "RFC 6520" },
});

export const heartbeatMessageTypes = new OpenEnum("TLS Heartbeat Message Types", 1, {
  1: { name: "heartbeat_request", rfc: "RFC 6520" },
  2: { name: "heartbeat_response", rfc: "RFC 6520" },
});
