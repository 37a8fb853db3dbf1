/**
 * IANA "TLS PskKeyExchangeMode" registry (Transport Layer Security (TLS) Parameters; RFC 8446 §4.2.9). GREASE
 * (RFC 8701 §2) is 8-bit here: 0x0B, 0x2A, 0x49, ...
 */
import { OpenEnum } from "./openEnum";

export const pskKeyExchangeModes = new OpenEnum(
  "TLS PskKeyExchangeMode",
  1,
  {
    0: { name: "psk_ke", rfc: "RFC 8446" },
    1: { name: "psk_dhe_ke", rfc: "RFC 8446" },
  },
  "8",
);
