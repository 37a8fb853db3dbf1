/** Resumable sessions: what a client keeps after a handshake and what a server remembers (RFC 5077, RFC 8446 §4.6.1). */

/** TLS 1.2 session: resumed by session id (RFC 5246 §7.3) or by ticket (RFC 5077). */
export interface Session12 {
  version: 0x0303;
  suite: number;
  masterSecret: Uint8Array;
  extendedMasterSecret: boolean;
  sessionId: Uint8Array;
  ticket?: Uint8Array;
  serverName?: string;
}

/** TLS 1.3 ticket and the PSK derived from it (RFC 8446 §4.6.1). */
export interface Session13 {
  version: 0x0304;
  suite: number;
  psk: Uint8Array;
  ticket: Uint8Array;
  ageAdd: number;
  lifetime: number;
  /** Milliseconds (Date.now()) when the ticket arrived; for the obfuscated ticket age. */
  receivedAt: number;
  serverName?: string;
}

export type Session = Session12 | Session13;

/** The server's memory: session ids and tickets it issued (tickets are opaque handles into this cache). */
export class ServerSessionCache {
  readonly byId = new Map<string, Session12>();
  readonly tickets12 = new Map<string, Session12>();
  readonly tickets13 = new Map<string, { suite: number; psk: Uint8Array; ageAdd: number }>();
  /** Bound the cache: a server must not grow without limit. */
  constructor(readonly limit = 1000) {}

  static key(b: Uint8Array): string {
    return Buffer.from(b).toString("hex");
  }

  remember<T>(map: Map<string, T>, key: Uint8Array, value: T): void {
    if (map.size >= this.limit) map.delete(map.keys().next().value as string);
    map.set(ServerSessionCache.key(key), value);
  }
}
