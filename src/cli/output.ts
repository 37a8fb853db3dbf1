/**
 * Buffered synchronous output to a file descriptor: large JSON documents stream out in 256 KiB writes without
 * piling up in Node's asynchronous stdout queue (which would make memory grow with the output).
 */
import * as fs from "node:fs";

export class Output {
  private chunks: string[] = [];
  private size = 0;
  /** Bytes from writeBuffered. Text and bytes never wait together: each kind flushes the other before it waits. */
  private readonly held = Buffer.allocUnsafe(1 << 18);
  private heldSize = 0;

  constructor(private readonly fd = 1) {}

  write(s: string): void {
    if (this.heldSize) this.flushHeld();
    this.chunks.push(s);
    this.size += s.length;
    if (this.size >= 1 << 18) this.flush();
  }

  flush(): void {
    if (this.heldSize) this.flushHeld();
    if (!this.chunks.length) return;
    const buf = Buffer.from(this.chunks.join(""), "utf8");
    this.chunks = [];
    this.size = 0;
    writeAll(this.fd, buf);
  }

  /** Bytes (already encoded), gathered into large writes like text. */
  writeBuffered(bytes: Uint8Array): void {
    if (this.chunks.length || this.held.length - this.heldSize < bytes.length) this.flush();
    if (bytes.length >= this.held.length) return writeAll(this.fd, bytes);
    this.held.set(bytes, this.heldSize);
    this.heldSize += bytes.length;
  }

  /** Bytes (already encoded), after any buffered text, written at once. */
  writeBytes(bytes: Uint8Array): void {
    this.flush();
    writeAll(this.fd, bytes);
  }

  private flushHeld(): void {
    const n = this.heldSize;
    this.heldSize = 0;
    writeAll(this.fd, this.held.subarray(0, n));
  }
}

function writeAll(fd: number, buf: Uint8Array): void {
  let off = 0;
  // A non-blocking pipe may refuse part of a write (EAGAIN); retry a bounded number of times per write.
  let spins = 0;
  while (off < buf.length) {
    try {
      off += fs.writeSync(fd, buf, off, buf.length - off);
      spins = 0;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN" && spins++ < 1_000_000) continue;
      if (code === "EPIPE") return;
      throw e;
    }
  }
}
