/**
 * The handshake transcript hash (RFC 8446 §4.4.1, RFC 5246 §7.4.9): a running hash over the handshake messages,
 * readable at any point. The hash may only be known after ServerHello picks the suite, so messages are buffered
 * until `setHash` is called.
 *
 * HelloRetryRequest: Transcript-Hash(ClientHello1, HelloRetryRequest, ...) = Hash(message_hash ||
 * 00 00 Hash.length || Hash(ClientHello1) || HelloRetryRequest || ...), message_hash = 254.
 */
import { createHash, hashLength, type HashName, type IncrementalHash } from "./crypto/hash";

export const MESSAGE_HASH = 254;

export class Transcript {
  private running: IncrementalHash | null = null;
  private readonly buffered: Uint8Array[] = [];

  constructor(hash?: HashName) {
    if (hash) this.setHash(hash);
  }

  get hash(): HashName | null {
    return this.running?.alg ?? null;
  }

  /** Fix the hash (once the suite is known) and absorb what was buffered. */
  setHash(hash: HashName): void {
    if (this.running) {
      if (this.running.alg !== hash) throw new Error(`transcript already uses ${this.running.alg}`);
      return;
    }
    this.running = createHash(hash);
    for (const m of this.buffered) this.running.update(m);
    this.buffered.length = 0;
  }

  /** Add a complete handshake message (its 4-byte header included). */
  add(message: Uint8Array): void {
    if (this.running) this.running.update(message);
    else this.buffered.push(message.slice());
  }

  /**
   * Replace everything so far (ClientHello1) by the synthetic message_hash message (RFC 8446 §4.4.1). Call when
   * a HelloRetryRequest arrives, before adding it; the hash must be set.
   */
  replaceWithMessageHash(): void {
    if (!this.running) throw new Error("transcript hash not chosen yet");
    const h = this.running.digest();
    const alg = this.running.alg;
    this.running = createHash(alg);
    this.running.update(messageHash(alg, h));
  }

  /** The transcript hash of the messages so far. */
  current(): Uint8Array {
    if (!this.running) throw new Error("transcript hash not chosen yet");
    return this.running.clone().digest();
  }
}

/** The synthetic `message_hash` handshake message holding Hash(ClientHello1). */
export function messageHash(alg: HashName, clientHello1Hash: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + hashLength(alg));
  out[0] = MESSAGE_HASH;
  out[3] = hashLength(alg);
  out.set(clientHello1Hash, 4);
  return out;
}

/** Transcript hash of a list of messages in one call. */
export function transcriptHash(alg: HashName, messages: Uint8Array[]): Uint8Array {
  const h = createHash(alg);
  for (const m of messages) h.update(m);
  return h.digest();
}
