/**
 * X.501 Names as RFC 4514 strings, formatted the way pyca/cryptography's `Name.rfc4514_string()` does (the oracle
 * uses it): RDNs most-specific first (reverse of the DER order), multi-valued RDNs joined with `+`, short names
 * only for CN, L, ST, O, OU, C, STREET, DC, UID (everything else as a dotted OID), values escaped per
 * RFC 4514 §2.4, non-string values as `#` + hex.
 */
import { oidToString, readChildren, readTlv, TAG, type Tlv } from "./der";

const SHORT: Record<string, string> = {
  "2.5.4.3": "CN",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.6": "C",
  "2.5.4.9": "STREET",
  "0.9.2342.19200300.100.1.25": "DC",
  "0.9.2342.19200300.100.1.1": "UID",
};

/** RFC 4514 §2.4 escaping, in pyca's order and form. */
export function escapeDnValue(val: string): string {
  if (!val) return "";
  let v = val
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\+/g, "\\+")
    .replace(/,/g, "\\,")
    .replace(/;/g, "\\;")
    .replace(/</g, "\\<")
    .replace(/>/g, "\\>")
    .replace(/\0/g, "\\00");
  if (v[0] === "#" || v[0] === " ") v = "\\" + v;
  if (v[v.length - 1] === " ") v = v.slice(0, -1) + "\\ ";
  return v;
}

function latin1(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/** Decode an attribute value to text as pyca does; non-string types become `#hex` of the content. */
function attributeValue(buf: Uint8Array, t: Tlv): string {
  const c = buf.subarray(t.valueStart, t.end);
  switch (t.tag) {
    case TAG.UTF8String:
      return escapeDnValue(new TextDecoder("utf-8").decode(c));
    case TAG.PrintableString:
    case TAG.IA5String:
    case TAG.VisibleString:
    case TAG.NumericString:
    case TAG.T61String: // pyca decodes T61String as Latin-1
      return escapeDnValue(latin1(c));
    case TAG.BMPString:
      return escapeDnValue(new TextDecoder("utf-16be").decode(c));
    case TAG.UniversalString: {
      let s = "";
      for (let i = 0; i + 3 < c.length; i += 4) s += String.fromCodePoint(((c[i] << 24) | (c[i + 1] << 16) | (c[i + 2] << 8) | c[i + 3]) >>> 0);
      return escapeDnValue(s);
    }
    default:
      return "#" + hex(c);
  }
}

/** Format the Name whose SEQUENCE TLV is `name` in `buf`; throws DerError when malformed. */
export function formatName(buf: Uint8Array, name: Tlv): string {
  if (name.tag !== TAG.SEQUENCE) throw new Error("Name is not a SEQUENCE");
  const rdns: string[] = [];
  for (const set of readChildren(buf, name)) {
    if (set.tag !== TAG.SET) throw new Error("RDN is not a SET");
    const parts: string[] = [];
    for (const atv of readChildren(buf, set)) {
      const [oid, value] = readChildren(buf, atv);
      if (!oid || !value || oid.tag !== TAG.OID) throw new Error("malformed AttributeTypeAndValue");
      const dotted = oidToString(buf.subarray(oid.valueStart, oid.end)) ?? "?";
      parts.push(`${SHORT[dotted] ?? dotted}=${attributeValue(buf, value)}`);
    }
    rdns.push(parts.join("+"));
  }
  return rdns.reverse().join(",");
}

/** Format a DER-encoded Name (e.g. a DistinguishedName in certificate_authorities); null if it is not one. */
export function formatNameDer(der: Uint8Array): string | null {
  try {
    const t = readTlv(der, 0, der.length);
    if (t.end !== der.length) return null;
    return formatName(der, t);
  } catch {
    return null;
  }
}
