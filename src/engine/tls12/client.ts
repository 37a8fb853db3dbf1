/**
 * The TLS 1.2 client's flights (RFC 5246, with RFC 7627 extended master secret, RFC 7366 encrypt-then-MAC,
 * RFC 5077 tickets): the ServerHello (a full handshake, or a resumption by session id or ticket), the server's
 * Certificate, ServerKeyExchange, CertificateRequest and ServerHelloDone, the client's key exchange flight, the
 * ticket, ChangeCipherSpec and Finished. Each function takes the state the client waits in and returns the next.
 */
import type { DecodedHandshake } from "../../tls/handshake/types";
import * as E from "../../tls/encode";
import { ECCurveType, ExtensionType, ProtocolVersion } from "../../tls/registry";
import { Alert, decoded, ProtocolError } from "../alerts";
import type { Client, ClientState, Hello } from "../client";
import { dhKeyPair, dhSharedSecret } from "../crypto/ffdh";
import { groupName, isSupportedGroup12, keyPairFor, sharedSecretFor } from "../kex";
import { createPremaster } from "../rsaKeyTransport";
import type { Session12 } from "../sessions";
import { chooseScheme, signWithScheme, verifyWithScheme } from "../signatures";
import type { SuiteParams } from "../suites";
import { concatAll, DEFAULT_GROUPS, equalBytes, hasDowngradeSentinel } from "../tls13Common";
import type { PublicKeyInfo } from "../x509Parse";
import { checkFinished12, deriveKeyBlock12, deriveMasterSecret12, sendFinished12, type Keys12 } from "./keys";

/** What every state after the ServerHello knows: the suite, both randoms and the extensions negotiated. */
export interface Handshake12 {
  suite: SuiteParams;
  clientRandom: Uint8Array;
  serverRandom: Uint8Array;
  /** The session id the server gave (kept for resumption by id). */
  serverSessionId: Uint8Array;
  ems: boolean;
  etm: boolean;
  /** The server answered session_ticket: a NewSessionTicket comes before its ChangeCipherSpec (RFC 5077 §3.3). */
  ticketExpected: boolean;
  /** The server answered renegotiation_info (RFC 5746): a renegotiation could be bound to this connection. */
  secureRenegotiation: boolean;
}

/** The server's key exchange parameters, by the suite's key exchange. */
export type ServerKx12 =
  { kind: "RSA" } | { kind: "ECDHE"; group: number; publicKey: Uint8Array } | { kind: "DHE"; p: Uint8Array; g: Uint8Array; ys: Uint8Array };

/** After the server's Certificate: its key, and (once known) its key exchange parameters. */
interface Authenticated12 {
  hs: Handshake12;
  serverKey: PublicKeyInfo;
  kx: ServerKx12;
}

export type Client12State =
  | { at: "Certificate12"; hs: Handshake12 }
  | { at: "ServerKeyExchange"; hs: Handshake12; serverKey: PublicKeyInfo }
  | ({ at: "RequestOrDone" } & Authenticated12)
  | ({ at: "ServerHelloDone"; certSchemes: number[] } & Authenticated12)
  | { at: "TicketOrCCS"; hs: Handshake12; keys: Keys12; resuming: boolean }
  | { at: "CCS"; hs: Handshake12; keys: Keys12; resuming: boolean; newTicket: Uint8Array }
  | { at: "Finished12"; hs: Handshake12; keys: Keys12; resuming: boolean; newTicket?: Uint8Array }
  | { at: "Done"; tls12: { secureRenegotiation: boolean } };

/** The ServerHello of a TLS 1.2 handshake: the extensions answered, and whether the server resumes a session. */
export function onServerHello12(c: Client, hello: Hello, suite: SuiteParams, m: DecodedHandshake): Client12State {
  const d = m.details;
  if (c.offers13) {
    c.require(
      "no downgrade sentinel (RFC 8446 §4.1.3)",
      !hasDowngradeSentinel(decoded(d.random, "random")),
      "a TLS 1.3 server negotiating TLS 1.2 with a TLS 1.3 client sets DOWNGRD\\x01",
      Alert.illegal_parameter,
    );
  }
  const serverRandom = decoded(d.random, "random");
  const sessionId = decoded(d.sessionId, "session_id");
  c.transcript.setHash(suite.hash);
  c.absorb(m.raw);
  const has = (t: number) => !!d.extensions?.some((e) => e.type === t);
  // RFC 5746 §3.4: the client sent an empty renegotiation_info; the server must answer with an empty one
  // (renegotiated_connection of length 0), or the connection does not support secure renegotiation.
  const ri = d.extensions?.find((e) => e.type === ExtensionType.renegotiation_info);
  if (ri)
    c.require("renegotiation_info is empty (RFC 5746 §3.4)", ri.data.length === 1 && ri.data[0] === 0, `${ri.data.length} bytes`, Alert.handshake_failure);
  else
    c.log.check(
      "client",
      "secure renegotiation (RFC 5746)",
      false,
      "the server sent no renegotiation_info",
      "not fatal: it only matters if someone renegotiates",
    );
  const hs: Handshake12 = {
    suite,
    clientRandom: hello.random,
    serverRandom,
    serverSessionId: sessionId.slice(),
    ems: c.o.extendedMasterSecret !== false && has(ExtensionType.extended_master_secret),
    etm: c.o.encryptThenMac !== false && has(ExtensionType.encrypt_then_mac) && !!suite.cbc,
    ticketExpected: c.o.sessionTicket !== false && has(ExtensionType.session_ticket),
    secureRenegotiation: !!ri,
  };
  const alpn = d.alpn?.[0];
  if (alpn !== undefined) {
    c.require("ALPN protocol is one we offered", !!c.o.alpn?.includes(alpn), `server selected "${alpn}"`, Alert.illegal_parameter);
    c.alpn = alpn;
  }
  const s = c.o.session;
  if (s?.version === ProtocolVersion.TLSv1_2 && hello.sessionId.length > 0 && equalBytes(sessionId, hello.sessionId)) {
    // RFC 5246 §7.3 / RFC 5077 §3.4: the echoed session id means the server resumes.
    c.require(
      "resumed session keeps its cipher suite and EMS",
      s.suite === suite.suite && s.extendedMasterSecret === hs.ems,
      `suite 0x${suite.suite.toString(16)}, EMS ${hs.ems}`,
      Alert.illegal_parameter,
    );
    const master = s.masterSecret;
    c.secret("master_secret", master, ["resumed session"], `the master secret of the resumed session (${s.ticket ? "from the ticket" : "by session id"})`);
    const keyBlock = deriveKeyBlock12(c, suite, master, hs.clientRandom, hs.serverRandom);
    return { at: "TicketOrCCS", hs, keys: { master, keyBlock }, resuming: true };
  }
  return { at: "Certificate12", hs };
}

export function onCertificate12(c: Client, hs: Handshake12, m: DecodedHandshake): Client12State {
  const serverKey = c.checkServerCertificate(m);
  return hs.suite.keyExchange === "RSA" ? { at: "RequestOrDone", hs, serverKey, kx: { kind: "RSA" } } : { at: "ServerKeyExchange", hs, serverKey };
}

export function onServerKeyExchange(c: Client, s: Extract<Client12State, { at: "ServerKeyExchange" }>, m: DecodedHandshake): Client12State {
  const d = m.details;
  const { hs } = s;
  const signed = concatAll([hs.clientRandom, hs.serverRandom, decoded(d.signedParams, "params")]);
  const scheme = decoded(d.signatureAlgorithm, "signature algorithm");
  // TLS 1.2: the scheme names the hash; the curve is the certificate's (RFC 8422 §5.10).
  const r = verifyWithScheme(s.serverKey, scheme, signed, decoded(d.signature, "signature"), { curveFromKey: true });
  c.require("ServerKeyExchange signature", r.ok, `${r.detail}, over client_random + server_random + params (RFC 5246 §7.4.3)`, Alert.decrypt_error);
  let kx: ServerKx12;
  if (hs.suite.keyExchange === "ECDHE") {
    const group = c.must(
      "ECDHE group is one we offered",
      d.curveType === ECCurveType.named_curve &&
        d.namedGroup !== undefined &&
        (c.o.groups ?? DEFAULT_GROUPS).includes(d.namedGroup) &&
        isSupportedGroup12(d.namedGroup) && { group: d.namedGroup },
      `named group ${groupName(d.namedGroup ?? -1)}`,
      Alert.illegal_parameter,
    ).group;
    kx = { kind: "ECDHE", group, publicKey: decoded(d.publicKey, "public key") };
  } else {
    const p = decoded(d.dhP, "dh_p");
    const bits = p.length * 8;
    c.require("DH group size is at least 2048 bits", bits >= 2048, `p is ${bits} bits`, Alert.insufficient_security);
    kx = { kind: "DHE", p, g: decoded(d.dhG, "dh_g"), ys: decoded(d.dhYs, "dh_Ys") };
  }
  c.absorb(m.raw);
  return { at: "RequestOrDone", hs, serverKey: s.serverKey, kx };
}

/** RFC 5246 §7.4.4: the schemes the server accepts for the client's CertificateVerify. */
export function onCertificateRequest12(c: Client, s: Extract<Client12State, { at: "RequestOrDone" }>, m: DecodedHandshake): Client12State {
  c.absorb(m.raw);
  const certSchemes = (m.fields.signatureAlgorithms as number[] | undefined) ?? [];
  return { ...s, at: "ServerHelloDone", certSchemes };
}

/**
 * ServerHelloDone, and the client's flight: its Certificate when asked, ClientKeyExchange (RSA key transport,
 * ECDHE or DHE), the master secret and key block, CertificateVerify, ChangeCipherSpec and Finished.
 */
export function onServerHelloDone(c: Client, s: Authenticated12 & { certSchemes?: number[] }, m: DecodedHandshake): Client12State {
  c.absorb(m.raw);
  const { hs, kx } = s;
  const cred = s.certSchemes ? c.o.clientCertificate : undefined;
  if (s.certSchemes) c.sendHandshake(E.encodeCertificate12(cred?.chain ?? []));
  let premaster: Uint8Array;
  if (kx.kind === "RSA") {
    if (s.serverKey.kind !== "rsa") throw new ProtocolError(Alert.handshake_failure, "RSA key transport needs an RSA server certificate", "server key type");
    // RFC 5246 §7.4.7.1: client_version (the highest offered, TLS 1.2) || 46 random bytes.
    const pm = createPremaster(s.serverKey.key, ProtocolVersion.TLSv1_2, c.rng);
    premaster = pm.premaster;
    c.secret("pre_master_secret", premaster, ["client_version", "46 random bytes"], "client_version || random (RFC 5246 §7.4.7.1)");
    c.sendHandshake(E.encodeClientKeyExchange("rsa", pm.encrypted), {
      note: "the premaster secret encrypted to the server certificate's RSA key (PKCS#1 v1.5)",
    });
  } else if (kx.kind === "ECDHE") {
    const kp = keyPairFor(kx.group, c.rng);
    c.secret(`client ${groupName(kx.group)} private key`, kp.privateKey, [], "random scalar (never sent)");
    try {
      premaster = sharedSecretFor(kx.group, kp.privateKey, kx.publicKey, false);
    } catch (e) {
      throw new ProtocolError(Alert.illegal_parameter, `server ECDH public key: ${(e as Error).message}`, "server key share is valid");
    }
    c.secret(
      "pre_master_secret",
      premaster,
      [`client ${groupName(kx.group)} private key`, "ServerKeyExchange public key"],
      `${groupName(kx.group)} shared secret (RFC 8422 §5.10)`,
    );
    c.sendHandshake(E.encodeClientKeyExchange("ecdh", kp.publicKey));
  } else {
    const kp = dhKeyPair(kx.p, kx.g, c.rng);
    c.secret("client DH private exponent", kp.privateKey, [], "random exponent (never sent)");
    try {
      premaster = dhSharedSecret(kx.p, kp.privateKey, kx.ys, false);
    } catch (e) {
      throw new ProtocolError(Alert.illegal_parameter, `server DH value: ${(e as Error).message}`, "server key share is valid");
    }
    c.secret("pre_master_secret", premaster, ["client DH private exponent", "dh_Ys"], "dh_Ys^x mod p, leading zeros stripped (RFC 5246 §8.1.2)");
    c.sendHandshake(E.encodeClientKeyExchange("dh", kp.publicKey));
  }
  const master = deriveMasterSecret12(c, hs.suite, premaster, hs.clientRandom, hs.serverRandom, hs.ems);
  c.keylog("CLIENT_RANDOM", hs.clientRandom, master);
  const keyBlock = deriveKeyBlock12(c, hs.suite, master, hs.clientRandom, hs.serverRandom);
  if (cred && cred.chain.length > 0) {
    const scheme = chooseScheme(cred.key, s.certSchemes, false);
    if (scheme === undefined)
      throw new ProtocolError(Alert.handshake_failure, "no signature scheme in common for the client certificate", "client signature scheme");
    // RFC 5246 §7.4.8: the signature covers every handshake message so far.
    const sig = signWithScheme(cred.key, scheme, concatAll(c.handshakeMessages), c.rng);
    c.sendHandshake(E.encodeCertificateVerify(scheme, sig));
  }
  c.sendChangeCipherSpec();
  c.setWriteKeys(hs.suite, keyBlock.client, "application", hs.etm);
  sendFinished12(c, hs.suite, master);
  return { at: "TicketOrCCS", hs, keys: { master, keyBlock }, resuming: false };
}

export function onNewSessionTicket12(c: Client, s: Extract<Client12State, { at: "TicketOrCCS" }>, m: DecodedHandshake): Client12State {
  c.absorb(m.raw);
  return { at: "CCS", hs: s.hs, keys: s.keys, resuming: s.resuming, newTicket: decoded(m.details.ticket, "ticket").slice() };
}

/** The server's ChangeCipherSpec: its writes are protected from here (RFC 5246 §7.1). */
export function onChangeCipherSpec12(c: Client, s: ClientState): Client12State {
  if (s.at !== "TicketOrCCS" && s.at !== "CCS") throw new ProtocolError(Alert.unexpected_message, `ChangeCipherSpec while expecting ${s.at}`, "message order");
  if (s.at === "TicketOrCCS" && s.hs.ticketExpected) {
    throw new ProtocolError(
      Alert.unexpected_message,
      "server promised a NewSessionTicket (session_ticket extension) but sent ChangeCipherSpec",
      "message order",
    );
  }
  c.setReadKeys(s.hs.suite, s.keys.keyBlock.server, "application", s.hs.etm);
  return { at: "Finished12", hs: s.hs, keys: s.keys, resuming: s.resuming, newTicket: s.at === "CCS" ? s.newTicket : undefined };
}

/** The server's Finished; when resuming, the client's ChangeCipherSpec and Finished follow (RFC 5246 §7.3). */
export function onFinished12(c: Client, s: Extract<Client12State, { at: "Finished12" }>, m: DecodedHandshake): Client12State {
  const { hs, keys } = s;
  checkFinished12(c, hs.suite, m, keys.master);
  c.absorb(m.raw);
  if (s.resuming) {
    c.sendChangeCipherSpec();
    c.setWriteKeys(hs.suite, keys.keyBlock.client, "application", hs.etm);
    sendFinished12(c, hs.suite, keys.master);
  }
  c.state = "connected";
  const resumed = c.o.session;
  const ticket = s.newTicket ?? (resumed?.version === ProtocolVersion.TLSv1_2 && s.resuming ? resumed.ticket : undefined);
  const session: Session12 = {
    version: ProtocolVersion.TLSv1_2,
    suite: hs.suite.suite,
    masterSecret: keys.master,
    extendedMasterSecret: hs.ems,
    sessionId: hs.serverSessionId,
    serverName: c.o.serverName,
  };
  if (ticket) session.ticket = ticket;
  if (session.sessionId.length > 0 || session.ticket) c.o.onSession?.(session);
  return { at: "Done", tls12: { secureRenegotiation: hs.secureRenegotiation } };
}
