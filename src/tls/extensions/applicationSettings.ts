/**
 * application_settings (ALPS, draft-vvv-tls-alps-01 §4): the client lists ALPN protocols it has settings for; the
 * server answers (in EncryptedExtensions) with its opaque settings.
 */
import type { ExtensionSpec } from "./types";
import { readProtocolNameList } from "./alpn";
import { readOpaqueBody } from "./opaqueBody";

export const applicationSettings: ExtensionSpec = {
  rfc: "draft-vvv-tls-alps-01 §4",
  decode(r, x) {
    if (x.host === "client_hello") readProtocolNameList(r, "supported_protocols");
    else readOpaqueBody(r, "application_settings");
  },
};
