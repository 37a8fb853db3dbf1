/**
 * Feeds a transcript (either kind) into the same StreamSink a capture feeds: one TcpConnection whose initiator is
 * the client, block i delivered as frame i + 1.
 */
import { MAX_PLAINTEXT_LENGTH, RECORD_HEADER_LENGTH, writeRecord } from "../tls/record";
import { ContentType, ProtocolVersion } from "../tls/registry";
import type { Transcript, TranscriptBlock } from "./transcriptTypes";
import type { StreamSink, TcpConnection, TcpDir, TcpEndpoint } from "./types";

/** A protected record whose ciphertext the transcript does not hold (openssl-msg `decrypted` / `header-only`). */
export interface ProtectedRecord {
  /** The outer record header as sent. */
  type: number;
  version: number;
  length: number;
  /** The real content type, when known (TLS 1.3 InnerContent, or the outer type in TLS 1.2). */
  innerType: number | null;
  /** The content as OpenSSL printed it after decryption; null when it did not print it (application data). */
  plaintext: Uint8Array | null;
}

export interface TranscriptSink extends StreamSink {
  /**
   * Optional: receives protected records given as plaintext (so the layer above can list their messages as
   * encrypted ones). Without it, they are fed through `data` as synthesized records — see `transcriptStreams`.
   */
  protectedRecord?(conn: TcpConnection, dir: TcpDir, record: ProtectedRecord, frame: number): void;
}

/** Placeholder endpoints when a transcript names none. */
export const UNKNOWN_CLIENT: TcpEndpoint = { ip: "0.0.0.0", port: 0 };
export const UNKNOWN_SERVER: TcpEndpoint = { ip: "0.0.0.0", port: 0 };

/** Largest synthesized body (a record length is a uint16); one shared zero buffer serves every header-only record. */
let filler: Uint8Array | null = null;

/**
 * Delivers the transcript's blocks in order.
 * - `record`: the bytes as written.
 * - `handshake`: wrapped in plaintext handshake records of at most 2^14 bytes (RFC 8446 §5.1), version 0x0303.
 * - `decrypted` / `header-only`: to `sink.protectedRecord` when the sink has it. Otherwise, as a fallback that
 *   keeps record framing intact: a decrypted record becomes a plaintext record of its inner type holding the
 *   printed plaintext, and a header-only record is its header followed by `length` zero bytes (its content was
 *   never printed; the layer above sees an undecryptable record, which is what it is).
 */
export function transcriptStreams(t: Transcript, sink: TranscriptSink): void {
  const lastFrame = t.blocks.length;
  const conn: TcpConnection = {
    id: 0,
    a: t.client ?? UNKNOWN_CLIENT,
    b: t.server ?? UNKNOWN_SERVER,
    // The transcript says which side is the client, as a SYN would: the layer above must not guess it.
    synSeen: true,
    firstFrame: lastFrame ? 1 : 0,
    lastFrame,
    user: null,
  };
  sink.open(conn);
  t.blocks.forEach((b, i) => feed(conn, b, i + 1, sink));
  sink.close(conn, lastFrame);
}

function feed(conn: TcpConnection, b: TranscriptBlock, frame: number, sink: TranscriptSink): void {
  switch (b.kind) {
    case "record":
      if (b.bytes.length) sink.data(conn, b.dir, b.bytes, frame);
      return;
    case "handshake":
      if (b.bytes.length) sink.data(conn, b.dir, wrapRecords(ContentType.handshake, ProtocolVersion.TLSv1_2, b.bytes), frame);
      return;
    case "decrypted":
    case "header-only": {
      const rec = b.record ?? { type: b.bytes[0] ?? 0, version: ProtocolVersion.TLSv1_2, length: 0 };
      const plaintext = b.kind === "decrypted" ? b.bytes : null;
      if (sink.protectedRecord) {
        sink.protectedRecord(conn, b.dir, { ...rec, innerType: b.innerType ?? null, plaintext }, frame);
      } else if (plaintext) {
        sink.data(conn, b.dir, wrapRecords(b.innerType ?? rec.type, rec.version, plaintext), frame);
      } else {
        const size = RECORD_HEADER_LENGTH + rec.length;
        if (!filler || filler.length < size) filler = new Uint8Array(RECORD_HEADER_LENGTH + 0xffff);
        const view = filler.subarray(0, size);
        view.fill(0);
        view.set(b.bytes.subarray(0, RECORD_HEADER_LENGTH));
        sink.data(conn, b.dir, view, frame);
      }
      return;
    }
  }
}

/** Plaintext records (RFC 8446 §5.1) carrying `body`, each fragment at most 2^14 bytes. */
export function wrapRecords(type: number, version: number, body: Uint8Array): Uint8Array {
  const n = Math.max(1, Math.ceil(body.length / MAX_PLAINTEXT_LENGTH));
  const out = new Uint8Array(body.length + n * RECORD_HEADER_LENGTH);
  let o = 0;
  for (let off = 0; off < body.length || o === 0; off += MAX_PLAINTEXT_LENGTH) {
    const frag = body.subarray(off, Math.min(off + MAX_PLAINTEXT_LENGTH, body.length));
    o = writeRecord(out, o, type, version, frag);
  }
  return out;
}
