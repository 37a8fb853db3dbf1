/**
 * The client state machine, TLS 1.2 (RFC 5246 with RFC 7627 EMS, RFC 7366 encrypt-then-MAC, RFC 5077 tickets)
 * and TLS 1.3 (RFC 8446: HelloRetryRequest, PSK resumption with psk_dhe_ke, KeyUpdate, middlebox-compatible CCS).
 * Sans-I/O: `start()` queues the ClientHello; `feed()` takes the server's bytes; `takeOutput()` gives records to
 * send. Every message, secret and verification is logged as a step.
 */
import type { DecodedHandshake } from "../tls/handshake/types";
import * as E from "../tls/encode";
import { dhKeyPair, dhSharedSecret } from "./crypto/ffdh";
import { hashLength, type HashName } from "./crypto/hash";
import { Alert, Endpoint, ProtocolError, type EndpointOptions, type Routes } from "./endpoint";
import { groupName, isSupportedGroup, isSupportedGroup12, keyPairFor, sharedSecretFor } from "./kex";
import { HybridError, hybridLayout, logClientSecrets, logClientShare, type HybridClientShare } from "./hybridKex";
import { KeySchedule13 } from "./keySchedule13";
import { createPremaster } from "./rsaKeyTransport";
import type { keyBlock12 } from "./prf12";
import type { Session, Session12, Session13 } from "./sessions";
import { chooseScheme, OFFERED_SCHEMES, schemeName, signWithScheme, verifyWithScheme, type SigningKey } from "./signatures";
import { suiteParams } from "./suites";
import { messageHash, transcriptHash } from "./transcript";
import { verifyChain } from "./certificates";
import { parseCertificate, type PublicKeyInfo } from "./x509Parse";
import { keyLogLine } from "./keylog";
import {
  certificateVerifyContent,
  concatAll,
  DEFAULT_GROUPS,
  DEFAULT_SUITES_12,
  DEFAULT_SUITES_13,
  equalBytes,
  hasDowngradeSentinel,
  hex,
} from "./tls13Common";
import { ECCurveType, ExtensionType, HandshakeType, ProtocolVersion } from "../tls/registry";

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

type Expect =
  | "ServerHello"
  | "EncryptedExtensions"
  | "CertificateOrRequest"
  | "Certificate"
  | "CertificateVerify"
  | "Finished"
  | "Certificate12"
  | "ServerKeyExchange"
  | "RequestOrDone"
  | "ServerHelloDone"
  | "TicketOrCCS"
  | "CCS"
  | "Finished12"
  | "Done";

export class Client extends Endpoint {
  readonly actor = "client" as const;
  private expect: Expect = "ServerHello";
  private readonly o: ClientOptions;
  private clientRandom: Uint8Array = new Uint8Array(32);
  private serverRandom: Uint8Array = new Uint8Array(0);
  private sessionId: Uint8Array = new Uint8Array(0);
  private offeredSuites: number[] = [];
  private offeredVersions: number[];
  private shares = new Map<number, Uint8Array>();
  private helloRetried = false;
  private hrrPrefix: Uint8Array[] = [];
  private cookie?: Uint8Array;
  private pskAccepted = false;
  private certRequest?: { context: Uint8Array; schemes: number[] };
  private serverKey?: PublicKeyInfo;
  private serverChain: Uint8Array[] = [];
  private sentCcs = false;
  // TLS 1.2
  private ems = false;
  private etm = false;
  private ticketExpected = false;
  private resuming12 = false;
  private master: Uint8Array = new Uint8Array(0);
  private keyBlock?: ReturnType<typeof keyBlock12>;
  private ske?: { group?: number; publicKey?: Uint8Array; p?: Uint8Array; g?: Uint8Array; ys?: Uint8Array };
  private newTicket12?: Uint8Array;
  private serverSessionId: Uint8Array = new Uint8Array(0);
  /** The server's selected ALPN protocol. */
  alpn: string | null = null;

  constructor(opts: ClientOptions = {}) {
    super(opts);
    this.o = opts;
    this.offeredVersions = opts.versions ?? [0x0304, 0x0303];
  }

  private now(): Date {
    return this.o.now?.() ?? new Date();
  }

  private get offers13(): boolean {
    return this.offeredVersions.includes(ProtocolVersion.TLSv1_3);
  }
  private get offers12(): boolean {
    return this.offeredVersions.includes(ProtocolVersion.TLSv1_2);
  }

  private keylog(label: string, secret: Uint8Array): void {
    this.o.keyLog?.(keyLogLine(label, this.clientRandom, secret));
  }

  /** Queue the ClientHello. */
  start(): void {
    if (this.state !== "start") return;
    this.state = "handshake";
    try {
      this.clientRandom = this.rng(32);
      this.secret("client_random", this.clientRandom, [], "32 random bytes: ClientHello.random");
      const s = this.o.session;
      if (s?.version === ProtocolVersion.TLSv1_2 && !s.ticket) this.sessionId = s.sessionId;
      else if (this.offers13 && this.o.middleboxCompat !== false) this.sessionId = this.rng(32);
      else if (s?.version === ProtocolVersion.TLSv1_2 && s.ticket) this.sessionId = this.rng(32);
      const suites13 = this.offers13 ? (this.o.cipherSuites ?? DEFAULT_SUITES_13).filter((c) => suiteParams(c)?.tls13) : [];
      const suites12 = this.offers12 ? (this.o.cipherSuites ?? DEFAULT_SUITES_12).filter((c) => suiteParams(c) && !suiteParams(c)!.tls13) : [];
      this.offeredSuites = [...suites13, ...suites12];
      if (s?.version === ProtocolVersion.TLSv1_3) {
        // Offer the ticket's suite first and only suites of its hash (RFC 8446 §4.2.11: the PSK's hash must match).
        const h = suiteParams(s.suite)?.hash;
        this.offeredSuites = [s.suite, ...this.offeredSuites.filter((c) => c !== s.suite && (!suiteParams(c)!.tls13 || suiteParams(c)!.hash === h))];
      }
      if (this.offeredSuites.length === 0) throw new ProtocolError(Alert.internal_error, "no cipher suite to offer", "configuration");
      const groups = this.o.groups ?? DEFAULT_GROUPS;
      for (const g of this.o.keyShareGroups ?? (this.offers13 ? [groups[0]] : [])) this.makeShare(g);
      this.sendClientHello();
    } catch (e) {
      this.fail(e);
    }
  }

  private makeShare(group: number): void {
    if (!isSupportedGroup(group)) throw new ProtocolError(Alert.internal_error, `unsupported group ${group}`, "configuration");
    const hybrid = hybridLayout(group);
    if (hybrid) {
      const share = logClientShare(hybrid, this.rng, (...a) => this.secret(...a));
      this.hybridShares.set(group, share);
      this.shares.set(group, share.ecdhPrivateKey);
      this.sharesPublic.set(group, share.publicKey);
      return;
    }
    const kp = keyPairFor(group, this.rng);
    this.shares.set(group, kp.privateKey);
    this.secret(`client ${groupName(group)} private key`, kp.privateKey, [], "random scalar (never sent)");
    this.sharesPublic.set(group, kp.publicKey);
  }
  private sharesPublic = new Map<number, Uint8Array>();
  /** The ML-KEM halves of hybrid shares (draft-ietf-tls-ecdhe-mlkem), kept until the ServerHello. */
  private hybridShares = new Map<number, HybridClientShare>();

  private sendClientHello(): void {
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
      if (this.cookie) exts.push(E.cookieExt(this.cookie));
      exts.push(E.pskKeyExchangeModesExt([1]));
      exts.push(E.keyShareClientExt([...this.sharesPublic].map(([group, keyExchange]) => ({ group, keyExchange }))));
    }
    const s = this.o.session;
    const psk = this.offers13 && s?.version === ProtocolVersion.TLSv1_3 ? s : undefined;
    // Read the clock once: the binder covers the ClientHello up to the binders, obfuscated_ticket_age included,
    // so both builds below must carry the same age (RFC 8446 §4.2.11.2).
    const age = psk ? this.ticketAge(psk) : 0;
    const build = (binder?: Uint8Array) =>
      E.encodeClientHello({
        random: this.clientRandom,
        sessionId: this.sessionId,
        cipherSuites: this.offeredSuites,
        extensions: psk
          ? [
              ...exts,
              E.preSharedKeyClientExt(
                [{ identity: psk.ticket, obfuscatedTicketAge: age }],
                [binder ?? new Uint8Array(hashLength(suiteParams(psk.suite)!.hash))],
              ),
            ]
          : exts,
      });
    let raw = build();
    if (psk) {
      // RFC 8446 §4.2.11.2: the binder is an HMAC over the ClientHello up to (not including) the binders list.
      const hash = suiteParams(psk.suite)!.hash;
      const truncated = raw.subarray(0, raw.length - E.bindersLength([hashLength(hash)]));
      this.ks = this.newSchedule(hash);
      this.ks.earlySecret(psk.psk);
      this.ks.binderKey(true);
      const binder = this.ks.binder(transcriptHash(hash, [...this.hrrPrefix, truncated]));
      raw = build(binder);
    }
    this.sendHandshake(raw, {
      recordVersion: this.helloRetried ? 0x0303 : 0x0301,
      note: this.helloRetried ? "second ClientHello, after HelloRetryRequest (RFC 8446 §4.1.2)" : undefined,
    });
  }

  private ticketAge(s: Session13): number {
    const age = Math.max(0, this.now().getTime() - s.receivedAt);
    return (age + s.ageAdd) >>> 0;
  }

  private newSchedule(hash: HashName): KeySchedule13 {
    return new KeySchedule13(hash, (name, value, how) => {
      this.secret(name, value, how.inputs, how.derivation);
      const labels: Record<string, string> = {
        client_handshake_traffic_secret: "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
        server_handshake_traffic_secret: "SERVER_HANDSHAKE_TRAFFIC_SECRET",
        client_application_traffic_secret_0: "CLIENT_TRAFFIC_SECRET_0",
        server_application_traffic_secret_0: "SERVER_TRAFFIC_SECRET_0",
        exporter_master_secret: "EXPORTER_SECRET",
      };
      if (labels[name]) this.keylog(labels[name], value);
    });
  }

  // ------------------------------------------------------------------------------------------------ dispatch

  protected onHandshake(m: DecodedHandshake): void {
    if (this.state === "connected") return this.onPostHandshake(m);
    this.dispatch(m, this.expect, this.routes);
  }

  private readonly routes: Routes<Expect> = {
    2: { accepts: ["ServerHello"], handle: (m) => this.onServerHello(m) },
    8: { accepts: ["EncryptedExtensions"], handle: (m) => this.onEncryptedExtensions(m) },
    13: { accepts: ["CertificateOrRequest", "RequestOrDone"], handle: (m) => this.onCertificateRequest(m) },
    11: { accepts: ["CertificateOrRequest", "Certificate", "Certificate12"], handle: (m) => this.onCertificate(m) },
    15: { accepts: ["CertificateVerify"], handle: (m) => this.onCertificateVerify(m) },
    20: { accepts: ["Finished", "Finished12"], handle: (m) => (this.tls13 ? this.onFinished13(m) : this.onFinished12(m)) },
    12: { accepts: ["ServerKeyExchange"], handle: (m) => this.onServerKeyExchange(m) },
    14: { accepts: ["RequestOrDone", "ServerHelloDone"], handle: (m) => this.onServerHelloDone(m) },
    4: { accepts: ["TicketOrCCS"], handle: (m) => this.onTicket12(m) },
  };

  protected onChangeCipherSpec(): void {
    if (this.tls13 || this.version === null) {
      // RFC 8446 §5: ignored during the handshake (middlebox compatibility); not allowed after it.
      if (this.state === "connected") throw new ProtocolError(Alert.unexpected_message, "ChangeCipherSpec after the handshake", "record order");
      return;
    }
    if (this.expect !== "TicketOrCCS" && this.expect !== "CCS")
      throw new ProtocolError(Alert.unexpected_message, `ChangeCipherSpec while expecting ${this.expect}`, "message order");
    if (this.ticketExpected && !this.newTicket12 && this.expect === "TicketOrCCS") {
      throw new ProtocolError(
        Alert.unexpected_message,
        "server promised a NewSessionTicket (session_ticket extension) but sent ChangeCipherSpec",
        "message order",
      );
    }
    this.setReadKeys(this.suite!, this.keyBlock!.server, "application", this.etm);
    this.expect = "Finished12";
  }

  // ------------------------------------------------------------------------------------------------ ServerHello

  private onServerHello(m: DecodedHandshake): void {
    const d = m.details;
    const selected = d.selectedVersion ?? (d.extensions?.some((e) => e.type === ExtensionType.supported_versions) ? undefined : ProtocolVersion.TLSv1_2);
    const version = selected ?? 0;
    this.require(
      "negotiated version is one we offered",
      this.offeredVersions.includes(version),
      `server selected ${version.toString(16)}, offered ${this.offeredVersions.map((v) => v.toString(16)).join(", ")}`,
      Alert.protocol_version,
    );
    const suite = d.cipherSuite!;
    const params = suiteParams(suite);
    this.require(
      "cipher suite is one we offered",
      !!params && this.offeredSuites.includes(suite) && params.tls13 === (version === ProtocolVersion.TLSv1_3),
      `server selected 0x${suite.toString(16).padStart(4, "0")}${params ? ` (${params.name})` : ""}`,
      Alert.illegal_parameter,
    );
    this.version = version;
    this.suite = params!;
    if (version === ProtocolVersion.TLSv1_3) return m.name === "HelloRetryRequest" ? this.onHelloRetryRequest(m) : this.onServerHello13(m);
    if (this.offers13) {
      this.require(
        "no downgrade sentinel (RFC 8446 §4.1.3)",
        !hasDowngradeSentinel(d.random!),
        "a TLS 1.3 server negotiating TLS 1.2 with a TLS 1.3 client sets DOWNGRD\\x01",
        Alert.illegal_parameter,
      );
    }
    return this.onServerHello12(m);
  }

  private onHelloRetryRequest(m: DecodedHandshake): void {
    const d = m.details;
    if (this.helloRetried) throw new ProtocolError(Alert.unexpected_message, "second HelloRetryRequest", "message order");
    this.helloRetried = true;
    const group = d.selectedGroup;
    this.require(
      "HelloRetryRequest selected_group is acceptable",
      group !== undefined && (this.o.groups ?? DEFAULT_GROUPS).includes(group) && !this.shares.has(group),
      `server asked for ${group === undefined ? "no group" : groupName(group)}; it must be offered in supported_groups and not already shared (RFC 8446 §4.2.8)`,
      Alert.illegal_parameter,
    );
    const cookie = d.extensions?.find((e) => e.type === ExtensionType.cookie);
    if (cookie) this.cookie = cookie.data.subarray(2).slice();
    this.hrrSuite = this.suite!.suite;
    // RFC 8446 §4.4.1: ClientHello1 is replaced by message_hash(Hash(ClientHello1)).
    const hash = this.suite!.hash;
    this.transcript.setHash(hash);
    const ch1Hash = this.transcript.current();
    this.transcript.replaceWithMessageHash();
    this.absorb(m.raw);
    this.hrrPrefix = [messageHash(hash, ch1Hash), m.raw];
    this.shares.clear();
    this.sharesPublic.clear();
    this.hybridShares.clear();
    this.makeShare(group!);
    if (this.o.middleboxCompat !== false && !this.sentCcs) {
      this.sendChangeCipherSpec("middlebox compatibility (RFC 8446 D.4), before the second ClientHello");
      this.sentCcs = true;
    }
    // The second ClientHello: same random and session id, the requested share, the cookie (RFC 8446 §4.1.2).
    this.version = null;
    this.sendClientHello();
    this.version = 0x0304;
    this.expect = "ServerHello";
  }
  private hrrSuite?: number;

  private onServerHello13(m: DecodedHandshake): void {
    const d = m.details;
    this.serverRandom = d.random!;
    this.require("legacy_session_id_echo matches", equalBytes(d.sessionId!, this.sessionId), `echo ${hex(d.sessionId!)}`, Alert.illegal_parameter);
    if (this.hrrSuite !== undefined)
      this.require(
        "cipher suite unchanged since HelloRetryRequest",
        this.hrrSuite === this.suite!.suite,
        `0x${this.suite!.suite.toString(16)}`,
        Alert.illegal_parameter,
      );
    const share = d.keyShares?.[0];
    this.require(
      "key_share group is one we sent",
      !!share && this.shares.has(share.group),
      share ? `server share for ${groupName(share.group)}` : "no key_share (psk_ke was not offered)",
      Alert.illegal_parameter,
    );
    const hash = this.suite!.hash;
    this.transcript.setHash(hash);
    this.absorb(m.raw);
    const s = this.o.session;
    if (d.selectedIdentity !== undefined) {
      this.require(
        "selected PSK identity was offered",
        d.selectedIdentity === 0 && s?.version === ProtocolVersion.TLSv1_3 && suiteParams(s.suite)!.hash === hash,
        `selected_identity ${d.selectedIdentity}`,
        Alert.illegal_parameter,
      );
      this.pskAccepted = true;
    } else {
      this.ks = this.newSchedule(hash);
      this.ks.earlySecret();
    }
    const shared = this.sharedSecret13(share!.group, share!.keyExchange);
    const ks = this.ks!;
    ks.handshakeSecret(shared);
    const th = this.transcript.current();
    ks.clientHandshakeTrafficSecret(th);
    ks.serverHandshakeTrafficSecret(th);
    this.setReadKeys(this.suite!, ks.trafficKeys(this.suite!, "server_handshake_traffic_secret"), "handshake");
    this.setWriteKeys(this.suite!, ks.trafficKeys(this.suite!, "client_handshake_traffic_secret"), "handshake");
    this.expect = "EncryptedExtensions";
  }

  /** The (EC)DHE input from the server's share: an ECDH or finite-field secret, or a hybrid's two halves. */
  private sharedSecret13(group: number, serverShare: Uint8Array): Uint8Array {
    const hybrid = hybridLayout(group);
    try {
      if (hybrid) return logClientSecrets(hybrid, this.hybridShares.get(group)!, serverShare, (...a) => this.secret(...a));
      const shared = sharedSecretFor(group, this.shares.get(group)!, serverShare, true);
      this.secret(
        "(EC)DHE shared secret",
        shared,
        [`client ${groupName(group)} private key`, "server key_share"],
        `${groupName(group)}(client private key, server public key)`,
      );
      return shared;
    } catch (e) {
      const alert = e instanceof HybridError && e.alert === "internal_error" ? Alert.internal_error : Alert.illegal_parameter;
      throw new ProtocolError(alert, `server key share: ${(e as Error).message}`, "server key share is valid");
    }
  }

  private onEncryptedExtensions(m: DecodedHandshake): void {
    this.absorb(m.raw);
    const alpn = m.details.alpn?.[0];
    if (alpn !== undefined) {
      this.require("ALPN protocol is one we offered", !!this.o.alpn?.includes(alpn), `server selected "${alpn}"`, Alert.illegal_parameter);
      this.alpn = alpn;
    }
    this.expect = this.pskAccepted ? "Finished" : "CertificateOrRequest";
  }

  private onCertificateRequest(m: DecodedHandshake): void {
    this.absorb(m.raw);
    const d = m.details;
    let schemes: number[] = [];
    if (this.tls13) {
      const ext = d.extensions?.find((e) => e.type === ExtensionType.signature_algorithms);
      if (ext) for (let i = 2; i + 1 < ext.data.length; i += 2) schemes.push((ext.data[i] << 8) | ext.data[i + 1]);
    } else schemes = (m.fields.signatureAlgorithms as number[] | undefined) ?? [];
    this.certRequest = { context: d.certificateRequestContext ?? new Uint8Array(0), schemes };
    this.expect = this.tls13 ? "Certificate" : "ServerHelloDone";
  }

  private onCertificate(m: DecodedHandshake): void {
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
      const alert = /trust anchor|issuer/.test(bad.title) ? Alert.unknown_ca : /validity/.test(bad.title) ? 45 : Alert.bad_certificate;
      throw new ProtocolError(alert, `${bad.title}: ${bad.detail}`, bad.title, true);
    }
    try {
      this.serverKey = parseCertificate(chain[0]).publicKey;
    } catch (e) {
      throw new ProtocolError(Alert.bad_certificate, `leaf certificate: ${(e as Error).message}`, "leaf certificate parses");
    }
    if (this.tls13) this.expect = "CertificateVerify";
    else this.expect = this.suite!.keyExchange === "RSA" ? "RequestOrDone" : "ServerKeyExchange";
  }

  private onCertificateVerify(m: DecodedHandshake): void {
    const d = m.details;
    const content = certificateVerifyContent("server", this.transcript.current());
    const scheme = d.signatureAlgorithm!;
    const r = verifyWithScheme(this.serverKey!, scheme, content, d.signature!);
    const allowed = (this.o.signatureSchemes ?? OFFERED_SCHEMES).includes(scheme);
    this.require(
      "server CertificateVerify signature",
      r.ok && allowed,
      allowed ? `${r.detail}, over the transcript through Certificate, with the leaf certificate's key` : `${schemeName(scheme)} was not offered`,
      Alert.decrypt_error,
    );
    this.absorb(m.raw);
    this.expect = "Finished";
  }

  private onFinished13(m: DecodedHandshake): void {
    const ks = this.ks!;
    const expected = ks.finished("server", this.transcript.current());
    const ok = equalBytes(expected, m.details.verifyData!);
    this.markFinished("s2c", ok);
    this.require(
      "server Finished verify_data",
      ok,
      ok ? `HMAC matches ${hex(expected)}` : `received ${hex(m.details.verifyData!)}, expected ${hex(expected)}`,
      Alert.decrypt_error,
    );
    this.absorb(m.raw);
    const th = this.transcript.current();
    ks.masterSecret();
    ks.clientApplicationTrafficSecret0(th);
    ks.serverApplicationTrafficSecret0(th);
    ks.exporterMasterSecret(th);
    this.setReadKeys(this.suite!, ks.trafficKeys(this.suite!, "server_application_traffic_secret_0"), "application");
    if (this.o.middleboxCompat !== false && !this.sentCcs) {
      this.sendChangeCipherSpec("middlebox compatibility (RFC 8446 D.4)");
      this.sentCcs = true;
    }
    if (this.certRequest) {
      const cred = this.o.clientCertificate;
      this.sendHandshake(E.encodeCertificate13(cred?.chain ?? [], this.certRequest.context));
      if (cred) {
        const scheme = chooseScheme(cred.key, this.certRequest.schemes, true);
        if (scheme === undefined)
          throw new ProtocolError(Alert.handshake_failure, "no signature scheme in common for the client certificate", "client signature scheme");
        const content = certificateVerifyContent("client", this.transcript.current());
        this.sendHandshake(E.encodeCertificateVerify(scheme, signWithScheme(cred.key, scheme, content, this.rng)));
      }
    }
    const vd = ks.finished("client", this.transcript.current());
    this.sendHandshake(E.encodeFinished(vd));
    this.setWriteKeys(this.suite!, ks.trafficKeys(this.suite!, "client_application_traffic_secret_0"), "application");
    ks.resumptionMasterSecret(this.transcript.current());
    this.expect = "Done";
    this.state = "connected";
  }

  // ------------------------------------------------------------------------------------------------ post-handshake

  private onPostHandshake(m: DecodedHandshake): void {
    if (this.tls13 && m.type === HandshakeType.new_session_ticket) {
      const d = m.details;
      const psk = this.ks!.ticketPsk(d.ticketNonce!);
      const session: Session13 = {
        version: 0x0304,
        suite: this.suite!.suite,
        psk,
        ticket: d.ticket!.slice(),
        ageAdd: d.ticketAgeAdd!,
        lifetime: d.ticketLifetime!,
        receivedAt: this.now().getTime(),
        serverName: this.o.serverName,
      };
      this.o.onSession?.(session);
      return;
    }
    if (this.tls13 && m.type === HandshakeType.key_update) return this.peerKeyUpdate(m.details.requestUpdate);
    if (!this.tls13 && m.type === HandshakeType.hello_request) return this.refuseRenegotiation();
    throw new ProtocolError(Alert.unexpected_message, `${m.name} after the handshake`, "message order");
  }

  // ------------------------------------------------------------------------------------------------ TLS 1.2

  private onServerHello12(m: DecodedHandshake): void {
    const d = m.details;
    this.serverRandom = d.random!;
    this.serverSessionId = d.sessionId!.slice();
    this.transcript.setHash(this.suite!.hash);
    this.absorb(m.raw);
    const has = (t: number) => !!d.extensions?.some((e) => e.type === t);
    // RFC 5746 §3.4: the client sent an empty renegotiation_info; the server must answer with an empty one
    // (renegotiated_connection of length 0), or the connection does not support secure renegotiation.
    const ri = d.extensions?.find((e) => e.type === ExtensionType.renegotiation_info);
    this.secureRenegotiation = !!ri;
    if (ri)
      this.require("renegotiation_info is empty (RFC 5746 §3.4)", ri.data.length === 1 && ri.data[0] === 0, `${ri.data.length} bytes`, Alert.handshake_failure);
    else
      this.log.check(
        "client",
        "secure renegotiation (RFC 5746)",
        false,
        "the server sent no renegotiation_info",
        "not fatal: it only matters if someone renegotiates",
      );
    this.ems = this.o.extendedMasterSecret !== false && has(23);
    this.etm = this.o.encryptThenMac !== false && has(22) && !!this.suite!.cbc;
    this.ticketExpected = this.o.sessionTicket !== false && has(35);
    const alpn = d.alpn?.[0];
    if (alpn !== undefined) {
      this.require("ALPN protocol is one we offered", !!this.o.alpn?.includes(alpn), `server selected "${alpn}"`, Alert.illegal_parameter);
      this.alpn = alpn;
    }
    const s = this.o.session;
    if (s?.version === ProtocolVersion.TLSv1_2 && this.sessionId.length > 0 && equalBytes(d.sessionId!, this.sessionId)) {
      // RFC 5246 §7.3 / RFC 5077 §3.4: the echoed session id means the server resumes.
      this.require(
        "resumed session keeps its cipher suite and EMS",
        s.suite === this.suite!.suite && s.extendedMasterSecret === this.ems,
        `suite 0x${this.suite!.suite.toString(16)}, EMS ${this.ems}`,
        Alert.illegal_parameter,
      );
      this.resuming12 = true;
      this.master = s.masterSecret;
      this.secret(
        "master_secret",
        this.master,
        ["resumed session"],
        `the master secret of the resumed session (${s.ticket ? "from the ticket" : "by session id"})`,
      );
      this.keyBlock = this.deriveKeyBlock12(this.master, this.clientRandom, this.serverRandom);
      this.expect = "TicketOrCCS";
      return;
    }
    this.expect = "Certificate12";
  }

  private onServerKeyExchange(m: DecodedHandshake): void {
    const d = m.details;
    const signed = concatAll([this.clientRandom, this.serverRandom, d.signedParams!]);
    const scheme = d.signatureAlgorithm!;
    // TLS 1.2: the scheme names the hash; the curve is the certificate's (RFC 8422 §5.10).
    const r = verifyWithScheme(this.serverKey!, scheme, signed, d.signature!, { curveFromKey: true });
    this.require("ServerKeyExchange signature", r.ok, `${r.detail}, over client_random + server_random + params (RFC 5246 §7.4.3)`, Alert.decrypt_error);
    if (this.suite!.keyExchange === "ECDHE") {
      this.require(
        "ECDHE group is one we offered",
        d.curveType === ECCurveType.named_curve && (this.o.groups ?? DEFAULT_GROUPS).includes(d.namedGroup!) && isSupportedGroup12(d.namedGroup!),
        `named group ${groupName(d.namedGroup ?? -1)}`,
        Alert.illegal_parameter,
      );
      this.ske = { group: d.namedGroup, publicKey: d.publicKey };
    } else {
      const bits = d.dhP!.length * 8;
      this.require("DH group size is at least 2048 bits", bits >= 2048, `p is ${bits} bits`, Alert.insufficient_security);
      this.ske = { p: d.dhP, g: d.dhG, ys: d.dhYs };
    }
    this.absorb(m.raw);
    this.expect = "RequestOrDone";
  }

  private onServerHelloDone(m: DecodedHandshake): void {
    this.absorb(m.raw);
    const params = this.suite!;
    const cred = this.certRequest ? this.o.clientCertificate : undefined;
    if (this.certRequest) this.sendHandshake(E.encodeCertificate12(cred?.chain ?? []));
    let premaster: Uint8Array;
    if (params.keyExchange === "RSA") {
      if (this.serverKey?.kind !== "rsa")
        throw new ProtocolError(Alert.handshake_failure, "RSA key transport needs an RSA server certificate", "server key type");
      // RFC 5246 §7.4.7.1: client_version (the highest offered, TLS 1.2) || 46 random bytes.
      const pm = createPremaster(this.serverKey.key, ProtocolVersion.TLSv1_2, this.rng);
      premaster = pm.premaster;
      this.secret("pre_master_secret", premaster, ["client_version", "46 random bytes"], "client_version || random (RFC 5246 §7.4.7.1)");
      const encrypted = pm.encrypted;
      this.sendHandshake(E.encodeClientKeyExchange("rsa", encrypted), {
        note: "the premaster secret encrypted to the server certificate's RSA key (PKCS#1 v1.5)",
      });
    } else if (params.keyExchange === "ECDHE") {
      const group = this.ske!.group!;
      const kp = keyPairFor(group, this.rng);
      this.secret(`client ${groupName(group)} private key`, kp.privateKey, [], "random scalar (never sent)");
      try {
        premaster = sharedSecretFor(group, kp.privateKey, this.ske!.publicKey!, false);
      } catch (e) {
        throw new ProtocolError(Alert.illegal_parameter, `server ECDH public key: ${(e as Error).message}`, "server key share is valid");
      }
      this.secret(
        "pre_master_secret",
        premaster,
        [`client ${groupName(group)} private key`, "ServerKeyExchange public key"],
        `${groupName(group)} shared secret (RFC 8422 §5.10)`,
      );
      this.sendHandshake(E.encodeClientKeyExchange("ecdh", kp.publicKey));
    } else {
      const kp = dhKeyPair(this.ske!.p!, this.ske!.g!, this.rng);
      this.secret("client DH private exponent", kp.privateKey, [], "random exponent (never sent)");
      try {
        premaster = dhSharedSecret(this.ske!.p!, kp.privateKey, this.ske!.ys!, false);
      } catch (e) {
        throw new ProtocolError(Alert.illegal_parameter, `server DH value: ${(e as Error).message}`, "server key share is valid");
      }
      this.secret("pre_master_secret", premaster, ["client DH private exponent", "dh_Ys"], "dh_Ys^x mod p, leading zeros stripped (RFC 5246 §8.1.2)");
      this.sendHandshake(E.encodeClientKeyExchange("dh", kp.publicKey));
    }
    this.deriveMaster(premaster);
    if (cred && cred.chain.length > 0) {
      const scheme = chooseScheme(cred.key, this.certRequest!.schemes, false);
      if (scheme === undefined)
        throw new ProtocolError(Alert.handshake_failure, "no signature scheme in common for the client certificate", "client signature scheme");
      // RFC 5246 §7.4.8: the signature covers every handshake message so far.
      const sig = signWithScheme(cred.key, scheme, concatAll(this.handshakeMessages), this.rng);
      this.sendHandshake(E.encodeCertificateVerify(scheme, sig));
    }
    this.sendChangeCipherSpec();
    this.setWriteKeys(params, this.keyBlock!.client, "application", this.etm);
    this.sendFinished12(this.master);
    this.expect = "TicketOrCCS";
  }

  private deriveMaster(premaster: Uint8Array): void {
    this.master = this.deriveMasterSecret12(premaster, this.clientRandom, this.serverRandom, this.ems);
    this.keylog("CLIENT_RANDOM", this.master);
    this.keyBlock = this.deriveKeyBlock12(this.master, this.clientRandom, this.serverRandom);
  }

  private onTicket12(m: DecodedHandshake): void {
    this.absorb(m.raw);
    this.newTicket12 = m.details.ticket!.slice();
    this.expect = "CCS";
  }

  private onFinished12(m: DecodedHandshake): void {
    this.checkFinished12(m, this.master);
    this.absorb(m.raw);
    if (this.resuming12) {
      this.sendChangeCipherSpec();
      this.setWriteKeys(this.suite!, this.keyBlock!.client, "application", this.etm);
      this.sendFinished12(this.master);
    }
    this.state = "connected";
    this.expect = "Done";
    const ticket = this.newTicket12 ?? (this.o.session?.version === ProtocolVersion.TLSv1_2 && this.resuming12 ? this.o.session.ticket : undefined);
    const session: Session12 = {
      version: 0x0303,
      suite: this.suite!.suite,
      masterSecret: this.master,
      extendedMasterSecret: this.ems,
      sessionId: this.serverSessionId,
      serverName: this.o.serverName,
    };
    if (ticket) session.ticket = ticket;
    if (session.sessionId.length > 0 || session.ticket) this.o.onSession?.(session);
  }

  /** The server answered renegotiation_info (RFC 5746): a renegotiation could be bound to this connection. */
  private secureRenegotiation = false;

  /**
   * A TLS 1.2 HelloRequest (RFC 5246 §7.4.1.1): the engine does not renegotiate; it says so with a warning
   * no_renegotiation alert (RFC 5246 §7.2.2) and keeps the connection, as RFC 5746 §4.2 lets a client do.
   */
  private refuseRenegotiation(): void {
    this.log.check(
      "client",
      "renegotiation",
      false,
      `the server asked to renegotiate (HelloRequest); ${this.secureRenegotiation ? "secure renegotiation (RFC 5746) was negotiated, but " : ""}the engine refuses: warning no_renegotiation`,
      "not fatal: the server may carry on with the current keys or end the connection",
    );
    this.sendAlert(1, Alert.no_renegotiation);
  }

  /** The server's certificate chain as received. */
  get peerCertificates(): Uint8Array[] {
    return this.serverChain;
  }
}
