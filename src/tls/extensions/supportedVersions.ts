/**
 * supported_versions, RFC 8446 §4.2.1: the client's list (preference order), the server's single choice. Its
 * presence is what makes a ServerHello a TLS 1.3 one (legacy_version stays 0x0303).
 */
import type { ExtensionSpec } from "./types";
import { versionDisplay } from "../handshake/common";
import { versionName } from "../registry";
import { pushField } from "../handshake/message";
import { bounds, fixedList, skipFixedList, u16 } from "../shape";

/** RFC 8446 §4.2.1: ProtocolVersion versions<2..254> in a ClientHello. */
const VERSIONS = fixedList(1, 2, 2, 254);

export const supportedVersions: ExtensionSpec = {
  rfc: "RFC 8446 §4.2.1",
  decode(r, x) {
    if (x.host === "client_hello") {
      const list = r.list("versions", VERSIONS.width, () => r.u16("version", { display: versionDisplay }), bounds(VERSIONS));
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
  scan(b, p, e, host, out) {
    if (host === "client_hello") return skipFixedList(b, p, e, VERSIONS) === e;
    if (host === "server_hello" || host === "hello_retry_request") {
      if (e - p !== 2) return false;
      out.selectedVersion = u16(b, p);
    }
    return true;
  },
};
