/**
 * The TLS 1.2 server's flights (RFC 5246, with RFC 7627 EMS, RFC 7366 encrypt-then-MAC, RFC 5077 tickets, RFC 5746
 * renegotiation_info): the ClientHello (a resumption by ticket or session id, or a full handshake with the
 * server's Certificate, ServerKeyExchange, CertificateRequest and ServerHelloDone), the client's key exchange,
 * ChangeCipherSpec and Finished, and the server's closing flight. Each function takes the state the server waits
 * in and returns the next.
 */
import type { DecodedHandshake } from "../../tls/handshake/types";
import * as E from "../../tls/encode";
import { CipherSuite, ExtensionType, NamedGroup, ProtocolVersion } from "../../tls/registry";
import { Alert, decoded, ProtocolError } from "../alerts";
import { dhKeyPair, dhSharedSecret, ffdheGroup } from "../crypto/ffdh";
import { rsaDecryptPkcs1 } from "../crypto/rsa";
import { groupName, isSupportedGroup12, keyPairFor, sharedSecretFor } from "../kex";
import type { Server, ServerState } from "../server";
import { ServerSessionCache, type Session12 } from "../sessions";
import { chooseScheme, schemeName, signWithScheme, type SigningKey } from "../signatures";
import { suiteParams, type SuiteParams } from "../suites";
import { concatAll, DOWNGRADE_TLS12, SERVER_GROUPS, SERVER_SUITES_12, VERIFIABLE_SCHEMES } from "../tls13Common";
import type { PublicKeyInfo } from "../x509Parse";
import { checkFinished12, deriveKeyBlock12, deriveMasterSecret12, sendFinished12, type Keys12 } from "./keys";

/** What every state after the ServerHello knows. */
export interface ServerHandshake12 {
  suite: SuiteParams;
  clientRandom: Uint8Array;
  serverRandom: Uint8Array;
  sessionId: Uint8Array;
  ems: boolean;
  etm: boolean;
  /** The client asked for a ticket and this is a full handshake: a NewSessionTicket goes before our Finished. */
  sendTicket: boolean;
}

/** How the premaster secret will be found: the certificate's RSA key (key transport) or our (EC)DH private key. */
export type ServerKx12 = { kind: "RSA"; key: SigningKey } | { kind: "DH"; group: number; privateKey: Uint8Array };

export type Server12State =
  | { at: "Certificate"; tls12: ServerHandshake12; kx: ServerKx12 }
  | { at: "ClientKeyExchange"; tls12: ServerHandshake12; kx: ServerKx12; clientKey?: PublicKeyInfo }
  | { at: "CertificateVerify"; tls12: ServerHandshake12; keys: Keys12; clientKey: PublicKeyInfo }
  | { at: "CCS"; tls12: ServerHandshake12; keys: Keys12; resumed: boolean }
  | { at: "Finished12"; tls12: ServerHandshake12; keys: Keys12; resumed: boolean }
  | { at: "Done"; tls12: ServerHandshake12 };

/** A TLS 1.2 ClientHello: resumption first (RFC 5246 §7.3, RFC 5077 §3.4), else a full handshake's first flight. */
export function onClientHello12(sv: Server, m: DecodedHandshake): Server12State {
  const d = m.details;
  const clientSuites = d.cipherSuites ?? [];
  const clientGroups = (m.fields.supportedGroups as number[] | undefined) ?? [];
  const ourGroups = (sv.o.groups ?? SERVER_GROUPS).filter((g) => !ffdheGroup(g) && isSupportedGroup12(g));
  const ecGroup = ourGroups.find((g) => clientGroups.includes(g)) ?? (clientGroups.length === 0 ? NamedGroup.secp256r1 : undefined);
  // RFC 7919 §4: a DHE group the client names in supported_groups, else ffdhe2048.
  const ffdhe = [NamedGroup.ffdhe2048, NamedGroup.ffdhe3072, NamedGroup.ffdhe4096, NamedGroup.ffdhe6144, NamedGroup.ffdhe8192];
  const dheGroup = (sv.o.groups ?? ffdhe).find((g) => !!ffdheGroup(g) && clientGroups.includes(g)) ?? NamedGroup.ffdhe2048;
  const has = (t: number) => !!d.extensions?.some((e) => e.type === t);
  const clientSessionId = decoded(d.sessionId, "session id");
  const ticketExt = d.extensions?.find((e) => e.type === ExtensionType.session_ticket);
  let resumed: Session12 | undefined;
  if (ticketExt && ticketExt.data.length > 0) resumed = sv.cache.tickets12.get(ServerSessionCache.key(ticketExt.data));
  else if (clientSessionId.length > 0) resumed = sv.cache.byId.get(ServerSessionCache.key(clientSessionId));
  if (resumed && (!clientSuites.includes(resumed.suite) || resumed.extendedMasterSecret !== has(ExtensionType.extended_master_secret))) resumed = undefined;
  const prefs = (sv.o.cipherSuites ?? SERVER_SUITES_12).filter((s) => {
    const p = suiteParams(s);
    if (!p || p.tls13 || !clientSuites.includes(s)) return false;
    if (!sv.pickCredential(p.authentication, p.keyExchange === "RSA")) return false;
    if (p.keyExchange === "ECDHE" && ecGroup === undefined) return false;
    return true;
  });
  const code = resumed?.suite ?? prefs[0];
  const suite = sv.must(
    "a common TLS 1.2 cipher suite",
    code !== undefined && suiteParams(code),
    `client offers ${clientSuites.map((s) => "0x" + s.toString(16)).join(", ")}`,
    Alert.handshake_failure,
  );
  sv.suite = suite;
  sv.transcript.setHash(suite.hash);
  sv.absorb(m.raw);
  const ems = sv.o.extendedMasterSecret !== false && has(ExtensionType.extended_master_secret);
  const etm = sv.o.encryptThenMac !== false && has(ExtensionType.encrypt_then_mac) && !!suite.cbc;
  const sendTicket = !resumed && sv.o.issueTickets !== false && has(ExtensionType.session_ticket);
  const serverRandom = sv.rng(32);
  // RFC 8446 §4.1.3: a TLS 1.3-capable server negotiating TLS 1.2 marks its random.
  if ((sv.o.versions ?? [ProtocolVersion.TLSv1_3, ProtocolVersion.TLSv1_2]).includes(ProtocolVersion.TLSv1_3)) serverRandom.set(DOWNGRADE_TLS12, 24);
  sv.secret("server_random", serverRandom, [], "32 random bytes: ServerHello.random (last 8 = DOWNGRD sentinel when TLS 1.3 is supported)");
  const exts: E.ExtensionData[] = [];
  // RFC 5746 §3.6: answer the extension or the TLS_EMPTY_RENEGOTIATION_INFO_SCSV (0x00ff) with an empty one.
  if (has(ExtensionType.renegotiation_info) || clientSuites.includes(CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV)) exts.push(E.renegotiationInfoExt());
  if (ems) exts.push(E.extendedMasterSecretExt());
  if (etm) exts.push(E.encryptThenMacExt());
  if (sendTicket) exts.push(E.sessionTicketExt());
  if (suite.keyExchange === "ECDHE" || suite.authentication === "ECDSA") exts.push(E.ecPointFormatsExt([0]));
  if (d.sni && !resumed) exts.push(E.serverNameAck());
  sv.alpn = sv.pickAlpn(d.alpn);
  if (sv.alpn) exts.push(E.alpnExt([sv.alpn]));
  const clientRandom = sv.clientRandom;
  if (resumed)
    return resume12(
      sv,
      { suite, clientRandom, serverRandom, ems, etm, sendTicket, sessionId: clientSessionId.slice() },
      exts,
      resumed,
      !!ticketExt?.data.length,
    );
  return sendFullFlight12(sv, m, { suite, clientRandom, serverRandom, ems, etm, sendTicket, sessionId: sv.rng(32) }, exts, ecGroup, dheGroup);
}

/** An abbreviated handshake (RFC 5246 §7.3): ServerHello echoing the client's session id, then CCS and Finished. */
function resume12(sv: Server, hs: ServerHandshake12, exts: E.ExtensionData[], resumed: Session12, byTicket: boolean): Server12State {
  const { suite, clientRandom, serverRandom, etm } = hs;
  // Echo the client's session id (for a ticket: the id the client made up, RFC 5077 §3.4).
  sv.sendHandshake(E.encodeServerHello({ random: serverRandom, sessionId: hs.sessionId, cipherSuite: suite.suite, extensions: exts }), {
    note: "session resumed: abbreviated handshake (RFC 5246 §7.3)",
  });
  const master = resumed.masterSecret;
  sv.secret("master_secret", master, ["resumed session"], `the master secret of the resumed session (${byTicket ? "from the ticket" : "by session id"})`);
  const keyBlock = deriveKeyBlock12(sv, suite, master, clientRandom, serverRandom);
  sv.sendChangeCipherSpec();
  sv.setWriteKeys(suite, keyBlock.server, "application", etm);
  sendFinished12(sv, suite, master);
  return { at: "CCS", tls12: hs, keys: { master, keyBlock }, resumed: true };
}

/**
 * A full handshake's first flight (RFC 5246 §7.3): ServerHello, Certificate, ServerKeyExchange for (EC)DHE,
 * CertificateRequest when configured, ServerHelloDone.
 */
function sendFullFlight12(
  sv: Server,
  m: DecodedHandshake,
  hs: ServerHandshake12,
  exts: E.ExtensionData[],
  ecGroup: number | undefined,
  dheGroup: number,
): Server12State {
  const { suite, clientRandom, serverRandom } = hs;
  sv.sendHandshake(E.encodeServerHello({ random: serverRandom, sessionId: hs.sessionId, cipherSuite: suite.suite, extensions: exts }));
  const cred = sv.pickCredential(suite.authentication, suite.keyExchange === "RSA");
  // Unreachable: the suite was chosen among those with a credential.
  if (!cred) throw new ProtocolError(Alert.internal_error, `no credential for ${suite.name}`, "internal error");
  sv.sendHandshake(E.encodeCertificate12(cred.chain));
  let kx: ServerKx12 = { kind: "RSA", key: cred.key };
  if (suite.keyExchange !== "RSA") {
    let params: Uint8Array;
    if (suite.keyExchange === "ECDHE") {
      const group = decoded(ecGroup, "ECDHE group");
      const kp = keyPairFor(group, sv.rng);
      kx = { kind: "DH", group, privateKey: kp.privateKey };
      sv.secret(`server ${groupName(group)} private key`, kp.privateKey, [], "random scalar (never sent)");
      params = E.ecdheParams(group, kp.publicKey);
    } else {
      const ff = decoded(ffdheGroup(dheGroup), "DHE group");
      const kp = dhKeyPair(ff.p, ff.g, sv.rng);
      kx = { kind: "DH", group: dheGroup, privateKey: kp.privateKey };
      sv.secret("server DH private exponent", kp.privateKey, [], `random exponent (never sent); p and g of ${groupName(dheGroup)} (RFC 7919)`);
      params = E.dheParams(ff.p, ff.g, kp.publicKey);
    }
    const scheme = sv.must(
      "a common signature scheme",
      chooseScheme(cred.key, sv.clientSchemes(m), false, sv.o.signatureScheme),
      `client offers ${sv.clientSchemes(m).map(schemeName).join(", ")}`,
      Alert.handshake_failure,
    );
    const sig = signWithScheme(cred.key, scheme, concatAll([clientRandom, serverRandom, params]), sv.rng);
    sv.sendHandshake(E.encodeServerKeyExchange(params, scheme, sig), { note: "signed: client_random + server_random + params (RFC 5246 §7.4.3)" });
  }
  const requested = !!sv.o.requestClientCertificate;
  if (requested) sv.sendHandshake(E.encodeCertificateRequest12({ certificateTypes: [1, 64], signatureAlgorithms: VERIFIABLE_SCHEMES }));
  sv.sendHandshake(E.encodeServerHelloDone());
  return requested ? { at: "Certificate", tls12: hs, kx } : { at: "ClientKeyExchange", tls12: hs, kx };
}

/** The client's Certificate (asked for); none is acceptable unless required (RFC 5246 §7.4.6). */
export function onClientCertificate12(sv: Server, s: Extract<Server12State, { at: "Certificate" }>, m: DecodedHandshake): Server12State {
  const clientKey = sv.checkClientCertificate(m);
  return { at: "ClientKeyExchange", tls12: s.tls12, kx: s.kx, clientKey };
}

/** ClientKeyExchange: the premaster secret (RSA key transport or (EC)DH), the master secret and key block. */
export function onClientKeyExchange(sv: Server, s: Extract<Server12State, { at: "ClientKeyExchange" }>, m: DecodedHandshake): Server12State {
  const exchange = decoded(m.details.exchange, "exchange");
  const { tls12: hs, kx } = s;
  let premaster: Uint8Array;
  if (kx.kind === "RSA") {
    const key = kx.key;
    if (key.kind !== "rsa") throw new ProtocolError(Alert.internal_error, "RSA key transport without an RSA key", "server key type");
    const dec = rsaDecryptPkcs1(key.privateKey, exchange);
    const valid = !!dec && dec.length === 48 && dec[0] === 3 && dec[1] === 3;
    // RFC 5246 §7.4.7.1: on any failure continue with a random premaster so the failure shows only at Finished.
    premaster = valid && dec ? dec : sv.rng(48);
    sv.log.check(
      "server",
      "RSA premaster decryption",
      valid,
      valid ? "PKCS#1 v1.5 padding and client_version correct" : "padding or version wrong: continuing with a random premaster (RFC 5246 §7.4.7.1)",
      "a real server must not reveal this; the explorer shows it",
    );
    sv.secret("pre_master_secret", premaster, ["EncryptedPreMasterSecret", "server RSA private key"], "RSAES-PKCS1-v1_5 decryption (RFC 5246 §7.4.7.1)");
  } else {
    const ff = ffdheGroup(kx.group);
    try {
      premaster = ff ? dhSharedSecret(ff.p, kx.privateKey, exchange, false) : sharedSecretFor(kx.group, kx.privateKey, exchange, false);
    } catch (e) {
      throw new ProtocolError(Alert.illegal_parameter, `client key exchange: ${(e as Error).message}`, "client key share is valid");
    }
    sv.secret(
      "pre_master_secret",
      premaster,
      [ff ? "server DH private exponent" : `server ${groupName(kx.group)} private key`, "ClientKeyExchange public value"],
      `${groupName(kx.group)} shared secret`,
    );
  }
  sv.absorb(m.raw);
  const master = deriveMasterSecret12(sv, hs.suite, premaster, hs.clientRandom, hs.serverRandom, hs.ems);
  const keyBlock = deriveKeyBlock12(sv, hs.suite, master, hs.clientRandom, hs.serverRandom);
  const keys = { master, keyBlock };
  return s.clientKey ? { at: "CertificateVerify", tls12: hs, keys, clientKey: s.clientKey } : { at: "CCS", tls12: hs, keys, resumed: false };
}

/** RFC 5246 §7.4.8: the client's signature over every handshake message so far. */
export function onClientCertificateVerify12(sv: Server, s: Extract<Server12State, { at: "CertificateVerify" }>, m: DecodedHandshake): Server12State {
  sv.verifyClientSignature(m, s.clientKey, concatAll(sv.handshakeMessages), true);
  return { at: "CCS", tls12: s.tls12, keys: s.keys, resumed: false };
}

/** The client's ChangeCipherSpec: its writes are protected from here (RFC 5246 §7.1). */
export function onChangeCipherSpec12(sv: Server, s: ServerState): Server12State {
  if (s.at !== "CCS") throw new ProtocolError(Alert.unexpected_message, `ChangeCipherSpec while expecting ${s.at}`, "message order");
  sv.setReadKeys(s.tls12.suite, s.keys.keyBlock.client, "application", s.tls12.etm);
  return { at: "Finished12", tls12: s.tls12, keys: s.keys, resumed: s.resumed };
}

/** The client's Finished; after a full handshake the session is cached and the server's closing flight goes out. */
export function onFinished12(sv: Server, s: Extract<Server12State, { at: "Finished12" }>, m: DecodedHandshake): Server12State {
  const { tls12: hs, keys } = s;
  checkFinished12(sv, hs.suite, m, keys.master);
  sv.absorb(m.raw);
  if (!s.resumed) {
    const session: Session12 = {
      version: ProtocolVersion.TLSv1_2,
      suite: hs.suite.suite,
      masterSecret: keys.master,
      extendedMasterSecret: hs.ems,
      sessionId: hs.sessionId,
    };
    sv.cache.remember(sv.cache.byId, hs.sessionId, session);
    if (hs.sendTicket) {
      const ticket = sv.rng(48);
      sv.cache.remember(sv.cache.tickets12, ticket, { ...session, ticket });
      sv.sendHandshake(E.encodeNewSessionTicket12(7200, ticket), { note: "RFC 5077: an opaque handle into the server's session cache" });
    }
    sv.sendChangeCipherSpec();
    sv.setWriteKeys(hs.suite, keys.keyBlock.server, "application", hs.etm);
    sendFinished12(sv, hs.suite, keys.master);
  }
  sv.state = "connected";
  return { at: "Done", tls12: hs };
}
