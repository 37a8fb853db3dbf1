/** IANA "TLS EC Curve Types" registry (Transport Layer Security (TLS) Parameters, tls-parameters-10; RFC 8422 §5.4). */
import { OpenEnum } from "./openEnum";

export const ecCurveTypes = new OpenEnum("TLS EC Curve Types", 1, {
  1: { name: "explicit_prime", rfc: "RFC 8422" },
  2: { name: "explicit_char2", rfc: "RFC 8422" },
  3: { name: "named_curve", rfc: "RFC 8422" },
});
