/**
 * The server, TLS 1.2 and TLS 1.3: what both versions share — the ClientHello's version choice, the credentials,
 * the client certificate check, the routing of each message to the flight that expects it, and what comes after
 * the handshake. The flights are in tls13/server.ts and tls12/server.ts: choosing the suite and group, a
 * HelloRetryRequest when the client sent no acceptable key share, resumption (TLS 1.2 by session id or ticket,
 * TLS 1.3 by PSK with a verified binder), an optional client certificate. Sans-I/O like the client.
 *
 * The handshake state is one value of a discriminated union (`ServerState`) carrying what each state knows.
 */
import type { DecodedHandshake } from "../tls/handshake/types";
import { HandshakeType, ProtocolVersion } from "../tls/registry";
import { Alert, decoded, ProtocolError } from "./alerts";
import type { HashName } from "./crypto/hash";
import { Endpoint, type EndpointOptions } from "./endpoint";
import { KeySchedule13 } from "./keySchedule13";
import { ServerSessionCache } from "./sessions";
import { chooseScheme, verifyWithScheme, type SigningKey } from "./signatures";
import type { SuiteParams } from "./suites";
import { verifyChain } from "./certificates";
import { parseCertificate, type PublicKeyInfo } from "./x509Parse";
import * as S12 from "./tls12/server";
import * as S13 from "./tls13/server";

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

export type ServerState = { at: "ClientHello" } | S13.Server13State | S12.Server12State;

export class Server extends Endpoint {
  readonly actor = "server" as const;
  readonly o: ServerOptions;
  readonly cache: ServerSessionCache;
  private st: ServerState = { at: "ClientHello" };
  /** The first ClientHello's random and legacy_session_id (a second ClientHello keeps both, RFC 8446 §4.1.2). */
  clientRandom: Uint8Array = new Uint8Array(0);
  clientSessionId: Uint8Array = new Uint8Array(0);
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

  now(): Date {
    return this.o.now?.() ?? new Date();
  }

  protected keys13(): { ks: KeySchedule13; suite: SuiteParams } | undefined {
    return this.st.at === "Done" && "tls13" in this.st ? this.st.tls13 : undefined;
  }

  // ------------------------------------------------------------------------------------------------ dispatch

  /** Message order (RFC 8446 §4 / RFC 5246 §7.3): only the state that waits for a message's type takes it. */
  protected onHandshake(m: DecodedHandshake): void {
    if (this.state === "start") this.state = "handshake";
    if (this.state === "connected") return this.onPostHandshake(m);
    const next = this.next(this.st, m);
    if (!next) throw new ProtocolError(Alert.unexpected_message, `received ${m.name}, expected ${this.st.at}`, "message order");
    this.st = next;
  }

  private next(s: ServerState, m: DecodedHandshake): ServerState | undefined {
    const t = m.type;
    switch (s.at) {
      case "ClientHello":
        return t === HandshakeType.client_hello ? this.onClientHello(m) : undefined;
      case "ClientHello2":
        return t === HandshakeType.client_hello ? S13.onClientHello13(this, m, s.retry) : undefined;
      case "Certificate":
        if (t !== HandshakeType.certificate) return undefined;
        return "kx" in s ? S12.onClientCertificate12(this, s, m) : S13.onClientCertificate13(this, s.tls13, m);
      case "CertificateVerify":
        if (t !== HandshakeType.certificate_verify) return undefined;
        return "keys" in s ? S12.onClientCertificateVerify12(this, s, m) : S13.onClientCertificateVerify13(this, s, m);
      case "ClientKeyExchange":
        return t === HandshakeType.client_key_exchange ? S12.onClientKeyExchange(this, s, m) : undefined;
      case "Finished":
        return t === HandshakeType.finished ? S13.onFinished13(this, s.tls13, m) : undefined;
      case "Finished12":
        return t === HandshakeType.finished ? S12.onFinished12(this, s, m) : undefined;
      default:
        return undefined;
    }
  }

  protected onChangeCipherSpec(): void {
    if (this.tls13 || this.version === null) {
      if (this.state === "connected") throw new ProtocolError(Alert.unexpected_message, "ChangeCipherSpec after the handshake", "record order");
      return;
    }
    this.st = S12.onChangeCipherSpec12(this, this.st);
  }

  protected override onApplicationData(data: Uint8Array): void {
    this.o.onApplicationData?.(data, this);
  }

  // ------------------------------------------------------------------------------------------------ ClientHello

  /** The first ClientHello: the version (the first of ours the client lists), then the version's own flight. */
  private onClientHello(m: DecodedHandshake): ServerState {
    const d = m.details;
    const versions = this.o.versions ?? [ProtocolVersion.TLSv1_3, ProtocolVersion.TLSv1_2];
    this.clientRandom = decoded(d.random, "random");
    this.clientSessionId = decoded(d.sessionId, "session id");
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
    if (version === ProtocolVersion.TLSv1_3) return S13.onClientHello13(this, m, undefined);
    return S12.onClientHello12(this, m);
  }

  /**
   * The credential for a TLS 1.2 suite's authentication: the "ecdsa" slot holds ECDSA and EdDSA keys (RFC 8422
   * §5.1.1: ECDHE_ECDSA suites carry Ed25519/Ed448 too), the "rsa" slot RSA and RSA-PSS keys; RSA key transport
   * needs an rsaEncryption key (RFC 5246 §7.4.7.1), not an RSA-PSS one.
   */
  pickCredential(auth: SuiteParams["authentication"], keyTransport = false): Credential | undefined {
    const c = this.o.credentials;
    if (auth === "RSA") return c.rsa && !(keyTransport && c.rsa.key.kind === "rsa" && c.rsa.key.pss) ? c.rsa : undefined;
    if (auth === "ECDSA") return c.ecdsa;
    return c.ecdsa ?? c.rsa;
  }

  /** TLS 1.3: the first credential that can sign with a scheme the client offers (RFC 8446 §4.4.2.2). */
  pickCredential13(clientSchemes: number[]): Credential | undefined {
    const c = this.o.credentials;
    const all = [c.ecdsa, c.rsa].filter((x): x is Credential => !!x);
    return all.find((x) => chooseScheme(x.key, clientSchemes, true, this.o.signatureScheme) !== undefined) ?? all[0];
  }

  clientSchemes(m: DecodedHandshake): number[] {
    return (m.fields.signatureAlgorithms as number[] | undefined) ?? [];
  }

  pickAlpn(offered: string[] | undefined): string | null {
    if (!offered?.length || !this.o.alpn?.length) return null;
    return this.o.alpn.find((p) => offered.includes(p)) ?? null;
  }

  newSchedule(hash: HashName): KeySchedule13 {
    return new KeySchedule13(hash, (name, value, how) => this.secret(name, value, how.inputs, how.derivation));
  }

  /**
   * RFC 8446 D.4: the compatibility ChangeCipherSpec after the server's first handshake message, when the client
   * sent a non-empty legacy_session_id; once. Returns whether it has been sent.
   */
  middleboxCcs(sent: boolean): boolean {
    if (this.o.middleboxCompat !== false && !sent && this.clientSessionId.length > 0) {
      this.sendChangeCipherSpec("middlebox compatibility (RFC 8446 D.4)");
      return true;
    }
    return sent;
  }

  // ------------------------------------------------------------------------------------------------ client certificate

  /** The client's Certificate (either version): the chain checked against the client trust anchors; its leaf key, or none sent. */
  checkClientCertificate(m: DecodedHandshake): PublicKeyInfo | undefined {
    this.absorb(m.raw);
    const chain = m.details.certificates ?? [];
    if (chain.length === 0) {
      if (this.o.requireClientCertificate) {
        // RFC 8446 §4.4.2.4: certificate_required in TLS 1.3; TLS 1.2 has only handshake_failure (RFC 5246 §7.4.6).
        throw new ProtocolError(this.tls13 ? Alert.certificate_required : Alert.handshake_failure, "the client sent no certificate", "client certificate");
      }
      this.log.check("server", "client certificate", false, "the client sent no certificate", "not fatal: the server asked but does not require one");
      return undefined;
    }
    const checks = verifyChain(chain, { trustAnchors: this.o.clientTrustAnchors ?? [], now: this.now(), actor: "server" });
    this.log.checks(checks);
    const bad = checks.find((c) => !c.ok);
    if (bad)
      throw new ProtocolError(/anchor|issuer/.test(bad.title) ? Alert.unknown_ca : Alert.bad_certificate, `${bad.title}: ${bad.detail}`, bad.title, true);
    return parseCertificate(chain[0]).publicKey;
  }

  /** The client's CertificateVerify over `message` (TLS 1.2: the curve is the key's, RFC 8422 §5.10). */
  verifyClientSignature(m: DecodedHandshake, clientKey: PublicKeyInfo, message: Uint8Array, curveFromKey: boolean): void {
    const d = m.details;
    const r = verifyWithScheme(clientKey, decoded(d.signatureAlgorithm, "signature algorithm"), message, decoded(d.signature, "signature"), { curveFromKey });
    this.require("client CertificateVerify signature", r.ok, `${r.detail}, with the client certificate's key`, Alert.decrypt_error);
    this.absorb(m.raw);
  }

  // ------------------------------------------------------------------------------------------------ post-handshake

  private onPostHandshake(m: DecodedHandshake): void {
    const k = this.keys13();
    if (this.tls13 && k && m.type === HandshakeType.key_update) return this.peerKeyUpdate(k, m.details.requestUpdate);
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
}
