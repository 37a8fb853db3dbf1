/**
 * X.509 certificates (src/tls/x509/certificate.ts): the summary (@peculiar/x509 behind a try) and the field
 * tree from the project's own DER walker. Both are documented never to throw; the tree must stay inside the DER.
 * The caches are keyed by content, so every mutated input takes the full path.
 */
import { certificateTree, inspectCertificate } from "../../src/tls/x509/certificate";
import { check, checkTree } from "../lib/support";
import { hex } from "../lib/target";

export const maxLength = 8 * 1024;

export const dictionary = [
  hex("3082"),
  hex("3081"),
  hex("a003020102"),
  hex("0609"),
  hex("0603550403"),
  hex("0603551d11"),
  hex("0603551d13"),
  hex("300d06092a864886f70d0101010500"),
  hex("300a06082a8648ce3d040302"),
  hex("170d"),
  hex("180f"),
  hex("0500"),
  hex("0101ff"),
  hex("8201"),
  hex("8704"),
  hex("0c"),
  hex("13"),
  hex("1e"),
  hex("80"),
  hex("ff"),
];

export function fuzz(data: Uint8Array): void {
  const info = inspectCertificate(data);
  if (info.ok) {
    check(typeof info.summary.subject === "string" && typeof info.summary.notBefore === "string", "summary without subject/dates");
    JSON.stringify(info.summary);
  } else {
    check(typeof info.error === "string", "failure without a message");
  }
  const base = 7;
  const tree = certificateTree(data, base);
  checkTree(tree, base, base + data.length);
}
