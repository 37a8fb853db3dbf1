/**
 * The client, TLS 1.2 and TLS 1.3: what both versions share — the ClientHello (and its key shares), the
 * ServerHello that picks the version, the server certificate check, the routing of each message to the flight
 * that expects it, and what comes after the handshake. The flights are in tls13/client.ts and tls12/client.ts.
 * Sans-I/O: `start()` queues the ClientHello; `feed()` takes the server's bytes; `takeOutput()` gives records to
 * send. Every message, secret and verification is logged as a step.
 *
 * The handshake state is one value of a discriminated union (`ClientState`): each state carries exactly what has
 * been established when the client waits in it (the suite and key schedule after a TLS 1.3 ServerHello, the
 * server's key after its Certificate, …), so nothing is read before it exists.
 */
import type { DecodedHandshake } from "../tls/handshake/types";
import * as E from "../tls/encode";
import { ExtensionType, HandshakeType, ProtocolVersion } from "../tls/registry";
import { Alert, decoded, ProtocolError } from "./alerts";
import { hashLength, type HashName } from "./crypto/hash";
import { Endpoint, type EndpointOptions } from "./endpoint";
import { groupName, isSupportedGroup, keyPairFor } from "./kex";
import { hybridLayout, logClientShare, type HybridClientShare } from "./hybridKex";
import { KeySchedule13 } from "./keySchedule13";
import { keyLogLine } from "./keylog";
import type { Session, Session13 } from "./sessions";
import { OFFERED_SCHEMES, type SigningKey } from "./signatures";
import { suiteParams, type SuiteParams } from "./suites";
import { transcriptHash } from "./transcript";
import { verifyChain } from "./certificates";
import { parseCertificate, type PublicKeyInfo } from "./x509Parse";
import { DEFAULT_GROUPS, DEFAULT_SUITES_12, DEFAULT_SUITES_13 } from "./tls13Common";
import * as C12 from "./tls12/client";
import * as C13 from "./tls13/client";

export interface ClientOptions extends EndpointOptions {
  /** server_name (omitted for IP addresses, RFC 6066 §3). */
  serverName?: string;
  alpn?: string[];
  /** Versions offered, preferred first (default TLS 1.3 and 1.2). */
  versions?: number[];
  cipherSuites?: number[];
  /** supported_groups, preferred first. */
  groups?: number[];
  /** Groups to send TLS 1.3 key shares for (default: the first of `groups`). */
  keyShareGroups?: number[];
  signatureSchemes?: number[];
  /** Roots the server chain must lead to. */
  trustAnchors?: Uint8Array[];
  /** Host name the certificate must match (default serverName; null: not checked). */
  verifyHostname?: string | null;
  /** Record certificate checks but continue when they fail. */
  insecure?: boolean;
  now?: () => Date;
  /** A session to resume. */
  session?: Session;
  clientCertificate?: { chain: Uint8Array[]; key: SigningKey };
  /** TLS 1.2 extensions offered (default true). */
  extendedMasterSecret?: boolean;
  encryptThenMac?: boolean;
  sessionTicket?: boolean;
  /** RFC 8446 Appendix D.4 (default true). */
  middleboxCompat?: boolean;
  onSession?: (s: Session) => void;
  /** NSS key log lines as secrets become known. */
  keyLog?: (line: string) => void;
}

/** A key share the client sent: the private half kept until the ServerHello answers (a hybrid keeps its ML-KEM keys too). */
export interface ClientShare {
  group: number;
  privateKey: Uint8Array;
  publicKey: Uint8Array;
  hybrid?: HybridClientShare;
}

/** What a ClientHello committed to, kept until a ServerHello answers it (RFC 8446 §4.1.2 for the second one). */
export interface Hello {
  random: Uint8Array;
  sessionId: Uint8Array;
  suites: number[];
  /** By group, in the order they are offered. */
  shares: Map<number, ClientShare>;
  /** The ticket's key schedule (early secret, binder key) when a TLS 1.3 PSK was offered. */
  pskSchedule?: KeySchedule13;
  /** The middlebox-compatibility ChangeCipherSpec went out (RFC 8446 D.4). */
  sentCcs: boolean;
  /** After a HelloRetryRequest: the transcript prefix it left (message_hash, HRR), its suite and cookie. */
  retry?: { prefix: Uint8Array[]; suite: number; cookie?: Uint8Array };
}

export type ClientState = { at: "ServerHello"; hello: Hello } | C13.Client13State | C12.Client12State;

export class Client extends Endpoint {
  readonly actor = "client" as const;
  readonly o: ClientOptions;
  private st: ClientState;
  private readonly offeredVersions: number[];
  private serverChain: Uint8Array[] = [];
  /** The server's selected ALPN protocol. */
  alpn: string | null = null;

  constructor(opts: ClientOptions = {}) {
    super(opts);
    this.o = opts;
    this.offeredVersions = opts.versions ?? [ProtocolVersion.TLSv1_3, ProtocolVersion.TLSv1_2];
    this.st = { at: "ServerHello", hello: { random: new Uint8Array(32), sessionId: new Uint8Array(0), suites: [], shares: new Map(), sentCcs: false } };
  }

  now(): Date {
    return this.o.now?.() ?? new Date();
  }

  get offers13(): boolean {
    return this.offeredVersions.includes(ProtocolVersion.TLSv1_3);
  }
  private get offers12(): boolean {
    return this.offeredVersions.includes(ProtocolVersion.TLSv1_2);
  }

  keylog(label: string, clientRandom: Uint8Array, secret: Uint8Array): void {
    this.o.keyLog?.(keyLogLine(label, clientRandom, secret));
  }

  protected keys13(): { ks: KeySchedule13; suite: SuiteParams } | undefined {
    return this.st.at === "Done" && "tls13" in this.st ? this.st.tls13 : undefined;
  }

  // ------------------------------------------------------------------------------------------------ ClientHello

  /** Queue the ClientHello. */
  start(): void {
    if (this.state !== "start") return;
    this.state = "handshake";
    try {
      const random = this.rng(32);
      this.secret("client_random", random, [], "32 random bytes: ClientHello.random");
      const s = this.o.session;
      let sessionId: Uint8Array = new Uint8Array(0);
      if (s?.version === ProtocolVersion.TLSv1_2 && !s.ticket) sessionId = s.sessionId;
      else if (this.offers13 && this.o.middleboxCompat !== false) sessionId = this.rng(32);
      else if (s?.version === ProtocolVersion.TLSv1_2 && s.ticket) sessionId = this.rng(32);
      const suites13 = this.offers13 ? (this.o.cipherSuites ?? DEFAULT_SUITES_13).filter((c) => suiteParams(c)?.tls13) : [];
      const suites12 = this.offers12 ? (this.o.cipherSuites ?? DEFAULT_SUITES_12).filter((c) => suiteParams(c)?.tls13 === false) : [];
      let suites = [...suites13, ...suites12];
      if (s?.version === ProtocolVersion.TLSv1_3) {
        // Offer the ticket's suite first and only suites of its hash (RFC 8446 §4.2.11: the PSK's hash must match).
        const h = suiteParams(s.suite)?.hash;
        suites = [
          s.suite,
          ...suites.filter((c) => {
            const p = suiteParams(c);
            return c !== s.suite && (!p?.tls13 || p.hash === h);
          }),
        ];
      }
      if (suites.length === 0) throw new ProtocolError(Alert.internal_error, "no cipher suite to offer", "configuration");
      const groups = this.o.groups ?? DEFAULT_GROUPS;
      const shares = new Map<number, ClientShare>();
      for (const g of this.o.keyShareGroups ?? (this.offers13 ? [groups[0]] : [])) this.makeShare(shares, g);
      const hello: Hello = { random, sessionId, suites, shares, sentCcs: false };
      hello.pskSchedule = this.sendClientHello(hello);
      this.st = { at: "ServerHello", hello };
    } catch (e) {
      this.fail(e);
    }
  }

  /** A key share for `group`, its private key logged (a hybrid logs its ML-KEM seed and ECDH key). */
  makeShare(shares: Map<number, ClientShare>, group: number): void {
    if (!isSupportedGroup(group)) throw new ProtocolError(Alert.internal_error, `unsupported group ${group}`, "configuration");
    const hybrid = hybridLayout(group);
    if (hybrid) {
      const share = logClientShare(hybrid, this.rng, (...a) => this.secret(...a));
      shares.set(group, { group, privateKey: share.ecdhPrivateKey, publicKey: share.publicKey, hybrid: share });
      return;
    }
    const kp = keyPairFor(group, this.rng);
    this.secret(`client ${groupName(group)} private key`, kp.privateKey, [], "random scalar (never sent)");
    shares.set(group, { group, privateKey: kp.privateKey, publicKey: kp.publicKey });
  }

  /** Send the (first or second) ClientHello; with a TLS 1.3 ticket, returns the PSK's key schedule (its binder computed). */
  sendClientHello(hello: Hello): KeySchedule13 | undefined {
    const o = this.o;
    const exts: E.ExtensionData[] = [];
    const isIp = o.serverName !== undefined && (/^[\d.]+$/.test(o.serverName) || o.serverName.includes(":"));
    if (o.serverName && !isIp) exts.push(E.serverNameExt(o.serverName));
    exts.push(E.supportedGroupsExt(o.groups ?? DEFAULT_GROUPS));
    if (this.offers12) exts.push(E.ecPointFormatsExt([0]));
    exts.push(E.signatureAlgorithmsExt(o.signatureSchemes ?? OFFERED_SCHEMES));
    if (o.alpn?.length) exts.push(E.alpnExt(o.alpn));
    if (this.offers12) {
      if (o.encryptThenMac !== false) exts.push(E.encryptThenMacExt());
      if (o.extendedMasterSecret !== false) exts.push(E.extendedMasterSecretExt());
      if (o.sessionTicket !== false)
        exts.push(E.sessionTicketExt(o.session?.version === ProtocolVersion.TLSv1_2 && o.session.ticket ? o.session.ticket : new Uint8Array(0)));
      exts.push(E.renegotiationInfoExt());
    }
    if (this.offers13) {
      exts.push(E.supportedVersionsClientExt(this.offeredVersions));
      if (hello.retry?.cookie) exts.push(E.cookieExt(hello.retry.cookie));
      exts.push(E.pskKeyExchangeModesExt([1]));
      exts.push(E.keyShareClientExt([...hello.shares.values()].map((s) => ({ group: s.group, keyExchange: s.publicKey }))));
    }
    const s = this.o.session;
    const psk = this.offers13 && s?.version === ProtocolVersion.TLSv1_3 ? s : undefined;
    const pskHash = psk ? this.sessionHash(psk) : undefined;
    // Read the clock once: the binder covers the ClientHello up to the binders, obfuscated_ticket_age included,
    // so both builds below must carry the same age (RFC 8446 §4.2.11.2).
    const age = psk ? this.ticketAge(psk) : 0;
    const build = (binder?: Uint8Array) =>
      E.encodeClientHello({
        random: hello.random,
        sessionId: hello.sessionId,
        cipherSuites: hello.suites,
        extensions:
          psk && pskHash
            ? [...exts, E.preSharedKeyClientExt([{ identity: psk.ticket, obfuscatedTicketAge: age }], [binder ?? new Uint8Array(hashLength(pskHash))])]
            : exts,
      });
    let raw = build();
    let ks: KeySchedule13 | undefined;
    if (psk && pskHash) {
      // RFC 8446 §4.2.11.2: the binder is an HMAC over the ClientHello up to (not including) the binders list.
      const truncated = raw.subarray(0, raw.length - E.bindersLength([hashLength(pskHash)]));
      ks = this.newSchedule(pskHash, hello.random);
      ks.earlySecret(psk.psk);
      ks.binderKey(true);
      const binder = ks.binder(transcriptHash(pskHash, [...(hello.retry?.prefix ?? []), truncated]));
      raw = build(binder);
    }
    this.sendHandshake(raw, {
      recordVersion: hello.retry ? ProtocolVersion.TLSv1_2 : ProtocolVersion.TLSv1_0,
      note: hello.retry ? "second ClientHello, after HelloRetryRequest (RFC 8446 §4.1.2)" : undefined,
    });
    return ks;
  }

  /** The hash of a ticket's suite (the PSK and its binder use it, RFC 8446 §4.2.11). */
  private sessionHash(s: Session13): HashName {
    const p = suiteParams(s.suite);
    if (!p) throw new ProtocolError(Alert.internal_error, `the session's cipher suite 0x${s.suite.toString(16)} is not supported`, "configuration");
    return p.hash;
  }

  private ticketAge(s: Session13): number {
    const age = Math.max(0, this.now().getTime() - s.receivedAt);
    return (age + s.ageAdd) >>> 0;
  }

  /** A TLS 1.3 key schedule whose secrets are logged as steps and, for the traffic secrets, as key log lines. */
  newSchedule(hash: HashName, clientRandom: Uint8Array): KeySchedule13 {
    return new KeySchedule13(hash, (name, value, how) => {
      this.secret(name, value, how.inputs, how.derivation);
      const labels: Record<string, string> = {
        client_handshake_traffic_secret: "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
        server_handshake_traffic_secret: "SERVER_HANDSHAKE_TRAFFIC_SECRET",
        client_application_traffic_secret_0: "CLIENT_TRAFFIC_SECRET_0",
        server_application_traffic_secret_0: "SERVER_TRAFFIC_SECRET_0",
        exporter_master_secret: "EXPORTER_SECRET",
      };
      if (labels[name]) this.keylog(labels[name], clientRandom, value);
    });
  }

  // ------------------------------------------------------------------------------------------------ dispatch

  /**
   * Message order (RFC 8446 §4 / RFC 5246 §7.3): a handshake message is acted on only by the state that waits for
   * its type; anything else ends the handshake with unexpected_message.
   */
  protected onHandshake(m: DecodedHandshake): void {
    if (this.state === "connected") return this.onPostHandshake(m);
    const next = this.next(this.st, m);
    if (!next) throw new ProtocolError(Alert.unexpected_message, `received ${m.name}, expected ${this.st.at}`, "message order");
    this.st = next;
  }

  private next(s: ClientState, m: DecodedHandshake): ClientState | undefined {
    const t = m.type;
    switch (s.at) {
      case "ServerHello":
        return t === HandshakeType.server_hello ? this.onServerHello(s.hello, m) : undefined;
      case "EncryptedExtensions":
        return t === HandshakeType.encrypted_extensions ? C13.onEncryptedExtensions(this, s, m) : undefined;
      case "CertificateOrRequest":
        if (t === HandshakeType.certificate_request) return C13.onCertificateRequest13(this, s.hs, m);
        return t === HandshakeType.certificate ? C13.onCertificate13(this, s.hs, undefined, m) : undefined;
      case "Certificate":
        return t === HandshakeType.certificate ? C13.onCertificate13(this, s.hs, s.certRequest, m) : undefined;
      case "CertificateVerify":
        return t === HandshakeType.certificate_verify ? C13.onCertificateVerify13(this, s, m) : undefined;
      case "Finished":
        return t === HandshakeType.finished ? C13.onFinished13(this, s, m) : undefined;
      case "Certificate12":
        return t === HandshakeType.certificate ? C12.onCertificate12(this, s.hs, m) : undefined;
      case "ServerKeyExchange":
        return t === HandshakeType.server_key_exchange ? C12.onServerKeyExchange(this, s, m) : undefined;
      case "RequestOrDone":
        if (t === HandshakeType.certificate_request) return C12.onCertificateRequest12(this, s, m);
        return t === HandshakeType.server_hello_done ? C12.onServerHelloDone(this, s, m) : undefined;
      case "ServerHelloDone":
        return t === HandshakeType.server_hello_done ? C12.onServerHelloDone(this, s, m) : undefined;
      case "TicketOrCCS":
        return t === HandshakeType.new_session_ticket ? C12.onNewSessionTicket12(this, s, m) : undefined;
      case "Finished12":
        return t === HandshakeType.finished ? C12.onFinished12(this, s, m) : undefined;
      default:
        return undefined;
    }
  }

  protected onChangeCipherSpec(): void {
    if (this.tls13 || this.version === null) {
      // RFC 8446 §5: ignored during the handshake (middlebox compatibility); not allowed after it.
      if (this.state === "connected") throw new ProtocolError(Alert.unexpected_message, "ChangeCipherSpec after the handshake", "record order");
      return;
    }
    this.st = C12.onChangeCipherSpec12(this, this.st);
  }

  // ------------------------------------------------------------------------------------------------ ServerHello

  /** The version and suite the server chose (both must be ones we offered), then the version's own ServerHello. */
  private onServerHello(hello: Hello, m: DecodedHandshake): ClientState {
    const d = m.details;
    const selected = d.selectedVersion ?? (d.extensions?.some((e) => e.type === ExtensionType.supported_versions) ? undefined : ProtocolVersion.TLSv1_2);
    const version = selected ?? 0;
    this.require(
      "negotiated version is one we offered",
      this.offeredVersions.includes(version),
      `server selected ${version.toString(16)}, offered ${this.offeredVersions.map((v) => v.toString(16)).join(", ")}`,
      Alert.protocol_version,
    );
    const suite = decoded(d.cipherSuite, "cipher_suite");
    const params = suiteParams(suite);
    const chosen = this.must(
      "cipher suite is one we offered",
      params && hello.suites.includes(suite) && params.tls13 === (version === ProtocolVersion.TLSv1_3) && params,
      `server selected 0x${suite.toString(16).padStart(4, "0")}${params ? ` (${params.name})` : ""}`,
      Alert.illegal_parameter,
    );
    this.version = version;
    this.suite = chosen;
    if (version !== ProtocolVersion.TLSv1_3) return C12.onServerHello12(this, hello, chosen, m);
    if (m.name === "HelloRetryRequest") return { at: "ServerHello", hello: C13.onHelloRetryRequest(this, hello, chosen, m) };
    return C13.onServerHello13(this, hello, chosen, m);
  }

  /** The server's Certificate (either version): the chain checked against the trust anchors and host name; its leaf key. */
  checkServerCertificate(m: DecodedHandshake): PublicKeyInfo {
    this.absorb(m.raw);
    const chain = m.details.certificates ?? [];
    this.serverChain = chain;
    const host = this.o.verifyHostname === undefined ? this.o.serverName : (this.o.verifyHostname ?? undefined);
    const soft = !!this.o.insecure;
    if (!this.o.trustAnchors && !soft) {
      this.require("certificate chain", false, "no trust anchors configured (give a CA or choose insecure)", Alert.unknown_ca);
    }
    const checks = verifyChain(chain, { trustAnchors: this.o.trustAnchors ?? [], hostname: host, now: this.now(), actor: "client" });
    if (soft) for (const c of checks) if (!c.ok) c.note = "insecure: recorded, not enforced";
    this.log.checks(checks);
    const bad = checks.find((c) => !c.ok);
    if (bad && !soft) {
      const alert = /trust anchor|issuer/.test(bad.title) ? Alert.unknown_ca : /validity/.test(bad.title) ? Alert.certificate_expired : Alert.bad_certificate;
      throw new ProtocolError(alert, `${bad.title}: ${bad.detail}`, bad.title, true);
    }
    try {
      return parseCertificate(chain[0]).publicKey;
    } catch (e) {
      throw new ProtocolError(Alert.bad_certificate, `leaf certificate: ${(e as Error).message}`, "leaf certificate parses");
    }
  }

  // ------------------------------------------------------------------------------------------------ post-handshake

  private onPostHandshake(m: DecodedHandshake): void {
    const s = this.st;
    const k = this.keys13();
    if (this.tls13 && k && m.type === HandshakeType.new_session_ticket) return C13.onNewSessionTicket13(this, k.suite, k.ks, m);
    if (this.tls13 && k && m.type === HandshakeType.key_update) return this.peerKeyUpdate(k, m.details.requestUpdate);
    if (!this.tls13 && m.type === HandshakeType.hello_request) return this.refuseRenegotiation(s.at === "Done" && "tls12" in s && s.tls12.secureRenegotiation);
    throw new ProtocolError(Alert.unexpected_message, `${m.name} after the handshake`, "message order");
  }

  /**
   * A TLS 1.2 HelloRequest (RFC 5246 §7.4.1.1): the engine does not renegotiate; it says so with a warning
   * no_renegotiation alert (RFC 5246 §7.2.2) and keeps the connection, as RFC 5746 §4.2 lets a client do.
   */
  private refuseRenegotiation(secureRenegotiation: boolean): void {
    this.log.check(
      "client",
      "renegotiation",
      false,
      `the server asked to renegotiate (HelloRequest); ${secureRenegotiation ? "secure renegotiation (RFC 5746) was negotiated, but " : ""}the engine refuses: warning no_renegotiation`,
      "not fatal: the server may carry on with the current keys or end the connection",
    );
    this.sendAlert(1, Alert.no_renegotiation);
  }

  /** The server's certificate chain as received. */
  get peerCertificates(): Uint8Array[] {
    return this.serverChain;
  }
}
