/** psk_key_exchange_modes, RFC 8446 §4.2.9: psk_ke (PSK only) and/or psk_dhe_ke (PSK with (EC)DHE). */
import { pskKeyExchangeModes as modes } from "../registry";
import type { ExtensionSpec } from "./types";
import { pushField } from "../handshake/message";
import { bounds, fixedList, skipFixedList } from "../shape";

/** RFC 8446 §4.2.9: PskKeyExchangeMode ke_modes<1..255>. */
const KE_MODES = fixedList(1, 1, 1);

export const pskKeyExchangeModes: ExtensionSpec = {
  rfc: "RFC 8446 §4.2.9",
  note: "psk-0rtt",
  decode(r, x) {
    const list = r.list("ke_modes", KE_MODES.width, () => r.u8("ke_mode", { display: (v) => modes.display(v) }), bounds(KE_MODES));
    if (x.host === "client_hello") for (const v of list) pushField(x.m.fields, "pskKeyExchangeModes", v);
    r.setDisplay(() => list.map((v) => modes.name(v)).join(", "));
  },
  scan: (b, p, e) => skipFixedList(b, p, e, KE_MODES) === e,
};
