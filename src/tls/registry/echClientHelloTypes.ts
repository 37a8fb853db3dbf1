/** ECHClientHelloType (RFC 9849 §5: `enum { outer(0), inner(1) }`, the first byte of an encrypted_client_hello). */
import { OpenEnum, type CodePointOf } from "./openEnum";

export const echClientHelloTypes = new OpenEnum("ECHClientHelloType", 1, {
  outer: { value: 0, rfc: "RFC 9849" },
  inner: { value: 1, rfc: "RFC 9849" },
});
/** The named ECHClientHelloType values (`ECHClientHelloType.outer === 0`). */
export const ECHClientHelloType = echClientHelloTypes.codes;
export type ECHClientHelloType = CodePointOf<typeof echClientHelloTypes>;
