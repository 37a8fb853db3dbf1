/**
 * certificate_authorities, RFC 8446 §4.2.4 — and the same DistinguishedName list in a TLS 1.2 CertificateRequest
 * (RFC 5246 §7.4.4): CAs whose certificates the peer would accept, as DER X.501 Names.
 */
import type { Reader } from "../reader";
import type { ExtensionSpec } from "./types";
import { formatNameDer } from "../x509/name";
import { listDisplay, plural } from "../handshake/message";
import { bounds, vector } from "../shape";

/** DistinguishedName certificate_authorities<min..2^16-1>; returns the list's length field. */
/** RFC 8446 §4.2.4 / RFC 5246 §7.4.4: DistinguishedName authorities<min..2^16-1>, each opaque DistinguishedName<1..2^16-1>. */
export const DISTINGUISHED_NAME = vector(2, 1);
export const AUTHORITIES_WIDTH = 2;

export function readDistinguishedNames(r: Reader, name: string, min: number): number {
  let length = 0;
  const names = r.list(
    name,
    AUTHORITIES_WIDTH,
    (i) => {
      if (i === 0) length = r.end - r.pos;
      return r.opaque("DistinguishedName", DISTINGUISHED_NAME.width, {
        ...bounds(DISTINGUISHED_NAME),
        display: (b) => formatNameDer(b) ?? `${plural(b.length, "byte")} (not a valid Name)`,
      });
    },
    { min, display: listDisplay((v: unknown[]) => plural(v.length, "name")) },
  );
  void names;
  return length;
}

export const certificateAuthorities: ExtensionSpec = {
  rfc: "RFC 8446 §4.2.4",
  decode(r, x) {
    const n = readDistinguishedNames(r, "authorities", 3);
    if (x.host === "certificate_request") x.m.fields.distinguishedNamesLength = n;
  },
};
