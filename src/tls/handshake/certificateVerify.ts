/**
 * CertificateVerify: proof of possession of the certificate's private key. TLS 1.3 (RFC 8446 §4.4.3) signs a
 * context string plus the transcript hash; TLS 1.2 (RFC 5246 §7.4.8) signs the handshake messages so far, with a
 * SignatureAndHashAlgorithm in front; TLS 1.0/1.1 (RFC 4346 §7.4.8) have no algorithm field.
 */
import type { Reader } from "../reader";
import { readSigned, signedHasAlgorithm } from "./common";
import { isTls13, type MessageState } from "./message";

export function decodeCertificateVerify(r: Reader, m: MessageState): void {
  const RFC = isTls13(m.ctx.version) ? "RFC 8446 §4.4.3" : "RFC 5246 §7.4.8";
  const s = readSigned(r, signedHasAlgorithm(m.ctx.version, r.buf, r.pos, r.end), RFC);
  m.fields.signatureAlgorithm = s.algorithm;
  if (s.algorithm !== null) m.details.signatureAlgorithm = s.algorithm;
  m.details.signature = s.signature;
  m.fields.signatureLength = s.signature.length;
}
