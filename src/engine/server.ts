/**
 * The server state machine, TLS 1.2 and TLS 1.3 (see client.ts for the RFCs). It chooses the version, suite and
 * group, asks for a HelloRetryRequest when the client sent no acceptable key share, resumes sessions (TLS 1.2 by
 * session id or ticket, TLS 1.3 by PSK with a verified binder) and optionally asks for a client certificate.
 * Sans-I/O like the client.
 */
import type { DecodedHandshake } from "../tls/handshake/types";
import * as E from "../tls/encode";
import { dhKeyPair, dhSharedSecret, ffdheGroup } from "./crypto/ffdh";
import type { HashName } from "./crypto/hash";
import { rsaDecryptPkcs1 } from "./crypto/rsa";
import { Alert, Endpoint, ProtocolError, type EndpointOptions, type Routes } from "./endpoint";
import { groupName, isSupportedGroup, isSupportedGroup12, keyPairFor, sharedSecretFor } from "./kex";
import { HybridError, hybridLayout, logServerShare } from "./hybridKex";
import { KeySchedule13 } from "./keySchedule13";
import type { keyBlock12 } from "./prf12";
import { ServerSessionCache, type Session12 } from "./sessions";
import { chooseScheme, SCHEMES, schemeName, signWithScheme, verifyWithScheme, type SigningKey } from "./signatures";
import { suiteParams, type SuiteParams } from "./suites";
import { messageHash, transcriptHash } from "./transcript";
import { verifyChain } from "./certificates";
import { parseCertificate, type PublicKeyInfo } from "./x509Parse";
import {
  certificateVerifyContent,
  concatAll,
  DEFAULT_GROUPS,
  SERVER_GROUPS_13,
  DEFAULT_SUITES_12,
  DEFAULT_SUITES_13,
  DOWNGRADE_TLS12,
  equalBytes,
  hex,
} from "./tls13Common";
import { CipherSuite, ExtensionType, HandshakeType, ProtocolVersion } from "../tls/registry";

export interface Credential {
  chain: Uint8Array[];
  key: SigningKey;
}

export interface ServerOptions extends EndpointOptions {
  versions?: number[];
  /** Server preference order. */
  cipherSuites?: number[];
  /** Groups the server accepts, preferred first. */
  groups?: number[];
  credentials: { ecdsa?: Credential; rsa?: Credential };
  /** Force this signature scheme for CertificateVerify / ServerKeyExchange. */
  signatureScheme?: number;
  alpn?: string[];
  requestClientCertificate?: boolean;
  /** A client that sends no certificate fails the handshake (certificate_required, RFC 8446 §4.4.2.4). */
  requireClientCertificate?: boolean;
  clientTrustAnchors?: Uint8Array[];
  sessionCache?: ServerSessionCache;
  /** Issue tickets (TLS 1.2 RFC 5077 when the client asks; TLS 1.3 one NewSessionTicket). Default true. */
  issueTickets?: boolean;
  extendedMasterSecret?: boolean;
  encryptThenMac?: boolean;
  middleboxCompat?: boolean;
  now?: () => Date;
  /** Called with each chunk of application data received. */
  onApplicationData?: (data: Uint8Array, server: Server) => void;
}

/** What a client may sign CertificateVerify with: every scheme this engine verifies (SHA-1 ones left out). */
const VERIFIABLE_SCHEMES = [0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b, 0x0401, 0x0501, 0x0601];

/** The defaults, then AES-CCM and CCM_8 (accepted when a client offers nothing else; never preferred). */
const SERVER_SUITES_13 = [...DEFAULT_SUITES_13, 0x1304, 0x1305];
const SERVER_SUITES_12 = [...DEFAULT_SUITES_12, 0xc0ac, 0xc0ad, 0xc0ae, 0xc0af, 0xc09e, 0xc09f, 0xc0a2, 0xc0a3, 0xc09c, 0xc09d, 0xc0a0, 0xc0a1];

/** Every group the engine has, the common ones first (RFC 8446 §4.2.7 leaves the order to the server). */
const EXTRA_GROUPS = [30, 25, 257, 258, 259, 260];
const SERVER_GROUPS = [...DEFAULT_GROUPS, ...EXTRA_GROUPS];

type Expect = "ClientHello" | "ClientHello2" | "Certificate" | "CertificateVerify" | "Finished" | "ClientKeyExchange" | "CCS" | "Finished12" | "Done";

export class Server extends Endpoint {
  readonly actor = "server" as const;
  private expect: Expect = "ClientHello";
  private readonly o: ServerOptions;
  private readonly cache: ServerSessionCache;
  private clientRandom: Uint8Array = new Uint8Array(0);
  private serverRandom: Uint8Array = new Uint8Array(0);
  private clientSessionId: Uint8Array = new Uint8Array(0);
  private ch1?: DecodedHandshake;
  private hrrPrefix: Uint8Array[] = [];
  private hrrGroup?: number;
  private psk = false;
  private sentCcs = false;
  private cred?: Credential;
  private clientKey?: PublicKeyInfo;
  private requestedCert = false;
  private ticketCounter = 0;
  // TLS 1.2
  private ems = false;
  private etm = false;
  private sendTicket = false;
  private master: Uint8Array = new Uint8Array(0);
  private keyBlock?: ReturnType<typeof keyBlock12>;
  private kexPrivate?: { group: number; privateKey: Uint8Array };
  private dheGroup = 256;
  private sessionId12: Uint8Array = new Uint8Array(0);
  private resumed12 = false;
  alpn: string | null = null;
  sni: string | null = null;

  constructor(opts: ServerOptions) {
    super(opts);
    this.o = opts;
    this.cache = opts.sessionCache ?? new ServerSessionCache();
  }

  start(): void {
    if (this.state === "start") this.state = "handshake";
  }

  private now(): Date {
    return this.o.now?.() ?? new Date();
  }

  protected onHandshake(m: DecodedHandshake): void {
    if (this.state === "start") this.state = "handshake";
    if (this.state === "connected") return this.onPostHandshake(m);
    this.dispatch(m, this.expect, this.routes);
  }

  private readonly routes: Routes<Expect> = {
    1: { accepts: ["ClientHello", "ClientHello2"], handle: (m) => this.onClientHello(m) },
    11: { accepts: ["Certificate"], handle: (m) => this.onClientCertificate(m) },
    15: { accepts: ["CertificateVerify"], handle: (m) => this.onClientCertificateVerify(m) },
    16: { accepts: ["ClientKeyExchange"], handle: (m) => this.onClientKeyExchange(m) },
    20: { accepts: ["Finished", "Finished12"], handle: (m) => (this.tls13 ? this.onFinished13(m) : this.onFinished12(m)) },
  };

  protected onChangeCipherSpec(): void {
    if (this.tls13 || this.version === null) {
      if (this.state === "connected") throw new ProtocolError(Alert.unexpected_message, "ChangeCipherSpec after the handshake", "record order");
      return;
    }
    if (this.expect !== "CCS") throw new ProtocolError(Alert.unexpected_message, `ChangeCipherSpec while expecting ${this.expect}`, "message order");
    this.setReadKeys(this.suite!, this.keyBlock!.client, "application", this.etm);
    this.expect = "Finished12";
  }

  protected override onApplicationData(data: Uint8Array): void {
    this.o.onApplicationData?.(data, this);
  }

  // ------------------------------------------------------------------------------------------------ ClientHello

  private onClientHello(m: DecodedHandshake): void {
    const d = m.details;
    const versions = this.o.versions ?? [0x0304, 0x0303];
    if (this.expect === "ClientHello2") return this.onClientHello13(m, true);
    this.ch1 = m;
    this.clientRandom = d.random!;
    this.clientSessionId = d.sessionId!;
    this.sni = d.sni ?? null;
    const offered = d.supportedVersions ?? [];
    const legacy = m.fields.legacyVersion as number;
    // The first of ours the client lists; without supported_versions, TLS 1.2 if its legacy_version allows it.
    let common: number | undefined;
    if (offered.length > 0) common = versions.find((v) => offered.includes(v));
    else if (legacy >= ProtocolVersion.TLSv1_2 && versions.includes(ProtocolVersion.TLSv1_2)) common = ProtocolVersion.TLSv1_2;
    const version = common ?? 0;
    this.require(
      "a common protocol version",
      common !== undefined,
      `client offers ${(offered.length ? offered : [legacy]).map((v) => "0x" + v.toString(16)).join(", ")}, server supports ${versions.map((v) => "0x" + v.toString(16)).join(", ")}`,
      Alert.protocol_version,
    );
    this.version = version;
    if (version === ProtocolVersion.TLSv1_3) return this.onClientHello13(m, false);
    return this.onClientHello12(m);
  }

  /**
   * The credential for a TLS 1.2 suite's authentication: the "ecdsa" slot holds ECDSA and EdDSA keys (RFC 8422
   * §5.1.1: ECDHE_ECDSA suites carry Ed25519/Ed448 too), the "rsa" slot RSA and RSA-PSS keys; RSA key transport
   * needs an rsaEncryption key (RFC 5246 §7.4.7.1), not an RSA-PSS one.
   */
  private pickCredential(auth: SuiteParams["authentication"], keyTransport = false): Credential | undefined {
    const c = this.o.credentials;
    if (auth === "RSA") return c.rsa && !(keyTransport && c.rsa.key.kind === "rsa" && c.rsa.key.pss) ? c.rsa : undefined;
    if (auth === "ECDSA") return c.ecdsa;
    return c.ecdsa ?? c.rsa;
  }

  /** TLS 1.3: the first credential that can sign with a scheme the client offers (RFC 8446 §4.4.2.2). */
  private pickCredential13(clientSchemes: number[]): Credential | undefined {
    const c = this.o.credentials;
    const all = [c.ecdsa, c.rsa].filter((x): x is Credential => !!x);
    return all.find((x) => chooseScheme(x.key, clientSchemes, true, this.o.signatureScheme) !== undefined) ?? all[0];
  }

  private clientSchemes(m: DecodedHandshake): number[] {
    return (m.fields.signatureAlgorithms as number[] | undefined) ?? [];
  }

  // ------------------------------------------------------------------------------------------------ TLS 1.3

  private onClientHello13(m: DecodedHandshake, second: boolean): void {
    const d = m.details;
    const clientSuites = d.cipherSuites ?? [];
    const clientGroups = (m.fields.supportedGroups as number[] | undefined) ?? [];
    const shares = d.keyShares ?? [];
    if (!second) {
      const prefs = (this.o.cipherSuites ?? SERVER_SUITES_13).filter((s) => suiteParams(s)?.tls13);
      const suite = prefs.find((s) => clientSuites.includes(s));
      this.require(
        "a common TLS 1.3 cipher suite",
        suite !== undefined,
        `client offers ${clientSuites.map((s) => "0x" + s.toString(16)).join(", ")}`,
        Alert.handshake_failure,
      );
      this.suite = suiteParams(suite!)!;
      this.transcript.setHash(this.suite.hash);
    } else {
      const c1 = this.ch1!.details;
      this.require(
        "second ClientHello keeps random and session id",
        equalBytes(c1.random!, d.random!) && equalBytes(c1.sessionId!, d.sessionId!),
        "RFC 8446 §4.1.2",
        Alert.illegal_parameter,
      );
    }
    this.absorb(m.raw);
    const groups = (this.o.groups ?? [...SERVER_GROUPS_13, ...EXTRA_GROUPS]).filter(isSupportedGroup);
    let share = undefined as (typeof shares)[number] | undefined;
    for (const g of groups) {
      share = shares.find((s) => s.group === g);
      if (share) break;
    }
    if (second) {
      this.require(
        "second ClientHello has the requested key share",
        !!share && share.group === this.hrrGroup && shares.length === 1,
        `requested ${groupName(this.hrrGroup!)}`,
        Alert.illegal_parameter,
      );
    }
    const cred = this.pickCredential13(this.clientSchemes(m));
    if (!share) {
      const group = groups.find((g) => clientGroups.includes(g));
      this.require("a common key exchange group", group !== undefined, `client supports ${clientGroups.map(groupName).join(", ")}`, Alert.handshake_failure);
      return this.sendHelloRetryRequest(group!);
    }
    // PSK resumption (RFC 8446 §4.2.11): psk_dhe_ke only.
    const modes = d.extensions?.find((e) => e.type === ExtensionType.psk_key_exchange_modes)?.data;
    const pskOk = !!modes && [...modes.subarray(1)].includes(1);
    const hash = this.suite!.hash;
    if (d.pskIdentities?.length && pskOk) {
      const ticket = this.cache.tickets13.get(ServerSessionCache.key(d.pskIdentities[0]));
      if (ticket && suiteParams(ticket.suite)!.hash === hash) {
        const ks = this.newSchedule(hash);
        ks.earlySecret(ticket.psk);
        ks.binderKey(true);
        const truncated = m.raw.subarray(0, d.pskBindersOffset!);
        const expected = ks.binder(transcriptHash(hash, [...this.hrrPrefix, truncated]));
        const got = d.pskBinders![0];
        this.require(
          "PSK binder",
          equalBytes(expected, got),
          equalBytes(expected, got) ? `binder ${hex(got)} matches the HMAC over the truncated ClientHello` : `received ${hex(got)}, expected ${hex(expected)}`,
          Alert.decrypt_error,
        );
        this.ks = ks;
        this.psk = true;
      } else {
        this.log.check(
          "server",
          "PSK identity known",
          false,
          "ticket not issued by this server (or another hash): full handshake",
          "not fatal: the server falls back to a full handshake",
        );
      }
    }
    if (!this.psk) {
      this.require("server has a certificate", !!cred, "no credential configured", Alert.handshake_failure);
      this.cred = cred;
      this.ks = this.newSchedule(hash);
      this.ks.earlySecret();
    }
    const { publicKey, shared } = this.keyExchange13(share.group, share.keyExchange);
    this.serverRandom = this.rng(32);
    this.secret("server_random", this.serverRandom, [], "32 random bytes: ServerHello.random");
    const exts = [E.supportedVersionsServerExt(0x0304), E.keyShareServerExt({ group: share.group, keyExchange: publicKey })];
    if (this.psk) exts.push(E.preSharedKeyServerExt(0));
    this.sendHandshake(E.encodeServerHello({ random: this.serverRandom, sessionId: d.sessionId!, cipherSuite: this.suite!.suite, extensions: exts }));
    const ks = this.ks!;
    ks.handshakeSecret(shared);
    const th = this.transcript.current();
    ks.clientHandshakeTrafficSecret(th);
    ks.serverHandshakeTrafficSecret(th);
    this.middleboxCcs();
    this.setWriteKeys(this.suite!, ks.trafficKeys(this.suite!, "server_handshake_traffic_secret"), "handshake");
    this.setReadKeys(this.suite!, ks.trafficKeys(this.suite!, "client_handshake_traffic_secret"), "handshake");
    const ee: E.ExtensionData[] = [];
    if (d.sni) ee.push(E.serverNameAck());
    this.alpn = this.pickAlpn(d.alpn);
    if (this.alpn) ee.push(E.alpnExt([this.alpn]));
    this.sendHandshake(E.encodeEncryptedExtensions(ee));
    if (!this.psk) {
      if (this.o.requestClientCertificate) {
        this.requestedCert = true;
        this.sendHandshake(
          E.encodeCertificateRequest13(new Uint8Array(0), [E.signatureAlgorithmsExt(VERIFIABLE_SCHEMES.filter((x) => SCHEMES.get(x)!.tls13))]),
        );
      }
      this.sendHandshake(E.encodeCertificate13(this.cred!.chain));
      const scheme = chooseScheme(this.cred!.key, this.clientSchemes(m), true, this.o.signatureScheme);
      this.require(
        "a common signature scheme",
        scheme !== undefined,
        `client offers ${this.clientSchemes(m).map(schemeName).join(", ")}`,
        Alert.handshake_failure,
      );
      const content = certificateVerifyContent("server", this.transcript.current());
      this.sendHandshake(E.encodeCertificateVerify(scheme!, signWithScheme(this.cred!.key, scheme!, content, this.rng)));
    }
    this.sendHandshake(E.encodeFinished(ks.finished("server", this.transcript.current())));
    const th2 = this.transcript.current();
    ks.masterSecret();
    ks.clientApplicationTrafficSecret0(th2);
    ks.serverApplicationTrafficSecret0(th2);
    ks.exporterMasterSecret(th2);
    this.setWriteKeys(this.suite!, ks.trafficKeys(this.suite!, "server_application_traffic_secret_0"), "application");
    this.expect = this.requestedCert ? "Certificate" : "Finished";
  }

  private middleboxCcs(): void {
    // RFC 8446 D.4: after its first handshake message, when the client sent a non-empty legacy_session_id.
    if (this.o.middleboxCompat !== false && !this.sentCcs && this.clientSessionId.length > 0) {
      this.sendChangeCipherSpec("middlebox compatibility (RFC 8446 D.4)");
      this.sentCcs = true;
    }
  }

  /** The server's key_share and the (EC)DHE input: ECDH or finite-field, or a hybrid's encapsulation and ECDH. */
  private keyExchange13(group: number, clientShare: Uint8Array): { publicKey: Uint8Array; shared: Uint8Array } {
    const hybrid = hybridLayout(group);
    try {
      if (hybrid) {
        const s = logServerShare(hybrid, clientShare, this.rng, (...a) => this.secret(...a));
        return { publicKey: s.publicKey, shared: s.sharedSecret };
      }
      const kp = keyPairFor(group, this.rng);
      this.secret(`server ${groupName(group)} private key`, kp.privateKey, [], "random scalar (never sent)");
      const shared = sharedSecretFor(group, kp.privateKey, clientShare, true);
      this.secret(
        "(EC)DHE shared secret",
        shared,
        [`server ${groupName(group)} private key`, "client key_share"],
        `${groupName(group)}(server private key, client public key)`,
      );
      return { publicKey: kp.publicKey, shared };
    } catch (e) {
      const alert = e instanceof HybridError && e.alert === "internal_error" ? Alert.internal_error : Alert.illegal_parameter;
      throw new ProtocolError(alert, `client key share: ${(e as Error).message}`, "client key share is valid");
    }
  }

  private sendHelloRetryRequest(group: number): void {
    if (this.hrrGroup !== undefined) throw new ProtocolError(Alert.illegal_parameter, "no acceptable key share after HelloRetryRequest", "key share");
    this.hrrGroup = group;
    const hash = this.suite!.hash;
    const ch1Hash = this.transcript.current();
    this.transcript.replaceWithMessageHash();
    const hrr = E.encodeHelloRetryRequest({
      sessionId: this.clientSessionId,
      cipherSuite: this.suite!.suite,
      extensions: [E.supportedVersionsServerExt(0x0304), E.keyShareHrrExt(group)],
    });
    this.sendHandshake(hrr, { note: `no key share for an acceptable group: asking for ${groupName(group)} (RFC 8446 §4.1.4)` });
    this.hrrPrefix = [messageHash(hash, ch1Hash), hrr];
    this.middleboxCcs();
    this.expect = "ClientHello2";
  }

  private newSchedule(hash: HashName): KeySchedule13 {
    return new KeySchedule13(hash, (name, value, how) => this.secret(name, value, how.inputs, how.derivation));
  }

  private pickAlpn(offered: string[] | undefined): string | null {
    if (!offered?.length || !this.o.alpn?.length) return null;
    return this.o.alpn.find((p) => offered.includes(p)) ?? null;
  }

  private onClientCertificate(m: DecodedHandshake): void {
    this.absorb(m.raw);
    const chain = m.details.certificates ?? [];
    if (chain.length === 0) {
      if (this.o.requireClientCertificate) {
        // RFC 8446 §4.4.2.4: certificate_required in TLS 1.3; TLS 1.2 has only handshake_failure (RFC 5246 §7.4.6).
        throw new ProtocolError(this.tls13 ? Alert.certificate_required : Alert.handshake_failure, "the client sent no certificate", "client certificate");
      }
      this.log.check("server", "client certificate", false, "the client sent no certificate", "not fatal: the server asked but does not require one");
      this.expect = this.tls13 ? "Finished" : "ClientKeyExchange";
      return;
    }
    const checks = verifyChain(chain, { trustAnchors: this.o.clientTrustAnchors ?? [], now: this.now(), actor: "server" });
    this.log.checks(checks);
    const bad = checks.find((c) => !c.ok);
    if (bad)
      throw new ProtocolError(/anchor|issuer/.test(bad.title) ? Alert.unknown_ca : Alert.bad_certificate, `${bad.title}: ${bad.detail}`, bad.title, true);
    this.clientKey = parseCertificate(chain[0]).publicKey;
    this.expect = this.tls13 ? "CertificateVerify" : "ClientKeyExchange";
  }

  private onClientCertificateVerify(m: DecodedHandshake): void {
    const d = m.details;
    const message = this.tls13 ? certificateVerifyContent("client", this.transcript.current()) : concatAll(this.handshakeMessages);
    const r = verifyWithScheme(this.clientKey!, d.signatureAlgorithm!, message, d.signature!, { curveFromKey: !this.tls13 });
    this.require("client CertificateVerify signature", r.ok, `${r.detail}, with the client certificate's key`, Alert.decrypt_error);
    this.absorb(m.raw);
    this.expect = this.tls13 ? "Finished" : "CCS";
  }

  private onFinished13(m: DecodedHandshake): void {
    const ks = this.ks!;
    const expected = ks.finished("client", this.transcript.current());
    const ok = equalBytes(expected, m.details.verifyData!);
    this.markFinished("c2s", ok);
    this.require(
      "client Finished verify_data",
      ok,
      ok ? `HMAC matches ${hex(expected)}` : `received ${hex(m.details.verifyData!)}, expected ${hex(expected)}`,
      Alert.decrypt_error,
    );
    this.absorb(m.raw);
    this.setReadKeys(this.suite!, ks.trafficKeys(this.suite!, "client_application_traffic_secret_0"), "application");
    ks.resumptionMasterSecret(this.transcript.current());
    this.state = "connected";
    this.expect = "Done";
    if (this.o.issueTickets !== false) this.sendTicket13();
  }

  /** RFC 8446 §4.6.1: a ticket whose PSK is HKDF-Expand-Label(resumption_master_secret, "resumption", nonce). */
  private sendTicket13(): void {
    const nonce = Uint8Array.of(this.ticketCounter++);
    const psk = this.ks!.ticketPsk(nonce);
    const ticket = this.rng(32);
    const ageAdd = new DataView(this.rng(4).buffer).getUint32(0);
    this.cache.remember(this.cache.tickets13, ticket, { suite: this.suite!.suite, psk, ageAdd });
    this.sendHandshake(E.encodeNewSessionTicket13({ lifetime: 7200, ageAdd, nonce, ticket }), {
      inTranscript: false,
      note: "the ticket is an opaque handle into the server's session cache",
    });
  }

  private onPostHandshake(m: DecodedHandshake): void {
    if (this.tls13 && m.type === HandshakeType.key_update) return this.peerKeyUpdate(m.details.requestUpdate);
    if (!this.tls13 && m.type === HandshakeType.client_hello) {
      // A client-initiated renegotiation (RFC 5246 §7.4.1.2): refused with a warning (RFC 5246 §7.2.2, RFC 5746 §4.4).
      this.log.check(
        "server",
        "renegotiation",
        false,
        "the client sent a ClientHello on the established connection; the engine refuses: warning no_renegotiation",
        "not fatal: the client may carry on with the current keys or end the connection",
      );
      this.sendAlert(1, Alert.no_renegotiation);
      return;
    }
    throw new ProtocolError(Alert.unexpected_message, `${m.name} after the handshake`, "message order");
  }

  // ------------------------------------------------------------------------------------------------ TLS 1.2

  private onClientHello12(m: DecodedHandshake): void {
    const d = m.details;
    const clientSuites = d.cipherSuites ?? [];
    const clientGroups = (m.fields.supportedGroups as number[] | undefined) ?? [];
    const ourGroups = (this.o.groups ?? SERVER_GROUPS).filter((g) => !ffdheGroup(g) && isSupportedGroup12(g));
    const ecGroup = ourGroups.find((g) => clientGroups.includes(g)) ?? (clientGroups.length === 0 ? 23 : undefined);
    // RFC 7919 §4: a DHE group the client names in supported_groups, else ffdhe2048.
    this.dheGroup = (this.o.groups ?? [256, 257, 258, 259, 260]).find((g) => !!ffdheGroup(g) && clientGroups.includes(g)) ?? 256;
    const has = (t: number) => !!d.extensions?.some((e) => e.type === t);
    // Resumption first (RFC 5246 §7.3, RFC 5077 §3.4).
    const ticketExt = d.extensions?.find((e) => e.type === ExtensionType.session_ticket);
    let resumed: Session12 | undefined;
    if (ticketExt && ticketExt.data.length > 0) resumed = this.cache.tickets12.get(ServerSessionCache.key(ticketExt.data));
    else if (d.sessionId!.length > 0) resumed = this.cache.byId.get(ServerSessionCache.key(d.sessionId!));
    if (resumed && (!clientSuites.includes(resumed.suite) || resumed.extendedMasterSecret !== has(23))) resumed = undefined;
    const prefs = (this.o.cipherSuites ?? SERVER_SUITES_12).filter((s) => {
      const p = suiteParams(s);
      if (!p || p.tls13 || !clientSuites.includes(s)) return false;
      if (!this.pickCredential(p.authentication, p.keyExchange === "RSA")) return false;
      if (p.keyExchange === "ECDHE" && ecGroup === undefined) return false;
      return true;
    });
    const suite = resumed?.suite ?? prefs[0];
    this.require(
      "a common TLS 1.2 cipher suite",
      suite !== undefined,
      `client offers ${clientSuites.map((s) => "0x" + s.toString(16)).join(", ")}`,
      Alert.handshake_failure,
    );
    this.suite = suiteParams(suite!)!;
    this.transcript.setHash(this.suite.hash);
    this.absorb(m.raw);
    this.ems = this.o.extendedMasterSecret !== false && has(23);
    this.etm = this.o.encryptThenMac !== false && has(22) && !!this.suite.cbc;
    this.sendTicket = !resumed && this.o.issueTickets !== false && has(35);
    this.serverRandom = this.rng(32);
    // RFC 8446 §4.1.3: a TLS 1.3-capable server negotiating TLS 1.2 marks its random.
    if ((this.o.versions ?? [ProtocolVersion.TLSv1_3, ProtocolVersion.TLSv1_2]).includes(ProtocolVersion.TLSv1_3)) this.serverRandom.set(DOWNGRADE_TLS12, 24);
    this.secret("server_random", this.serverRandom, [], "32 random bytes: ServerHello.random (last 8 = DOWNGRD sentinel when TLS 1.3 is supported)");
    const exts: E.ExtensionData[] = [];
    // RFC 5746 §3.6: answer the extension or the TLS_EMPTY_RENEGOTIATION_INFO_SCSV (0x00ff) with an empty one.
    if (has(ExtensionType.renegotiation_info) || clientSuites.includes(CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV)) exts.push(E.renegotiationInfoExt());
    if (this.ems) exts.push(E.extendedMasterSecretExt());
    if (this.etm) exts.push(E.encryptThenMacExt());
    if (this.sendTicket) exts.push(E.sessionTicketExt());
    if (this.suite.keyExchange === "ECDHE" || this.suite.authentication === "ECDSA") exts.push(E.ecPointFormatsExt([0]));
    if (d.sni && !resumed) exts.push(E.serverNameAck());
    this.alpn = this.pickAlpn(d.alpn);
    if (this.alpn) exts.push(E.alpnExt([this.alpn]));
    if (resumed) {
      // Echo the client's session id (for a ticket: the id the client made up, RFC 5077 §3.4).
      this.sessionId12 = d.sessionId!.slice();
      this.resumed12 = true;
      this.sendHandshake(E.encodeServerHello({ random: this.serverRandom, sessionId: this.sessionId12, cipherSuite: suite!, extensions: exts }), {
        note: "session resumed: abbreviated handshake (RFC 5246 §7.3)",
      });
      this.master = resumed.masterSecret;
      this.secret(
        "master_secret",
        this.master,
        ["resumed session"],
        `the master secret of the resumed session (${ticketExt?.data.length ? "from the ticket" : "by session id"})`,
      );
      this.keyBlock = this.deriveKeyBlock12(this.master, this.clientRandom, this.serverRandom);
      this.sendChangeCipherSpec();
      this.setWriteKeys(this.suite, this.keyBlock!.server, "application", this.etm);
      this.sendFinished12(this.master);
      this.expect = "CCS";
      return;
    }
    this.sessionId12 = this.rng(32);
    this.sendHandshake(E.encodeServerHello({ random: this.serverRandom, sessionId: this.sessionId12, cipherSuite: suite!, extensions: exts }));
    this.cred = this.pickCredential(this.suite.authentication, this.suite.keyExchange === "RSA")!;
    this.sendHandshake(E.encodeCertificate12(this.cred.chain));
    if (this.suite.keyExchange !== "RSA") {
      let params: Uint8Array;
      if (this.suite.keyExchange === "ECDHE") {
        const kp = keyPairFor(ecGroup!, this.rng);
        this.kexPrivate = { group: ecGroup!, privateKey: kp.privateKey };
        this.secret(`server ${groupName(ecGroup!)} private key`, kp.privateKey, [], "random scalar (never sent)");
        params = E.ecdheParams(ecGroup!, kp.publicKey);
      } else {
        const ff = ffdheGroup(this.dheGroup)!;
        const kp = dhKeyPair(ff.p, ff.g, this.rng);
        this.kexPrivate = { group: this.dheGroup, privateKey: kp.privateKey };
        this.secret("server DH private exponent", kp.privateKey, [], `random exponent (never sent); p and g of ${groupName(this.dheGroup)} (RFC 7919)`);
        params = E.dheParams(ff.p, ff.g, kp.publicKey);
      }
      const scheme = chooseScheme(this.cred.key, this.clientSchemes(m), false, this.o.signatureScheme);
      this.require(
        "a common signature scheme",
        scheme !== undefined,
        `client offers ${this.clientSchemes(m).map(schemeName).join(", ")}`,
        Alert.handshake_failure,
      );
      const sig = signWithScheme(this.cred.key, scheme!, concatAll([this.clientRandom, this.serverRandom, params]), this.rng);
      this.sendHandshake(E.encodeServerKeyExchange(params, scheme!, sig), { note: "signed: client_random + server_random + params (RFC 5246 §7.4.3)" });
    }
    if (this.o.requestClientCertificate) {
      this.requestedCert = true;
      this.sendHandshake(E.encodeCertificateRequest12({ certificateTypes: [1, 64], signatureAlgorithms: VERIFIABLE_SCHEMES }));
    }
    this.sendHandshake(E.encodeServerHelloDone());
    this.expect = this.requestedCert ? "Certificate" : "ClientKeyExchange";
  }

  private onClientKeyExchange(m: DecodedHandshake): void {
    const d = m.details;
    const kx = this.suite!.keyExchange;
    let premaster: Uint8Array;
    if (kx === "RSA") {
      const key = this.cred!.key;
      if (key.kind !== "rsa") throw new ProtocolError(Alert.internal_error, "RSA key transport without an RSA key", "server key type");
      const dec = rsaDecryptPkcs1(key.privateKey, d.exchange!);
      const valid = !!dec && dec.length === 48 && dec[0] === 3 && dec[1] === 3;
      // RFC 5246 §7.4.7.1: on any failure continue with a random premaster so the failure shows only at Finished.
      premaster = valid ? dec! : this.rng(48);
      this.log.check(
        "server",
        "RSA premaster decryption",
        valid,
        valid ? "PKCS#1 v1.5 padding and client_version correct" : "padding or version wrong: continuing with a random premaster (RFC 5246 §7.4.7.1)",
        "a real server must not reveal this; the explorer shows it",
      );
      this.secret("pre_master_secret", premaster, ["EncryptedPreMasterSecret", "server RSA private key"], "RSAES-PKCS1-v1_5 decryption (RFC 5246 §7.4.7.1)");
    } else {
      const k = this.kexPrivate!;
      try {
        premaster = ffdheGroup(k.group)
          ? dhSharedSecret(ffdheGroup(k.group)!.p, k.privateKey, d.exchange!, false)
          : sharedSecretFor(k.group, k.privateKey, d.exchange!, false);
      } catch (e) {
        throw new ProtocolError(Alert.illegal_parameter, `client key exchange: ${(e as Error).message}`, "client key share is valid");
      }
      this.secret(
        "pre_master_secret",
        premaster,
        [ffdheGroup(k.group) ? "server DH private exponent" : `server ${groupName(k.group)} private key`, "ClientKeyExchange public value"],
        `${groupName(k.group)} shared secret`,
      );
    }
    this.absorb(m.raw);
    this.master = this.deriveMasterSecret12(premaster, this.clientRandom, this.serverRandom, this.ems);
    this.keyBlock = this.deriveKeyBlock12(this.master, this.clientRandom, this.serverRandom);
    this.expect = this.clientKey ? "CertificateVerify" : "CCS";
  }

  private onFinished12(m: DecodedHandshake): void {
    this.checkFinished12(m, this.master);
    this.absorb(m.raw);
    if (!this.resumed12) {
      const session: Session12 = {
        version: 0x0303,
        suite: this.suite!.suite,
        masterSecret: this.master,
        extendedMasterSecret: this.ems,
        sessionId: this.sessionId12,
      };
      this.cache.remember(this.cache.byId, this.sessionId12, session);
      if (this.sendTicket) {
        const ticket = this.rng(48);
        this.cache.remember(this.cache.tickets12, ticket, { ...session, ticket });
        this.sendHandshake(E.encodeNewSessionTicket12(7200, ticket), { note: "RFC 5077: an opaque handle into the server's session cache" });
      }
      this.sendChangeCipherSpec();
      this.setWriteKeys(this.suite!, this.keyBlock!.server, "application", this.etm);
      this.sendFinished12(this.master);
    }
    this.state = "connected";
    this.expect = "Done";
  }
}
