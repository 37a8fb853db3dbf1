/**
 * supported_versions, RFC 8446 §4.2.1: the client's list (preference order), the server's single choice. Its
 * presence is what makes a ServerHello a TLS 1.3 one (legacy_version stays 0x0303).
 */
import type { ExtensionSpec } from "./types";
import { versionDisplay } from "../handshake/common";
import { versionName } from "../registry";
import { pushField } from "../handshake/message";

export const supportedVersions: ExtensionSpec = {
  rfc: "RFC 8446 §4.2.1",
  decode(r, x) {
    if (x.host === "client_hello") {
      const list = r.list("versions", 1, () => r.u16("version", { display: versionDisplay }), { min: 2, max: 254 });
      x.m.details.supportedVersions = [...(x.m.details.supportedVersions ?? []), ...list];
      if (!Array.isArray(x.m.fields.supportedVersions)) x.m.fields.supportedVersions = [];
      for (const v of list) pushField(x.m.fields, "supportedVersions", v);
      r.setDisplay(() => list.map((v) => versionName(v)).join(", "));
      return;
    }
    if (x.host === "server_hello" || x.host === "hello_retry_request") {
      const v = r.u16("selected_version", { display: versionDisplay });
      x.m.details.selectedVersion = v;
      x.m.fields.selectedVersion = v;
      r.setDisplay(() => versionName(v));
      return;
    }
    return false;
  },
};
