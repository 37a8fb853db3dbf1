/**
 * Which keys open which QUIC packet of a captured connection (RFC 9001 §4, §5, §6): Initial keys derived from the
 * client's Destination Connection ID (no secret: RFC 9001 §5.2), re-derived when a Retry or a Version Negotiation
 * made the client start again with a new one; 0-RTT, Handshake and 1-RTT keys from the TLS secrets of the key
 * log (or a pcapng Decryption Secrets Block) once the ClientHello's random names them and the ServerHello's suite
 * says how to use them; 1-RTT key updates followed by the Key Phase bit (§6).
 */
import { initialKeys, nextKeyGeneration, quicKeys, quicSuite, type InitialSalt, type QuicKeys } from "../../engine/quic/keys";
import type { KeyStore } from "../keyStore";
import type { Direction } from "../../tls/handshake/types";
import type { SecretInfo } from "../../model";

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length).toString("hex");

/** The generations of 1-RTT keys of one direction: the current one, the one before (reordered packets), the next. */
interface Generations {
  list: QuicKeys[];
  /** Index in `list` of the generation whose Key Phase bit is `phase`. */
  current: number;
}

/** Key generations kept per direction at most (a capture of endless key updates stays small). */
const MAX_GENERATIONS = 64;

export class PacketKeys {
  private initialCache = new Map<string, { client: QuicKeys; server: QuicKeys }>();
  private lastInitial: { dcid: Uint8Array; version: number; salt: InitialSalt; pair: { client: QuicKeys; server: QuicKeys } } | null = null;
  private clientRandom: Uint8Array | null = null;
  private suite: { aead: QuicKeys["aead"]; hash: QuicKeys["hash"] } | undefined;
  private handshake: Partial<Record<Direction, QuicKeys>> = {};
  private app: Partial<Record<Direction, Generations>> = {};
  private early: QuicKeys[] | null = null;
  private readonly known: SecretInfo[] = [];

  constructor(private readonly keys: KeyStore) {}

  /** Initial keys for a version and the client's DCID of the current attempt. */
  initial(version: number, clientDcid: Uint8Array, dir: Direction, salt: InitialSalt = "version"): QuicKeys {
    // The same DCID array is passed for every packet of an attempt: the last pair answers without a lookup.
    const last = this.lastInitial;
    if (last && last.dcid === clientDcid && last.version === version && last.salt === salt) return dir === "c2s" ? last.pair.client : last.pair.server;
    const k = `${version}:${salt}:${hex(clientDcid)}`;
    let pair = this.initialCache.get(k);
    if (!pair) {
      // One attempt per Retry or Version Negotiation: a handful per connection.
      if (this.initialCache.size > 16) this.initialCache.clear();
      pair = initialKeys(version, clientDcid, salt);
      this.initialCache.set(k, pair);
    }
    this.lastInitial = { dcid: clientDcid, version, salt, pair };
    return dir === "c2s" ? pair.client : pair.server;
  }

  /** Forgets the Initial keys: nothing will be opened with them any more (they are derived again if asked for). */
  dropInitial(): void {
    this.initialCache.clear();
    this.lastInitial = null;
  }

  /** Whether the key store has anything for this connection (else Handshake and 1-RTT packets stay sealed). */
  get hasSecrets(): boolean {
    return this.clientRandom !== null;
  }

  /** The client's first ClientHello: its random names the connection's secrets in the key log. */
  clientHello(random: Uint8Array): void {
    if (this.clientRandom || !this.keys.has(random)) return;
    this.clientRandom = random;
  }

  /** The ServerHello fixed the suite: Handshake and 1-RTT keys can be made. */
  serverHello(version: number, cipherSuite: number | null): void {
    if (cipherSuite === null) return;
    this.suite = quicSuite(cipherSuite);
    if (!this.suite || !this.clientRandom) return;
    const { aead, hash } = this.suite;
    for (const [dir, label] of [
      ["c2s", "CLIENT_HANDSHAKE_TRAFFIC_SECRET"],
      ["s2c", "SERVER_HANDSHAKE_TRAFFIC_SECRET"],
    ] as const) {
      const s = this.secret(label);
      if (s) this.handshake[dir] = quicKeys(version, aead, hash, s);
    }
    for (const [dir, label] of [
      ["c2s", "CLIENT_TRAFFIC_SECRET_0"],
      ["s2c", "SERVER_TRAFFIC_SECRET_0"],
    ] as const) {
      const s = this.secret(label);
      if (s) this.app[dir] = { list: [quicKeys(version, aead, hash, s)], current: 0 };
    }
  }

  handshakeKeys(dir: Direction): QuicKeys | undefined {
    return this.handshake[dir];
  }

  /**
   * 0-RTT keys (RFC 9001 §5.6). They may be needed before the ServerHello says the suite (the 0-RTT packet is
   * coalesced with the ClientHello): then every TLS 1.3 AEAD whose hash fits the secret's length is a candidate,
   * and the AEAD tag tells which one is right.
   */
  earlyKeys(version: number): QuicKeys[] {
    if (this.early) return this.early;
    const s = this.clientRandom ? this.secret("CLIENT_EARLY_TRAFFIC_SECRET") : undefined;
    if (!s) return [];
    const candidates: QuicKeys["aead"][] = s.length === 48 ? ["AES_256_GCM"] : ["AES_128_GCM", "CHACHA20_POLY1305"];
    this.early = candidates.map((aead) => quicKeys(version, aead, s.length === 48 ? "SHA384" : "SHA256", s));
    return this.early;
  }

  /** 0-RTT keys that opened a packet: the only candidate from now on. */
  earlyConfirmed(k: QuicKeys): void {
    this.early = [k];
  }

  /**
   * 1-RTT keys for a packet whose Key Phase bit is `phase` (RFC 9001 §6): the current generation if its phase
   * matches, else the next one (a key update) or the previous (a packet reordered across the update). Returns
   * the candidates in the order to try, each with its generation number.
   */
  applicationKeys(version: number, dir: Direction, phase: number): { keys: QuicKeys; generation: number }[] {
    const g = this.app[dir];
    if (!g) return [];
    const out: { keys: QuicKeys; generation: number }[] = [];
    const cur = g.current;
    if ((cur & 1) === phase) out.push({ keys: g.list[cur], generation: cur });
    else {
      if (cur + 1 < MAX_GENERATIONS) {
        if (g.list.length <= cur + 1) {
          const next = nextKeyGeneration(version, g.list[cur]);
          g.list.push(next);
          this.note(`${dir === "c2s" ? "CLIENT" : "SERVER"}_TRAFFIC_SECRET_${cur + 1}`, next.secret, "derived");
        }
        out.push({ keys: g.list[cur + 1], generation: cur + 1 });
      }
      if (cur > 0) out.push({ keys: g.list[cur - 1], generation: cur - 1 });
    }
    return out;
  }

  /** A packet opened with generation `generation`: a newer one becomes current (the peer updated its keys). */
  applicationOpened(dir: Direction, generation: number): void {
    const g = this.app[dir];
    if (g && generation > g.current) g.current = generation;
  }

  secrets(): SecretInfo[] {
    return this.known;
  }

  private secret(label: string): Uint8Array | undefined {
    if (!this.clientRandom) return undefined;
    const s = this.keys.get(this.clientRandom, label);
    if (s) this.note(label, s.value, s.source);
    return s?.value;
  }

  private note(label: string, value: Uint8Array, source: SecretInfo["source"]): void {
    if (!this.known.some((s) => s.label === label)) this.known.push({ label, value: hex(value), source });
  }
}
