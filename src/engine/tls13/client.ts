/**
 * The TLS 1.3 client's flights (RFC 8446): the answer to a HelloRetryRequest, the ServerHello and its handshake
 * keys, the server's encrypted flight (EncryptedExtensions, CertificateRequest, Certificate, CertificateVerify,
 * Finished) and the client's own second flight, then tickets after the handshake. Each function takes the state
 * the client waits in and returns the next one; what a state carries is what has been established so far.
 */
import type { DecodedHandshake } from "../../tls/handshake/types";
import * as E from "../../tls/encode";
import { ExtensionType, ProtocolVersion } from "../../tls/registry";
import { Alert, decoded, ProtocolError } from "../alerts";
import type { Client, ClientShare, Hello } from "../client";
import { HybridError, hybridLayout, logClientSecrets } from "../hybridKex";
import { groupName, sharedSecretFor } from "../kex";
import type { KeySchedule13 } from "../keySchedule13";
import type { Session13 } from "../sessions";
import { chooseScheme, OFFERED_SCHEMES, schemeName, signWithScheme, verifyWithScheme } from "../signatures";
import { suiteParams, type SuiteParams } from "../suites";
import { messageHash } from "../transcript";
import type { PublicKeyInfo } from "../x509Parse";
import { certificateVerifyContent, DEFAULT_GROUPS, equalBytes, hex } from "../tls13Common";

/** What every state after the ServerHello knows: the suite, the key schedule, and whether the compatibility CCS went out. */
export interface Handshake13 {
  suite: SuiteParams;
  ks: KeySchedule13;
  sentCcs: boolean;
}

/** A CertificateRequest (RFC 8446 §4.3.2): its context and the signature schemes it accepts. */
export interface CertRequest13 {
  context: Uint8Array;
  schemes: number[];
}

export type Client13State =
  | { at: "EncryptedExtensions"; hs: Handshake13; pskAccepted: boolean }
  | { at: "CertificateOrRequest"; hs: Handshake13 }
  | { at: "Certificate"; hs: Handshake13; certRequest: CertRequest13 }
  | { at: "CertificateVerify"; hs: Handshake13; certRequest?: CertRequest13; serverKey: PublicKeyInfo }
  | { at: "Finished"; hs: Handshake13; certRequest?: CertRequest13 }
  | { at: "Done"; tls13: Handshake13 };

/**
 * RFC 8446 §4.1.4: the server wants another key share. ClientHello1 becomes message_hash in the transcript and a
 * second ClientHello goes out (same random and session id, the requested share, the cookie; RFC 8446 §4.1.2).
 */
export function onHelloRetryRequest(c: Client, hello: Hello, suite: SuiteParams, m: DecodedHandshake): Hello {
  const d = m.details;
  if (hello.retry) throw new ProtocolError(Alert.unexpected_message, "second HelloRetryRequest", "message order");
  const group = d.selectedGroup;
  c.require(
    "HelloRetryRequest selected_group is acceptable",
    group !== undefined && (c.o.groups ?? DEFAULT_GROUPS).includes(group) && !hello.shares.has(group),
    `server asked for ${group === undefined ? "no group" : groupName(group)}; it must be offered in supported_groups and not already shared (RFC 8446 §4.2.8)`,
    Alert.illegal_parameter,
  );
  const cookieExt = d.extensions?.find((e) => e.type === ExtensionType.cookie);
  const cookie = cookieExt ? cookieExt.data.subarray(2).slice() : undefined;
  // RFC 8446 §4.4.1: ClientHello1 is replaced by message_hash(Hash(ClientHello1)).
  const hash = suite.hash;
  c.transcript.setHash(hash);
  const ch1Hash = c.transcript.current();
  c.transcript.replaceWithMessageHash();
  c.absorb(m.raw);
  const shares = new Map<number, ClientShare>();
  c.makeShare(shares, decoded(group, "selected_group"));
  let sentCcs = hello.sentCcs;
  if (c.o.middleboxCompat !== false && !sentCcs) {
    c.sendChangeCipherSpec("middlebox compatibility (RFC 8446 D.4), before the second ClientHello");
    sentCcs = true;
  }
  const second: Hello = { ...hello, shares, sentCcs, retry: { prefix: [messageHash(hash, ch1Hash), m.raw], suite: suite.suite, cookie } };
  // The second ClientHello is decoded without a negotiated version, like the first.
  c.version = null;
  second.pskSchedule = c.sendClientHello(second);
  c.version = ProtocolVersion.TLSv1_3;
  return second;
}

/** The ServerHello: the share answered, the PSK accepted or not, and the handshake traffic keys (RFC 8446 §7.1). */
export function onServerHello13(c: Client, hello: Hello, suite: SuiteParams, m: DecodedHandshake): Client13State {
  const d = m.details;
  const sessionId = decoded(d.sessionId, "legacy_session_id_echo");
  c.require("legacy_session_id_echo matches", equalBytes(sessionId, hello.sessionId), `echo ${hex(sessionId)}`, Alert.illegal_parameter);
  if (hello.retry)
    c.require("cipher suite unchanged since HelloRetryRequest", hello.retry.suite === suite.suite, `0x${suite.suite.toString(16)}`, Alert.illegal_parameter);
  const share = d.keyShares?.[0];
  const mine = c.must(
    "key_share group is one we sent",
    share && hello.shares.get(share.group),
    share ? `server share for ${groupName(share.group)}` : "no key_share (psk_ke was not offered)",
    Alert.illegal_parameter,
  );
  const hash = suite.hash;
  c.transcript.setHash(hash);
  c.absorb(m.raw);
  const s = c.o.session;
  let ks: KeySchedule13;
  let pskAccepted = false;
  if (d.selectedIdentity !== undefined) {
    ks = c.must(
      "selected PSK identity was offered",
      d.selectedIdentity === 0 && s?.version === ProtocolVersion.TLSv1_3 && suiteParams(s.suite)?.hash === hash && hello.pskSchedule,
      `selected_identity ${d.selectedIdentity}`,
      Alert.illegal_parameter,
    );
    pskAccepted = true;
  } else {
    ks = c.newSchedule(hash, hello.random);
    ks.earlySecret();
  }
  const shared = sharedSecret13(c, mine.group, mine, decoded(share, "key_share").keyExchange);
  ks.handshakeSecret(shared);
  const th = c.transcript.current();
  ks.clientHandshakeTrafficSecret(th);
  ks.serverHandshakeTrafficSecret(th);
  c.setReadKeys(suite, ks.trafficKeys(suite, "server_handshake_traffic_secret"), "handshake");
  c.setWriteKeys(suite, ks.trafficKeys(suite, "client_handshake_traffic_secret"), "handshake");
  return { at: "EncryptedExtensions", hs: { suite, ks, sentCcs: hello.sentCcs }, pskAccepted };
}

/** The (EC)DHE input from the server's share: an ECDH or finite-field secret, or a hybrid's two halves. */
function sharedSecret13(c: Client, group: number, mine: ClientShare, serverShare: Uint8Array): Uint8Array {
  const hybrid = hybridLayout(group);
  try {
    if (hybrid && mine.hybrid) return logClientSecrets(hybrid, mine.hybrid, serverShare, (...a) => c.secret(...a));
    const shared = sharedSecretFor(group, mine.privateKey, serverShare, true);
    c.secret(
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

export function onEncryptedExtensions(c: Client, s: Extract<Client13State, { at: "EncryptedExtensions" }>, m: DecodedHandshake): Client13State {
  c.absorb(m.raw);
  const alpn = m.details.alpn?.[0];
  if (alpn !== undefined) {
    c.require("ALPN protocol is one we offered", !!c.o.alpn?.includes(alpn), `server selected "${alpn}"`, Alert.illegal_parameter);
    c.alpn = alpn;
  }
  return s.pskAccepted ? { at: "Finished", hs: s.hs } : { at: "CertificateOrRequest", hs: s.hs };
}

/** RFC 8446 §4.3.2: the schemes come in the request's own signature_algorithms extension. */
export function onCertificateRequest13(c: Client, hs: Handshake13, m: DecodedHandshake): Client13State {
  c.absorb(m.raw);
  const d = m.details;
  const schemes: number[] = [];
  const ext = d.extensions?.find((e) => e.type === ExtensionType.signature_algorithms);
  if (ext) for (let i = 2; i + 1 < ext.data.length; i += 2) schemes.push((ext.data[i] << 8) | ext.data[i + 1]);
  return { at: "Certificate", hs, certRequest: { context: d.certificateRequestContext ?? new Uint8Array(0), schemes } };
}

export function onCertificate13(c: Client, hs: Handshake13, certRequest: CertRequest13 | undefined, m: DecodedHandshake): Client13State {
  const serverKey = c.checkServerCertificate(m);
  return { at: "CertificateVerify", hs, certRequest, serverKey };
}

export function onCertificateVerify13(c: Client, s: Extract<Client13State, { at: "CertificateVerify" }>, m: DecodedHandshake): Client13State {
  const d = m.details;
  const content = certificateVerifyContent("server", c.transcript.current());
  const scheme = decoded(d.signatureAlgorithm, "signature algorithm");
  const r = verifyWithScheme(s.serverKey, scheme, content, decoded(d.signature, "signature"));
  const allowed = (c.o.signatureSchemes ?? OFFERED_SCHEMES).includes(scheme);
  c.require(
    "server CertificateVerify signature",
    r.ok && allowed,
    allowed ? `${r.detail}, over the transcript through Certificate, with the leaf certificate's key` : `${schemeName(scheme)} was not offered`,
    Alert.decrypt_error,
  );
  c.absorb(m.raw);
  return { at: "Finished", hs: s.hs, certRequest: s.certRequest };
}

/**
 * The server's Finished, then the application traffic secrets and the client's second flight (the compatibility
 * CCS, Certificate and CertificateVerify when asked, Finished; RFC 8446 §4.4.4, §7.1).
 */
export function onFinished13(c: Client, s: Extract<Client13State, { at: "Finished" }>, m: DecodedHandshake): Client13State {
  const { ks, suite } = s.hs;
  const expected = ks.finished("server", c.transcript.current());
  const got = decoded(m.details.verifyData, "verify_data");
  const ok = equalBytes(expected, got);
  c.markFinished("s2c", ok);
  c.require("server Finished verify_data", ok, ok ? `HMAC matches ${hex(expected)}` : `received ${hex(got)}, expected ${hex(expected)}`, Alert.decrypt_error);
  c.absorb(m.raw);
  const th = c.transcript.current();
  ks.masterSecret();
  ks.clientApplicationTrafficSecret0(th);
  ks.serverApplicationTrafficSecret0(th);
  ks.exporterMasterSecret(th);
  c.setReadKeys(suite, ks.trafficKeys(suite, "server_application_traffic_secret_0"), "application");
  let sentCcs = s.hs.sentCcs;
  if (c.o.middleboxCompat !== false && !sentCcs) {
    c.sendChangeCipherSpec("middlebox compatibility (RFC 8446 D.4)");
    sentCcs = true;
  }
  if (s.certRequest) {
    const cred = c.o.clientCertificate;
    c.sendHandshake(E.encodeCertificate13(cred?.chain ?? [], s.certRequest.context));
    if (cred) {
      const scheme = chooseScheme(cred.key, s.certRequest.schemes, true);
      if (scheme === undefined)
        throw new ProtocolError(Alert.handshake_failure, "no signature scheme in common for the client certificate", "client signature scheme");
      const content = certificateVerifyContent("client", c.transcript.current());
      c.sendHandshake(E.encodeCertificateVerify(scheme, signWithScheme(cred.key, scheme, content, c.rng)));
    }
  }
  const vd = ks.finished("client", c.transcript.current());
  c.sendHandshake(E.encodeFinished(vd));
  c.setWriteKeys(suite, ks.trafficKeys(suite, "client_application_traffic_secret_0"), "application");
  ks.resumptionMasterSecret(c.transcript.current());
  c.state = "connected";
  return { at: "Done", tls13: { ...s.hs, sentCcs } };
}

/** RFC 8446 §4.6.1: a ticket after the handshake, its PSK derived from the resumption master secret. */
export function onNewSessionTicket13(c: Client, suite: SuiteParams, ks: KeySchedule13, m: DecodedHandshake): void {
  const d = m.details;
  const psk = ks.ticketPsk(decoded(d.ticketNonce, "ticket_nonce"));
  const session: Session13 = {
    version: ProtocolVersion.TLSv1_3,
    suite: suite.suite,
    psk,
    ticket: decoded(d.ticket, "ticket").slice(),
    ageAdd: decoded(d.ticketAgeAdd, "ticket_age_add"),
    lifetime: decoded(d.ticketLifetime, "ticket_lifetime"),
    receivedAt: c.now().getTime(),
    serverName: c.o.serverName,
  };
  c.o.onSession?.(session);
}
