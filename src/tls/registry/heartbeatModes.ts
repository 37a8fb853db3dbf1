/** IANA "TLS Heartbeat Modes" and "TLS Heartbeat Message Types" registries (Transport Layer Security (TLS) Parameters; RFC 6520 §6). */
import { OpenEnum, type CodePointOf } from "./openEnum";

export const heartbeatModes = new OpenEnum("TLS Heartbeat Modes", 1, {
  peer_allowed_to_send: { value: 1, rfc: "RFC 6520" },
  peer_not_allowed_to_send: { value: 2, rfc: "RFC 6520" },
});
/** The named HeartbeatMode code points (`HeartbeatMode.peer_allowed_to_send === 1`). */
export const HeartbeatMode = heartbeatModes.codes;
export type HeartbeatMode = CodePointOf<typeof heartbeatModes>;

export const heartbeatMessageTypes = new OpenEnum("TLS Heartbeat Message Types", 1, {
  heartbeat_request: { value: 1, rfc: "RFC 6520" },
  heartbeat_response: { value: 2, rfc: "RFC 6520" },
});
/** The named HeartbeatMessageType code points (`HeartbeatMessageType.heartbeat_request === 1`). */
export const HeartbeatMessageType = heartbeatMessageTypes.codes;
export type HeartbeatMessageType = CodePointOf<typeof heartbeatMessageTypes>;
