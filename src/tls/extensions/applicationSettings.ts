/**
 * application_settings (ALPS, draft-vvv-tls-alps-01 §4): the client lists ALPN protocols it has settings for; the
 * server answers (in EncryptedExtensions) with its opaque settings.
 */
import type { ExtensionSpec } from "./types";
import { PROTOCOL_NAME_LIST, readProtocolNameList } from "./alpn";
import { skipOpaqueList } from "../shape";
import { readOpaqueBody } from "./opaqueBody";

export const applicationSettings: ExtensionSpec = {
  rfc: "draft-vvv-tls-alps-01 §4",
  decode(r, x) {
    if (x.host === "client_hello") readProtocolNameList(r, "supported_protocols");
    else readOpaqueBody(r, "application_settings");
  },
  // The client's list has the ALPN list's shape (and records nothing); the server's settings are opaque.
  scan: (b, p, e, host) => host !== "client_hello" || skipOpaqueList(b, p, e, PROTOCOL_NAME_LIST) === e,
};
