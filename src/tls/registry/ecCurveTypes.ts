/** IANA "TLS EC Curve Types" registry (Transport Layer Security (TLS) Parameters, tls-parameters-10; RFC 8422 §5.4). */
import { OpenEnum, type CodePointOf } from "./openEnum";

export const ecCurveTypes = new OpenEnum("TLS EC Curve Types", 1, {
  explicit_prime: { value: 1, rfc: "RFC 8422" },
  explicit_char2: { value: 2, rfc: "RFC 8422" },
  named_curve: { value: 3, rfc: "RFC 8422" },
});
/** The named ECCurveType code points (`ECCurveType.named_curve === 3`). */
export const ECCurveType = ecCurveTypes.codes;
export type ECCurveType = CodePointOf<typeof ecCurveTypes>;
