/**
 * ServerKeyExchange (TLS ≤ 1.2): the server's ephemeral key-exchange parameters, signed with its certificate key
 * over client_random + server_random + params (RFC 5246 §7.4.3). ECDHE form: RFC 8422 §5.4; DHE form:
 * RFC 5246 §7.4.3; PSK forms: RFC 4279 §2/§3, RFC 5489 §2. The form follows the negotiated suite's key exchange;
 * an unknown suite is sniffed by trying the ECDHE, then the DHE form.
 */
import { ECCurveType, ecCurveTypes, namedGroups } from "../registry";
import { DecodeError, Reader, toHex } from "../reader";
import { readSigned, signedHasAlgorithm } from "./common";
import { keyExchangeKind, type KeyExchangeKind } from "./keyExchangeKind";
import { latin1, plural, quoted, type MessageState } from "./message";
import { bounds, vector } from "../shape";

const RFC = "RFC 5246 §7.4.3";

/** RFC 8422 §5.4 ECPoint's opaque point<1..2^8-1>; RFC 5246 §7.4.3 ServerDHParams' opaque dh_p, dh_g, dh_Ys<1..2^16-1>. */
export const EC_POINT = vector(1, 1);
export const DH_PARAMETER = vector(2, 1);

function readEcParams(r: Reader, m: MessageState): void {
  const f = m.fields;
  const d = m.details;
  r.group(
    "ServerECDHParams",
    () => {
      r.group("curve_params", () => {
        const type = r.u8("curve_type", { display: (v) => ecCurveTypes.display(v), rfc: "RFC 8422 §5.4" });
        d.curveType = type;
        f.curveType = type;
        if (type !== ECCurveType.named_curve) r.fail(`curve_type ${type}: only named_curve (3) is defined since RFC 8422`, "curve_type", r.pos - 1);
        const g = r.u16("namedcurve", { display: (v) => namedGroups.display(v), rfc: "RFC 8422 §5.4" });
        d.namedGroup = g;
        f.namedGroup = g;
      });
      const point = r.opaque("public", EC_POINT.width, {
        ...bounds(EC_POINT),
        rfc: "RFC 8422 §5.4",
        display: (b) => `${plural(b.length, "byte")}: ${toHex(b)}`,
      });
      d.publicKey = point;
      f.publicKeyLength = point.length;
    },
    { rfc: "RFC 8422 §5.4", display: () => namedGroups.name(d.namedGroup ?? -1) },
  );
}

function readDhParams(r: Reader, m: MessageState): void {
  const f = m.fields;
  const d = m.details;
  r.group(
    "ServerDHParams",
    () => {
      const show = (b: Uint8Array) => `${plural(b.length, "byte")}: ${toHex(b)}`;
      d.dhP = r.opaque("dh_p", DH_PARAMETER.width, {
        ...bounds(DH_PARAMETER),
        rfc: RFC,
        note: "ffdhe-groups",
        display: (b) => `${b.length * 8}-bit prime: ${toHex(b)}`,
      });
      f.dhPLength = d.dhP.length;
      d.dhG = r.opaque("dh_g", DH_PARAMETER.width, { ...bounds(DH_PARAMETER), rfc: RFC, display: show });
      f.dhGLength = d.dhG.length;
      d.dhYs = r.opaque("dh_Ys", DH_PARAMETER.width, { ...bounds(DH_PARAMETER), rfc: RFC, display: show });
      f.dhYsLength = d.dhYs.length;
    },
    { rfc: RFC },
  );
}

function readRsaParams(r: Reader): void {
  // RFC 4346 §7.4.3 (export suites): a temporary RSA key.
  r.group("ServerRSAParams", () => {
    r.opaque("rsa_modulus", 2, { min: 1 });
    r.opaque("rsa_exponent", 2, { min: 1 });
  });
}

function readBody(r: Reader, m: MessageState, kind: KeyExchangeKind): void {
  const f = m.fields;
  const d = m.details;
  f.curveType = null;
  f.namedGroup = null;
  f.signatureAlgorithm = null;
  const paramsStart = r.pos;
  if (kind.psk) {
    r.opaque("psk_identity_hint", 2, { rfc: "RFC 4279 §2", display: (b) => (b.length ? quoted(latin1(b)) : "(empty)") });
  }
  if (kind.base === "ecdhe") readEcParams(r, m);
  else if (kind.base === "dhe") readDhParams(r, m);
  else if (kind.base === "rsa" && !kind.psk) readRsaParams(r);
  d.signedParams = r.buf.subarray(paramsStart, r.pos);
  if (!kind.signed) return;
  r.group(
    "signed_params",
    () => {
      const s = readSigned(r, signedHasAlgorithm(m.ctx.version, r.buf, r.pos, r.end), RFC);
      if (s.algorithm !== null) {
        d.signatureAlgorithm = s.algorithm;
        f.signatureAlgorithm = s.algorithm;
      }
      d.signature = s.signature;
      f.signatureLength = s.signature.length;
    },
    { rfc: "RFC 5246 §4.7", note: "server-key-exchange" },
  );
}

/** Try a form on a non-annotating Reader: does it consume the body exactly? */
function fits(r: Reader, m: MessageState, kind: KeyExchangeKind): boolean {
  const probe = new Reader(r.buf, r.pos, r.end, false);
  const scratch: MessageState = { ...m, fields: {}, details: {} };
  try {
    readBody(probe, scratch, kind);
    return probe.pos === probe.end;
  } catch (e) {
    if (e instanceof DecodeError) return false;
    throw e;
  }
}

export function decodeServerKeyExchange(r: Reader, m: MessageState): void {
  let kind = keyExchangeKind(m.ctx.cipherSuite);
  if (kind.base === "unknown") {
    const candidates: KeyExchangeKind[] = [
      { base: "ecdhe", psk: false, signed: true },
      { base: "dhe", psk: false, signed: true },
    ];
    kind = candidates.find((k) => fits(r, m, k)) ?? candidates[0];
  }
  readBody(r, m, kind);
}
