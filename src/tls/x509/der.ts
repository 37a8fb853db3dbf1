/**
 * A minimal DER walker (ITU-T X.690 §8, §10): tag, length and the byte ranges of each element — just enough to
 * place X.509 fields in the byte view. Meanings come from @peculiar/x509; this only locates bytes. Bounded:
 * lengths never reach past the enclosing element, and nesting depth is capped by the callers.
 */
export interface Tlv {
  /** The identifier octet (class, constructed bit and tag number < 31). */
  tag: number;
  /** Offset of the identifier octet. */
  start: number;
  /** Offset of the first content octet. */
  valueStart: number;
  /** One past the last content octet. */
  end: number;
}

export class DerError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = "DerError";
  }
}

/** Read one TLV at `pos`, not extending past `limit`. */
export function readTlv(buf: Uint8Array, pos: number, limit: number): Tlv {
  if (pos + 2 > limit) throw new DerError("DER element truncated", pos);
  const tag = buf[pos];
  // High tag numbers (low 5 bits all set) do not occur in X.509 certificates.
  if ((tag & 0x1f) === 0x1f) throw new DerError("unsupported high tag number", pos);
  let len = buf[pos + 1];
  let p = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new DerError("unsupported DER length form", pos + 1);
    if (p + n > limit) throw new DerError("DER length truncated", pos + 1);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i];
    p += n;
  }
  if (len > limit - p) throw new DerError(`DER length ${len} exceeds the ${limit - p} bytes left`, pos + 1);
  return { tag, start: pos, valueStart: p, end: p + len };
}

/** The children of a constructed element. */
export function readChildren(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let p = parent.valueStart;
  while (p < parent.end) {
    const t = readTlv(buf, p, parent.end);
    out.push(t);
    p = t.end;
  }
  return out;
}

/** Dotted form of an OBJECT IDENTIFIER's content octets (X.690 §8.19); null if malformed. */
export function oidToString(content: Uint8Array): string | null {
  if (content.length === 0 || content.length > 64) return null;
  const arcs: number[] = [];
  let v = 0;
  for (let i = 0; i < content.length; i++) {
    v = v * 128 + (content[i] & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 256) return null;
    if ((content[i] & 0x80) === 0) {
      if (arcs.length === 0) {
        const first = v < 40 ? 0 : v < 80 ? 1 : 2;
        arcs.push(first, v - first * 40);
      } else arcs.push(v);
      v = 0;
    } else if (i === content.length - 1) return null;
  }
  return arcs.join(".");
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8String: 0x0c,
  NumericString: 0x12,
  PrintableString: 0x13,
  T61String: 0x14,
  IA5String: 0x16,
  UTCTime: 0x17,
  GeneralizedTime: 0x18,
  VisibleString: 0x1a,
  UniversalString: 0x1c,
  BMPString: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/**
 * The context-specific tags of a TBSCertificate (RFC 5280 §4.1): `version [0] EXPLICIT`, `issuerUniqueID [1]
 * IMPLICIT`, `subjectUniqueID [2] IMPLICIT`, `extensions [3] EXPLICIT` (X.690 §8.1.2: class bits 10, constructed bit
 * set for the EXPLICIT ones).
 */
export const TBS_TAG = {
  version: 0xa0,
  issuerUniqueID: 0x81,
  subjectUniqueID: 0x82,
  extensions: 0xa3,
} as const;
