/**
 * Secrets available to the decryptor, from key logs (a file, a transcript's keylog lines, pcapng Decryption
 * Secrets Blocks) and TLS 1.2 sessions learnt while decrypting (for resumption by session id or ticket when the
 * only key is the server's RSA key). Secrets stay in memory; nothing here is written anywhere.
 */
import { parseKeyLog } from "../engine/keylog";
import type { SecretInfo } from "../model";

type Source = SecretInfo["source"];

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length).toString("hex");

export class KeyStore {
  private readonly byRandom = new Map<string, Map<string, { value: Uint8Array; source: Source }>>();
  /** TLS 1.2 master secrets by session id / ticket (hex), for resumed sessions. */
  private readonly sessions = new Map<string, Uint8Array>();
  readonly errors: { line: number; message: string }[] = [];

  addKeyLog(text: string, source: Source): void {
    const parsed = parseKeyLog(text);
    this.errors.push(...parsed.errors);
    for (const [random, labels] of parsed.entries) {
      let m = this.byRandom.get(random);
      if (!m) this.byRandom.set(random, (m = new Map()));
      for (const [label, value] of labels) m.set(label, { value, source });
    }
  }

  get empty(): boolean {
    return this.byRandom.size === 0;
  }

  has(clientRandom: Uint8Array): boolean {
    // Asked once per connection: without keys (the usual case) skip making the hex key.
    return this.byRandom.size > 0 && this.byRandom.has(hex(clientRandom));
  }

  get(clientRandom: Uint8Array, label: string): { value: Uint8Array; source: Source } | undefined {
    return this.byRandom.get(hex(clientRandom))?.get(label);
  }

  /** The labels logged for a client_random (lowercase hex), for the decryption diagnoses. */
  labelsFor(clientRandomHex: string): ReadonlySet<string> | undefined {
    const m = this.byRandom.get(clientRandomHex);
    return m ? new Set(m.keys()) : undefined;
  }

  /** How many client randoms the key logs hold. */
  get loggedRandoms(): number {
    return this.byRandom.size;
  }

  rememberSession(key: Uint8Array, master: Uint8Array): void {
    if (key.length) this.sessions.set(hex(key), master);
  }

  session(key: Uint8Array): Uint8Array | undefined {
    return key.length ? this.sessions.get(hex(key)) : undefined;
  }
}
