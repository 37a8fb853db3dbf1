/** CertificateStatus, RFC 6066 §8 (and RFC 6961 ocsp_multi): the stapled OCSP response (TLS ≤ 1.2). */
import type { Reader } from "../reader";
import { readCertificateStatus } from "../extensions/statusRequest";
import type { MessageState } from "./message";

export function decodeCertificateStatus(r: Reader, _m: MessageState): void {
  readCertificateStatus(r);
}
