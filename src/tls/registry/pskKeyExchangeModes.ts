/**
 * IANA "TLS PskKeyExchangeMode" registry (Transport Layer Security (TLS) Parameters; RFC 8446 §4.2.9). GREASE
 * (RFC 8701 §2) is 8-bit here: 0x0B, 0x2A, 0x49, ...
 */
import { OpenEnum, type CodePointOf } from "./openEnum";

export const pskKeyExchangeModes = new OpenEnum(
  "TLS PskKeyExchangeMode",
  1,
  {
    psk_ke: { value: 0, rfc: "RFC 8446" },
    psk_dhe_ke: { value: 1, rfc: "RFC 8446" },
  },
  "8",
);
/** The named PskKeyExchangeMode code points (`PskKeyExchangeMode.psk_dhe_ke === 1`). */
export const PskKeyExchangeMode = pskKeyExchangeModes.codes;
export type PskKeyExchangeMode = CodePointOf<typeof pskKeyExchangeModes>;
