/** use_srtp, RFC 5764 §4.1.1: SRTP protection profiles (DTLS-SRTP) and an optional MKI. */
import { hexInt } from "../reader";
import type { ExtensionSpec } from "./types";

export const useSrtp: ExtensionSpec = {
  rfc: "RFC 5764 §4.1.1",
  decode(r) {
    r.list("SRTPProtectionProfiles", 2, () => r.u16("profile", { display: (v) => hexInt(v, 2) }), { min: 2 });
    r.opaque("srtp_mki", 1);
  },
};
