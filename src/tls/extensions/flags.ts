/** Extensions whose presence is the whole message: extension_data is empty. */
import type { ExtensionSpec } from "./types";
import { readEmptyBody } from "./opaqueBody";

/** encrypt_then_mac, RFC 7366 §2: MAC over the CBC ciphertext instead of MAC-then-encrypt. */
export const encryptThenMac: ExtensionSpec = {
  rfc: "RFC 7366 §2",
  decode(r, x) {
    x.m.details.encryptThenMac = true;
    readEmptyBody(r, "encrypt-then-MAC");
  },
  // Any body is read without an error (an unexpected one is shown as bytes).
  scan: () => true,
};

/** extended_master_secret, RFC 7627 §5.1: bind the master secret to the whole handshake transcript. */
export const extendedMasterSecret: ExtensionSpec = {
  rfc: "RFC 7627 §5.1",
  note: "extended-master-secret",
  decode(r, x) {
    x.m.details.extendedMasterSecret = true;
    readEmptyBody(r, "extended master secret");
  },
  // Any body is read without an error (an unexpected one is shown as bytes).
  scan: () => true,
};

/** post_handshake_auth, RFC 8446 §4.2.6: the client accepts a CertificateRequest after the handshake. */
export const postHandshakeAuth: ExtensionSpec = {
  rfc: "RFC 8446 §4.2.6",
  decode(r) {
    readEmptyBody(r, "post-handshake client authentication offered");
  },
  // Any body is read without an error (an unexpected one is shown as bytes).
  scan: () => true,
};
