/**
 * CompressedCertificate, RFC 8879 §4: a TLS 1.3 Certificate message body compressed with zlib (1), brotli (2) or
 * zstd (3). zlib and brotli are decompressed here (node:zlib), bounded by uncompressed_length (itself < 2^24),
 * and the inner Certificate is decoded under the compressed bytes. Its field offsets are those of the
 * decompressed buffer, so its nodes are shown under a `decompressed_certificate` node spanning the compressed
 * bytes (their byte ranges are collapsed onto that span).
 */
import * as zlib from "node:zlib";
import { CertificateCompressionAlgorithm, certificateCompression } from "../registry";
import { DecodeError, Reader } from "../reader";
import type { FieldNode } from "../field";
import { readCertificateBody } from "./certificate";
import { plural, type MessageState } from "./message";

const RFC = "RFC 8879 §4";

function decompress(algorithm: number, data: Uint8Array, size: number): Uint8Array | string {
  const opts = { maxOutputLength: Math.max(1, size) };
  try {
    if (algorithm === CertificateCompressionAlgorithm.zlib) return new Uint8Array(zlib.inflateSync(data, opts));
    if (algorithm === CertificateCompressionAlgorithm.brotli) return new Uint8Array(zlib.brotliDecompressSync(data, opts));
  } catch (e) {
    return `decompression failed: ${e instanceof Error ? e.message : String(e)}`;
  }
  return `${certificateCompression.name(algorithm)} is not supported here`;
}

/** Collapse a subtree's ranges onto [start, end) (its own buffer's offsets mean nothing in the message). */
function collapse(n: FieldNode, start: number, end: number): FieldNode {
  return { ...n, start, end, children: n.children?.map((c) => collapse(c, start, end)) };
}

export function decodeCompressedCertificate(r: Reader, m: MessageState): void {
  const f = m.fields;
  const algorithm = r.u16("algorithm", { display: (v) => certificateCompression.display(v), rfc: RFC });
  f.algorithm = algorithm;
  const size = r.u24("uncompressed_length", { display: (v) => `${v} bytes`, rfc: RFC });
  f.uncompressedLength = size;
  const data = r.opaque("compressed_certificate_message", 3, { min: 1, rfc: RFC, display: (b) => plural(b.length, "byte") });
  const out = decompress(algorithm, data, size);
  const holder = r.node?.children?.[r.node.children.length - 1];
  const dataNode = holder?.children?.[1];
  if (typeof out === "string") {
    if (dataNode) dataNode.error = out;
    return;
  }
  if (out.length !== size) {
    if (dataNode) dataNode.error = `decompressed to ${out.length} bytes, uncompressed_length says ${size}`;
    return;
  }
  const inner: MessageState = { ...m, fields: {}, details: {}, raw: out };
  const root: FieldNode | undefined = r.annotate ? { name: "decompressed_certificate", start: 0, end: out.length, display: "", children: [] } : undefined;
  const ir = new Reader(out, 0, out.length, r.annotate, root);
  let error: string | undefined;
  try {
    readCertificateBody(ir, inner, true);
    ir.expectEnd("Certificate");
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    error = `${e.field}: ${e.message}`;
  }
  m.details.certificates = inner.details.certificates;
  m.details.certificateRequestContext = inner.details.certificateRequestContext;
  f.certificates = inner.fields.certificates ?? [];
  if (root && dataNode) {
    const shown = collapse(root, dataNode.start, dataNode.end);
    shown.display = `Certificate (${plural(out.length, "byte")} decompressed): ${root.display}`;
    if (error) shown.error = error;
    dataNode.children = [shown];
  }
  if (error) r.fail(`decompressed Certificate: ${error}`, "compressed_certificate_message");
}
