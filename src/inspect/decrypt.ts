/**
 * Decrypting a captured connection: keys from the key store (or the server's RSA key), the TLS 1.2 key block or
 * the TLS 1.3 traffic secrets installed at the right record, Finished recomputed from the transcript.
 *
 * TLS 1.2 (RFC 5246 §6.3, §7.4.9): master secret from CLIENT_RANDOM (or from the RSA-decrypted premaster, with
 * the extended master secret of RFC 7627 when negotiated); each direction switches to its write keys after its
 * ChangeCipherSpec. TLS 1.3 (RFC 8446 §7): handshake traffic secrets right after ServerHello, application
 * secrets after each side's Finished, the next generation after a KeyUpdate (§7.2). TLS 1.0/1.1 (RFC 2246,
 * RFC 4346): TLS 1.2's flow with the MD5/SHA-1 PRF (prf10.ts) and, in TLS 1.0, CBC IVs chained across records
 * (cbc10.ts); TLS 1.1's CBC records are TLS 1.2's.
 */
import { concatBytes } from "../tls/bytes";
import { ExtensionType, HandshakeType, ProtocolVersion } from "../tls/registry";
import { hashOf, type HashName } from "../engine/crypto/hash";
import { finishedVerifyData12, keyBlock12, masterSecret12 } from "../engine/prf12";
import { finishedVerifyData10, keyBlock10, masterSecret10, transcriptHash10 } from "../engine/prf10";
import { finishedVerifyData13, nextTrafficSecret13, trafficKeys13 } from "../engine/keySchedule13";
import { RecordProtector } from "../engine/recordProtection";
import { decryptPremasterDetailed } from "../engine/rsaKeyTransport";
import { suiteParams, type SuiteParams } from "../engine/suites";
import type { DecodedHandshake, Direction } from "../tls/handshake/types";
import type { ConnectionDecryptor, OpenResult } from "./decryptorTypes";
import { Tls10CbcOpener } from "./cbc10";
import type { KeyStore } from "./keyStore";
import type { KeyPhase, SecretInfo } from "../model";

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length).toString("hex");

const concat = (parts: Uint8Array[]): Uint8Array => concatBytes(...parts);

/** What opens one direction's records: the engine's record layer, or TLS 1.0's chained-IV CBC. */
type Opener = RecordProtector | Tls10CbcOpener;

interface DirKeys {
  protector: Opener | null;
  phase: KeyPhase;
  /** TLS 1.3: the traffic secret in use (for KeyUpdate and Finished). */
  secret?: Uint8Array;
  /** TLS 1.3: the handshake traffic secret (the Finished base key). */
  handshakeSecret?: Uint8Array;
  /** TLS 1.3: a fallback to try when the current key fails (0-RTT rejected: early → handshake). */
  fallback?: { protector: RecordProtector; phase: KeyPhase; secret: Uint8Array };
  /** TLS 1.2: keys waiting for this direction's ChangeCipherSpec. */
  pending?: Opener;
  generation: number;
}

export function createDecryptor(clientRandom: Uint8Array, keys: KeyStore, rsaKeys: string[]): ConnectionDecryptor {
  return new Decryptor(clientRandom, keys, rsaKeys);
}

/**
 * The handshake messages so far, copied into one growing buffer: a connection's messages come as views of buffers
 * that are reused (or of whole records), and a copy of each as an object of its own lived as long as its
 * connection — most of what the collector promoted on a decrypted capture.
 */
class TranscriptBytes {
  private buf = new Uint8Array(2048);
  length = 0;

  append(bytes: Uint8Array): void {
    if (this.length + bytes.length > this.buf.length) {
      const grown = new Uint8Array(Math.max(this.buf.length * 2, this.length + bytes.length));
      grown.set(this.buf.subarray(0, this.length));
      this.buf = grown;
    }
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** The bytes so far (a view, valid until the next append). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  /** `bytes` in front of everything so far. */
  prepend(bytes: Uint8Array): void {
    const rest = this.view().slice();
    this.length = 0;
    this.append(bytes);
    this.append(rest);
  }

  clear(): void {
    this.length = 0;
  }
}

class Decryptor implements ConnectionDecryptor {
  decrypted = false;
  private readonly transcript = new TranscriptBytes();
  private readonly dirs: Record<Direction, DirKeys> = {
    c2s: { protector: null, phase: "plaintext", generation: 0 },
    s2c: { protector: null, phase: "plaintext", generation: 0 },
  };
  private readonly known: SecretInfo[] = [];
  private params: SuiteParams | undefined;
  private version: number | null = null;
  private serverRandom: Uint8Array | null = null;
  private clientHello: DecodedHandshake | null = null;
  private serverHello: DecodedHandshake | null = null;
  private master: Uint8Array | null = null;
  private ems = false;
  private etm = false;
  private tls13 = false;
  /** TLS 1.2: the directions whose Finished ended the current handshake (both: a ClientHello now renegotiates). */
  private readonly finished = new Set<Direction>();
  /** Handshakes so far (a renegotiation, RFC 5746, starts the next: its secrets are noted with its number). */
  private handshakes = 1;

  constructor(
    private clientRandom: Uint8Array,
    private readonly keys: KeyStore,
    private readonly rsaKeys: string[],
  ) {
    this.note("client_random", clientRandom, "derived");
  }

  private note(name: string, value: Uint8Array, source: SecretInfo["source"]): void {
    const label = this.handshakes > 1 ? `${name} (handshake ${this.handshakes})` : name;
    if (!this.known.some((s) => s.label === label)) this.known.push({ label, value: hex(value), source });
  }

  secrets(): SecretInfo[] {
    return this.known;
  }

  canOpen(dir: Direction): boolean {
    return this.dirs[dir].protector !== null;
  }

  open(dir: Direction, type: number, version: number, fragment: Uint8Array): OpenResult {
    const d = this.dirs[dir];
    if (!d.protector) return { ok: false, error: "no key for this record" };
    const r = d.protector.open(type, version, fragment);
    if (r.ok) {
      this.decrypted = true;
      return { ok: true, type: r.type, plaintext: r.plaintext, phase: d.phase };
    }
    if (d.fallback) {
      const f = d.fallback;
      const r2 = f.protector.open(type, version, fragment);
      if (r2.ok) {
        d.protector = f.protector;
        d.phase = f.phase;
        d.secret = f.secret;
        d.fallback = undefined;
        this.decrypted = true;
        return { ok: true, type: r2.type, plaintext: r2.plaintext, phase: d.phase };
      }
    }
    return { ok: false, error: `${r.error} (${d.phase} keys, record ${d.protector.seq - 1n} of ${dir})` };
  }

  changeCipherSpec(dir: Direction): void {
    const d = this.dirs[dir];
    if (this.tls13) return;
    if (!d.pending) this.prepare12();
    if (d.pending) {
      d.protector = d.pending;
      d.pending = undefined;
      d.phase = "application";
    } else {
      d.protector = null;
    }
  }

  message(dir: Direction, msg: DecodedHandshake, negotiated: { version: number | null; cipherSuite: number | null }): boolean | null {
    let verified: boolean | null = null;
    switch (msg.type) {
      case HandshakeType.client_hello:
        if (!this.tls13 && this.finished.size === 2 && msg.details.random) this.renegotiate(msg.details.random);
        if (!this.clientHello) this.clientHello = msg;
        this.maybeEarlyData(msg);
        break;
      case HandshakeType.server_hello:
        if (msg.name === "ServerHello") {
          this.serverHello = msg;
          this.version = negotiated.version;
          this.tls13 = negotiated.version === ProtocolVersion.TLSv1_3;
          this.params = negotiated.cipherSuite !== null ? suiteParams(negotiated.cipherSuite) : undefined;
          this.serverRandom = msg.details.random ?? null;
          const exts = msg.details.extensions ?? [];
          this.ems = msg.details.extendedMasterSecret ?? exts.some((e) => e.type === ExtensionType.extended_master_secret);
          this.etm = msg.details.encryptThenMac ?? exts.some((e) => e.type === ExtensionType.encrypt_then_mac);
        } else {
          // HelloRetryRequest: RFC 8446 §4.4.1 replaces ClientHello1 in the transcript by a message_hash.
          this.hrr();
        }
        break;
      case HandshakeType.client_key_exchange:
        this.clientKeyExchange(msg);
        break;
      case HandshakeType.finished:
        verified = this.verifyFinished(dir, msg);
        this.finished.add(dir);
        break;
      case HandshakeType.key_update:
        this.keyUpdate(dir);
        break;
      default:
        break;
    }
    // Post-handshake messages (TLS 1.3 NewSessionTicket, KeyUpdate) are not part of the transcript.
    const postHandshake = this.tls13 && (msg.type === HandshakeType.new_session_ticket || msg.type === HandshakeType.key_update);
    if (!postHandshake && msg.type !== HandshakeType.hello_request) this.transcript.append(msg.raw);
    if (msg.type === HandshakeType.server_hello && msg.name === "ServerHello" && this.tls13) this.installHandshake13();
    if (msg.type === HandshakeType.finished && this.tls13) this.installApplication13(dir);
    if (msg.type === HandshakeType.end_of_early_data && this.tls13) this.endOfEarlyData();
    if (msg.type === HandshakeType.finished && !this.tls13 && dir === "c2s" && this.master) {
      const sid = this.serverHello?.details.sessionId;
      if (sid) this.keys.rememberSession(sid, this.master);
    }
    if (msg.type === HandshakeType.new_session_ticket && !this.tls13 && this.master && msg.details.ticket)
      this.keys.rememberSession(msg.details.ticket, this.master);
    return verified;
  }

  private get hash(): HashName {
    return this.params?.hash ?? "SHA256";
  }

  /** TLS 1.0 and 1.1: the MD5/SHA-1 PRF and Finished hash of RFC 2246 §5 instead of TLS 1.2's. */
  private get legacy(): boolean {
    return this.version === ProtocolVersion.TLSv1_0 || this.version === ProtocolVersion.TLSv1_1;
  }

  // ---- TLS 1.2 ----

  /**
   * RFC 5246 §7.4.1.2, RFC 5746: a ClientHello after a completed handshake starts a new one, inside the records of
   * the current one. Its secrets come from its own random (the key log has a CLIENT_RANDOM line per handshake) and
   * its Finished cover its own transcript; the current keys stay in use in each direction until that direction's
   * next ChangeCipherSpec (`changeCipherSpec` then installs the new handshake's keys).
   */
  private renegotiate(clientRandom: Uint8Array): void {
    this.handshakes++;
    this.clientRandom = clientRandom;
    this.note("client_random", clientRandom, "derived");
    this.transcript.clear();
    // A ClientHello1 set aside by a HelloRetryRequest went with the transcript it was to head.
    this.pendingHrr = null;
    this.finished.clear();
    this.clientHello = null;
    this.serverHello = null;
    this.serverRandom = null;
    this.master = null;
    this.dirs.c2s.pending = undefined;
    this.dirs.s2c.pending = undefined;
  }

  private masterSecret12(): Uint8Array | null {
    if (this.master) return this.master;
    const logged = this.keys.get(this.clientRandom, "CLIENT_RANDOM");
    if (logged) {
      this.master = logged.value;
      this.note("master_secret", logged.value, logged.source);
      return this.master;
    }
    // Resumption: a session learnt earlier in this capture (by session id or ticket).
    const sid = this.serverHello?.details.sessionId;
    const chSid = this.clientHello?.details.sessionId;
    if (sid && chSid && sid.length && hex(sid) === hex(chSid)) {
      const m = this.keys.session(sid);
      if (m) {
        this.master = m;
        this.note("master_secret", m, "rsa-key");
        return m;
      }
    }
    const ticketExt = this.clientHello?.details.extensions?.find((e) => e.type === ExtensionType.session_ticket);
    if (ticketExt && ticketExt.data.length) {
      const m = this.keys.session(ticketExt.data);
      if (m) {
        this.master = m;
        this.note("master_secret", m, "rsa-key");
        return m;
      }
    }
    return null;
  }

  private clientKeyExchange(msg: DecodedHandshake): void {
    if (this.tls13 || this.master || !this.params || this.params.keyExchange !== "RSA" || !this.rsaKeys.length) return;
    if (this.keys.get(this.clientRandom, "CLIENT_RANDOM")) return;
    const enc = msg.details.exchange;
    const chVersion = (this.clientHello?.fields.legacyVersion as number | undefined) ?? ProtocolVersion.TLSv1_2;
    if (!enc || !this.serverRandom) return;
    for (const pem of this.rsaKeys) {
      try {
        // A wrong key of the right size yields bad padding (and a random premaster, RFC 5246 §7.4.7.1): only a
        // premaster with valid padding identifies the server's key.
        const { premaster: pms, valid } = decryptPremasterDetailed(pem, enc, chVersion);
        if (!valid && this.rsaKeys.length > 1) continue;
        // The session hash for the extended master secret covers the transcript through ClientKeyExchange.
        const handshake = concat([this.transcript.view(), msg.raw]);
        if (this.legacy) {
          this.master = masterSecret10(pms, this.clientRandom, this.serverRandom, this.ems ? transcriptHash10(handshake) : null);
        } else {
          const sessionHash = this.ems ? hashOf(this.hash, handshake) : null;
          this.master = masterSecret12(this.hash, pms, this.clientRandom, this.serverRandom, sessionHash);
        }
        this.note("pre_master_secret", pms, "rsa-key");
        this.note("master_secret", this.master, "rsa-key");
        return;
      } catch {
        // Not this key (wrong size or type): try the next one.
      }
    }
  }

  private prepare12(): void {
    const master = this.masterSecret12();
    if (!master || !this.params || !this.serverRandom || this.tls13) return;
    const tls10 = this.version === ProtocolVersion.TLSv1_0;
    const kb = this.legacy
      ? keyBlock10(this.params, master, this.clientRandom, this.serverRandom, tls10)
      : keyBlock12(this.params, master, this.clientRandom, this.serverRandom);
    const opts = { version: "tls12" as const, encryptThenMac: this.etm };
    // TLS 1.0 CBC chains its IVs; every other TLS 1.0–1.2 record is opened by the engine's record layer.
    const opener = (keys: typeof kb.client): Opener =>
      tls10 && this.params!.cbc ? new Tls10CbcOpener(this.params!, keys, this.etm) : new RecordProtector(this.params!, keys, opts);
    this.dirs.c2s.pending = opener(kb.client);
    this.dirs.s2c.pending = opener(kb.server);
    if (kb.client.macKey?.length) this.note("client_write_MAC_key", kb.client.macKey, "derived");
    if (kb.server.macKey?.length) this.note("server_write_MAC_key", kb.server.macKey, "derived");
    this.note("client_write_key", kb.client.key, "derived");
    this.note("server_write_key", kb.server.key, "derived");
    if (kb.client.iv.length) this.note("client_write_IV", kb.client.iv, "derived");
    if (kb.server.iv.length) this.note("server_write_IV", kb.server.iv, "derived");
  }

  // ---- TLS 1.3 ----

  private secret13(label: string): Uint8Array | undefined {
    const s = this.keys.get(this.clientRandom, label);
    if (s) this.note(label, s.value, s.source);
    return s?.value;
  }

  private protector13(secret: Uint8Array): RecordProtector | null {
    if (!this.params) return null;
    return new RecordProtector(this.params, trafficKeys13(this.params, secret), { version: "tls13" });
  }

  private maybeEarlyData(ch: DecodedHandshake): void {
    if (!(ch.details.extensions ?? []).some((e) => e.type === ExtensionType.early_data)) return;
    const early = this.keys.get(this.clientRandom, "CLIENT_EARLY_TRAFFIC_SECRET");
    const suite = ch.details.cipherSuites?.[0];
    if (!early || suite === undefined) return;
    // The early data suite is the one of the PSK; the first offered TLS 1.3 suite is the usual choice.
    const params = suiteParams(suite);
    if (!params) return;
    this.note("CLIENT_EARLY_TRAFFIC_SECRET", early.value, early.source);
    this.dirs.c2s.protector = new RecordProtector(params, trafficKeys13(params, early.value), { version: "tls13" });
    this.dirs.c2s.phase = "early";
    this.dirs.c2s.secret = early.value;
  }

  private installHandshake13(): void {
    const c = this.secret13("CLIENT_HANDSHAKE_TRAFFIC_SECRET");
    const s = this.secret13("SERVER_HANDSHAKE_TRAFFIC_SECRET");
    if (s) {
      const p = this.protector13(s);
      Object.assign(this.dirs.s2c, { protector: p, phase: "handshake", secret: s, handshakeSecret: s });
    }
    if (c) {
      const p = this.protector13(c);
      const d = this.dirs.c2s;
      if (d.phase === "early" && d.protector && p) {
        // 0-RTT offered: early data keys stay until EndOfEarlyData, unless the server rejected them.
        d.fallback = { protector: p, phase: "handshake", secret: c };
        d.handshakeSecret = c;
      } else {
        Object.assign(d, { protector: p, phase: "handshake", secret: c, handshakeSecret: c });
      }
    }
    this.secret13("EXPORTER_SECRET");
  }

  private endOfEarlyData(): void {
    const d = this.dirs.c2s;
    if (d.fallback) {
      Object.assign(d, { protector: d.fallback.protector, phase: "handshake", secret: d.fallback.secret });
      d.fallback = undefined;
    }
  }

  private installApplication13(dir: Direction): void {
    const label = dir === "c2s" ? "CLIENT_TRAFFIC_SECRET_0" : "SERVER_TRAFFIC_SECRET_0";
    const s = this.secret13(label);
    const d = this.dirs[dir];
    d.fallback = undefined;
    if (s) Object.assign(d, { protector: this.protector13(s), phase: "application", secret: s, generation: 0 });
    else d.protector = null;
  }

  private keyUpdate(dir: Direction): void {
    const d = this.dirs[dir];
    if (!this.tls13 || !d.secret || !this.params) return;
    // RFC 8446 §7.2: application_traffic_secret_N+1 = HKDF-Expand-Label(secret_N, "traffic upd", "", Hash.length).
    const next = nextTrafficSecret13(this.params, d.secret);
    d.generation++;
    d.secret = next;
    d.protector = this.protector13(next);
    this.note(`${dir === "c2s" ? "CLIENT" : "SERVER"}_TRAFFIC_SECRET_${d.generation}`, next, "derived");
  }

  private hrr(): void {
    // ClientHello1 is set aside; it is replaced by message_hash(Hash(ClientHello1)) once the hash is known
    // (RFC 8446 §4.4.1), in front of the messages that follow it.
    this.pendingHrr = this.transcript.view().slice();
    this.transcript.clear();
  }

  private pendingHrr: Uint8Array | null = null;

  private transcriptBytes(): Uint8Array {
    if (this.pendingHrr) {
      const h = hashOf(this.hash, this.pendingHrr);
      this.transcript.prepend(concat([Uint8Array.of(254, 0, 0, h.length), h]));
      this.pendingHrr = null;
    }
    return this.transcript.view();
  }

  private verifyFinished(dir: Direction, msg: DecodedHandshake): boolean | null {
    const got = msg.details.verifyData;
    if (!got || !this.params) return null;
    const transcript = this.transcriptBytes();
    let want: Uint8Array;
    if (this.tls13) {
      const base = this.dirs[dir].handshakeSecret;
      if (!base) return null;
      want = finishedVerifyData13(this.params, base, hashOf(this.hash, transcript));
    } else {
      const master = this.masterSecret12();
      if (!master) return null;
      const label = dir === "c2s" ? "client finished" : "server finished";
      want = this.legacy ? finishedVerifyData10(master, label, transcript) : finishedVerifyData12(this.hash, master, label, hashOf(this.hash, transcript));
    }
    return want.length === got.length && hex(want) === hex(got);
  }
}
