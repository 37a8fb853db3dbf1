/**
 * Which explanatory note (media/notes/<lang>/<id>.md), and which section of it, explains each kind of field the
 * decoders produce. A field's kind is its path of node names from the message root, e.g.
 * `ClientHello/extensions/supported_groups/extension_data/named_group_list/named_group`.
 *
 * One table instead of a `note:` scattered over every decoder: a field is looked up by its own name first (in its
 * message, then anywhere), then by its ancestors' names, so a length or an opaque body inside an extension is
 * explained by that extension's note. A few rules read the value: a named group is an FFDHE group or an elliptic
 * curve, and only the former belongs to the FFDHE note. Sections are named by their English heading (the Korean
 * twin has the same outline, test/unit/notes holds them to it).
 *
 * Notes are not part of the JSON documents: views call `annotateFieldNotes` on the trees they show.
 */
import type { FieldNode, FieldValue } from "./field";
import { describeGroupKind, isGrease16 } from "./registry";

export interface NoteRef {
  note: string;
  /** An English heading (without the #s) of that note. */
  section?: string;
}

type Rule = NoteRef | ((value: FieldValue | undefined, path: readonly string[]) => NoteRef);

const ref = (note: string, section?: string): NoteRef => (section ? { note, section } : { note });

// Sections that several rules point to.
const X509_INSIDE = ref("certificate", "What is inside an X.509 certificate");
const X509_VALIDATE = ref("certificate", "How a client validates the chain");
const ECDHE = ref("key-exchange-rsa-vs-dhe", "Ephemeral Diffie-Hellman (`DHE_*`, `ECDHE_*`)");
const KX13 = ref("key-exchange-rsa-vs-dhe", "TLS 1.3");
const SIG12 = ref("signature-algorithms", "TLS 1.2: hash and signature pairs");
const SIG13 = ref("signature-algorithms", "TLS 1.3: one SignatureScheme code");
const SIG_LISTS = ref("signature-algorithms", "Two lists, two jobs");
const VERSION = ref("version-negotiation", "How the version is chosen");
const RANDOM = ref("random-nonce", "Format");
const SUITE12 = ref("cipher-suite", "Anatomy of a TLS 1.2 suite");
const SUITE13 = ref("cipher-suite", "TLS 1.3: shorter suites");
const PSK = ref("psk-0rtt", "Offering a PSK");
const BINDERS = ref("psk-0rtt", "Binders");
const EARLY = ref("psk-0rtt", "0-RTT early data");
const TICKET12 = ref("new-session-ticket", "TLS 1.2 (RFC 5077)");
const TICKET13 = ref("new-session-ticket", "TLS 1.3");
const SNI = ref("sni-alpn", "Server Name Indication (`server_name`, type 0)");
const ALPN = ref("sni-alpn", "ALPN (`application_layer_protocol_negotiation`, type 16)");
const OCSP = ref("ocsp-stapling-ct", "Revocation and OCSP stapling");
const CT = ref("ocsp-stapling-ct", "Certificate Transparency");
const SKE_ECDHE = ref("server-key-exchange", "ECDHE form");
const SKE_DHE = ref("server-key-exchange", "DHE form");
const SKE_SIG = ref("server-key-exchange", "What the signature covers");
const CERT_LAYOUT = ref("certificate", "Message layout");
const COMPRESS = ref("certificate-compression", "Negotiation");
const COMPRESSED_MSG = ref("certificate-compression", "The CompressedCertificate message");
const EXTENSIONS = ref("extensions", "The important ones");
const RECORD_LIMITS = ref("record-layer", "Fragmentation and limits");
const QUIC_TP = ref("quic-transport-parameters");
const QUIC_TP_ENCODING = ref("quic-transport-parameters", "Encoding");
const QUIC_TP_LIST = ref("quic-transport-parameters", "The parameters");
const QUIC_TP_VERSIONS = ref("quic-transport-parameters", "version_information");

/** A named group by its kind: FFDHE (RFC 7919), a post-quantum or hybrid KEM (TLS 1.3 only), or an (EC)DH curve. */
const group: Rule = (v) => {
  const kind = typeof v === "number" ? describeGroupKind(v) : "unknown";
  return kind === "ffdhe" ? ref("ffdhe-groups", "The groups") : kind === "hybrid-pq" ? ref("post-quantum-hybrid") : kind === "pq" ? KX13 : ECDHE;
};
const groups: Rule = (_v, path) => (path[0] === "EncryptedExtensions" ? KX13 : ECDHE);

const ECH_OUTER = ref("ech", "Outer and inner ClientHello");
const HYBRID_SIZES = ref("post-quantum-hybrid", "The three groups and their sizes");

/** Fields whose 16-bit values RFC 8701 §2 reserves GREASE code points in (cipher suites, groups, versions, ...). */
const GREASE_FIELDS = new Set(["cipher_suite", "named_group", "group", "version", "signature_scheme", "extension_type", "selected_group"]);
const GREASE_VALUES = ref("grease", "The reserved values");

/** By message name: the note of the message itself (its root node). */
const MESSAGES: Readonly<Record<string, NoteRef>> = {
  ClientHello: ref("client-hello"),
  ServerHello: ref("server-hello"),
  HelloRetryRequest: ref("hello-retry-request"),
  NewSessionTicket: ref("new-session-ticket"),
  EndOfEarlyData: EARLY,
  EncryptedExtensions: ref("encrypted-handshake", "EncryptedExtensions"),
  Certificate: ref("certificate"),
  CompressedCertificate: COMPRESSED_MSG,
  ServerKeyExchange: ref("server-key-exchange"),
  CertificateRequest: ref("certificate-request"),
  ServerHelloDone: ref("server-hello-done"),
  CertificateVerify: ref("certificate-verify"),
  ClientKeyExchange: ref("client-key-exchange"),
  Finished: ref("finished"),
  KeyUpdate: ref("key-update"),
  HelloRequest: ref("renegotiation"),
  CertificateStatus: OCSP,
  MessageHash: ref("hello-retry-request", "Effect on the transcript"),
  ChangeCipherSpec: ref("change-cipher-spec"),
  Alert: ref("alert"),
};

/** `Message/name` rules: a name that means something different in one message. */
const IN_MESSAGE: Readonly<Record<string, Rule>> = {
  "ClientHello/version": VERSION,
  "ClientHello/signature_algorithms": SIG_LISTS,
  "ClientHello/cipher_suite": (_v, path) => (path.includes("encrypted_client_hello") ? ECH_OUTER : SUITE12),
  "ServerHello/cipher_suite": ref("cipher-suite"),
  "HelloRetryRequest/cipher_suite": ref("hello-retry-request", "Contents"),
  "HelloRetryRequest/random": ref("hello-retry-request", "Recognising it"),
  "HelloRetryRequest/extensions": ref("hello-retry-request", "Contents"),
  "HelloRetryRequest/key_share": ref("hello-retry-request", "Contents"),
  "HelloRetryRequest/selected_group": ref("hello-retry-request", "Contents"),
  "ServerHello/random": ref("random-nonce", "The TLS 1.3 downgrade sentinel"),
  "ServerHello/extensions": ref("server-hello", "What the client must check"),
  "EncryptedExtensions/extensions": ref("encrypted-handshake", "EncryptedExtensions"),
  "NewSessionTicket/extensions": TICKET13,
  "NewSessionTicket/ticket": (_v, path) => (path.includes("ticket_nonce") ? TICKET13 : ref("new-session-ticket")),
  "CertificateRequest/extensions": ref("certificate-request", "TLS 1.3"),
  "CertificateRequest/supported_signature_algorithms": ref("certificate-request", "TLS 1.2"),
  "CertificateRequest/signature_algorithm": ref("certificate-request", "TLS 1.2"),
  "CertificateRequest/certificate_types": ref("certificate-request", "TLS 1.2"),
  "CertificateRequest/certificate_type": ref("certificate-request", "TLS 1.2"),
  "CertificateRequest/certificate_authorities": ref("certificate-request", "TLS 1.2"),
  "CertificateVerify/algorithm": SIG13,
  "CertificateVerify/signature": ref("certificate-verify", "TLS 1.3: server and client"),
  "ServerKeyExchange/algorithm": SIG12,
  "ServerKeyExchange/signature": SKE_SIG,
  "Certificate/extensions": CERT_LAYOUT,
  "Certificate/signature": X509_VALIDATE,
  "Certificate/algorithm": X509_INSIDE,
  "ClientKeyExchange/ecdh_Yc": ref("client-key-exchange", "How the premaster secret follows"),
  "ClientKeyExchange/dh_Yc": ref("client-key-exchange", "How the premaster secret follows"),
};

/** Rules by field name, anywhere. */
const BY_NAME: Readonly<Record<string, Rule>> = {
  // Hello messages (RFC 5246 §7.4.1, RFC 8446 §4.1)
  client_version: VERSION,
  server_version: VERSION,
  legacy_version: VERSION,
  random: RANDOM,
  session_id: ref("session-id", "How it works in TLS 1.2"),
  legacy_session_id: ref("session-id", "TLS 1.3: `legacy_session_id`"),
  legacy_session_id_echo: ref("session-id", "TLS 1.3: `legacy_session_id`"),
  cipher_suites: ref("cipher-suite"),
  cipher_suite: (v) => (typeof v === "number" && v >> 8 === 0x13 ? SUITE13 : SUITE12),
  compression_methods: ref("client-hello", "Fields in detail"),
  legacy_compression_methods: ref("client-hello", "Fields in detail"),
  compression_method: ref("client-hello", "Fields in detail"),
  legacy_compression_method: ref("client-hello", "Fields in detail"),
  extensions: ref("extensions"),
  GREASE: ref("grease", "The reserved values"),
  JA4: ref("ja4"),
  JA4_a: ref("ja4", "How it is built"),
  JA4_b: ref("ja4", "How it is built"),
  JA4_c: ref("ja4", "How it is built"),
  JA4_r: ref("ja4", "How it is built"),
  cipher_count: ref("ja4", "How it is built"),
  extension_count: ref("ja4", "How it is built"),
  sorted_cipher_suites: ref("ja4", "Why GREASE and extension order are left out"),
  sorted_extensions: ref("ja4", "Why GREASE and extension order are left out"),
  // Extensions (RFC 8446 §4.2 and the documents that define each one)
  server_name: SNI,
  host_name: SNI,
  name_type: SNI,
  server_name_list: SNI,
  max_fragment_length: RECORD_LIMITS,
  status_request: OCSP,
  status_request_v2: OCSP,
  status_type: OCSP,
  responder_id_list: OCSP,
  request_extensions: OCSP,
  ocsp_response: OCSP,
  response: OCSP,
  supported_groups: groups,
  named_group_list: groups,
  named_group: group,
  ec_point_formats: ref("key-exchange-rsa-vs-dhe", "Ephemeral Diffie-Hellman (`DHE_*`, `ECDHE_*`)"),
  ec_point_format_list: ECDHE,
  ec_point_format: ECDHE,
  signature_algorithms: SIG_LISTS,
  signature_algorithms_cert: SIG_LISTS,
  supported_signature_algorithms: SIG_LISTS,
  signature_scheme: SIG13,
  signature_algorithm: SIG12,
  use_srtp: EXTENSIONS,
  heartbeat: EXTENSIONS,
  application_layer_protocol_negotiation: ALPN,
  protocol_name_list: ALPN,
  protocol_name: ALPN,
  signed_certificate_timestamp: CT,
  SignedCertificateTimestamp: CT,
  transparency_info: CT,
  client_certificate_type: EXTENSIONS,
  server_certificate_type: EXTENSIONS,
  padding: ref("record-padding", "Handshake-level padding"),
  zeros: ref("record-padding", "Handshake-level padding"),
  encrypt_then_mac: ref("record-protection", "2. Encrypt-then-MAC (RFC 7366)"),
  extended_master_secret: ref("extended-master-secret"),
  token_binding: EXTENSIONS,
  compress_certificate: COMPRESS,
  record_size_limit: RECORD_LIMITS,
  delegated_credential: SIG_LISTS,
  session_ticket: TICKET12,
  pre_shared_key: PSK,
  identities: PSK,
  PskIdentity: PSK,
  identity: PSK,
  obfuscated_ticket_age: PSK,
  binders: BINDERS,
  PskBinderEntry: BINDERS,
  selected_identity: PSK,
  early_data: EARLY,
  max_early_data_size: EARLY,
  supported_versions: VERSION,
  versions: VERSION,
  selected_version: VERSION,
  cookie: ref("hello-retry-request", "Contents"),
  psk_key_exchange_modes: ref("psk-0rtt", "Offering a PSK"),
  ke_modes: PSK,
  ke_mode: PSK,
  certificate_authorities: ref("certificate-request", "TLS 1.3"),
  oid_filters: ref("certificate-request", "TLS 1.3"),
  post_handshake_auth: ref("certificate-request", "TLS 1.3"),
  key_share: KX13,
  client_shares: KX13,
  server_share: KX13,
  KeyShareEntry: KX13,
  group,
  key_exchange: KX13,
  selected_group: ref("hello-retry-request", "Contents"),
  renegotiation_info: ref("renegotiation", "The fix: renegotiation_info"),
  renegotiated_connection: ref("renegotiation", "The fix: renegotiation_info"),
  encrypted_client_hello: ref("ech"),
  retry_configs: ECH_OUTER,
  ECHConfig: ECH_OUTER,
  confirmation: ECH_OUTER,
  config_id: ECH_OUTER,
  enc: ECH_OUTER,
  payload: ECH_OUTER,
  aead_id: ECH_OUTER,
  kdf_id: ECH_OUTER,
  // The halves of a hybrid key share (draft-ietf-tls-ecdhe-mlkem §3.1)
  mlkem_encapsulation_key: HYBRID_SIZES,
  mlkem_ciphertext: HYBRID_SIZES,
  x25519_share: HYBRID_SIZES,
  secp256r1_share: HYBRID_SIZES,
  secp384r1_share: HYBRID_SIZES,
  application_settings: ALPN,
  application_settings_old: ALPN,
  supported_protocols: ALPN,
  // QUIC transport parameters (RFC 9001 §8.2, RFC 9000 §18, RFC 9368 §3)
  quic_transport_parameters: QUIC_TP,
  transport_parameters: QUIC_TP_ENCODING,
  transport_parameter: QUIC_TP_LIST,
  transport_parameter_id: QUIC_TP_ENCODING,
  transport_parameter_length: QUIC_TP_ENCODING,
  preferred_address: QUIC_TP_LIST,
  version_information: QUIC_TP_VERSIONS,
  chosen_version: QUIC_TP_VERSIONS,
  available_version: QUIC_TP_VERSIONS,
  connection_id: (_v, path) => (path.includes("preferred_address") ? ref("quic-connection-ids", "More IDs later") : EXTENSIONS),
  external_id_hash: EXTENSIONS,
  ticket_request: TICKET13,
  next_protocol_negotiation: ALPN,
  // Certificate (RFC 8446 §4.4.2, RFC 5246 §7.4.2) and X.509 (RFC 5280 §4.1)
  certificate_request_context: ref("certificate-request", "TLS 1.3"),
  certificate_list: CERT_LAYOUT,
  CertificateEntry: CERT_LAYOUT,
  "ASN.1Cert": CERT_LAYOUT,
  cert_data: CERT_LAYOUT,
  Certificate: X509_INSIDE,
  tbsCertificate: X509_INSIDE,
  version: X509_INSIDE,
  serialNumber: X509_INSIDE,
  signature: X509_VALIDATE,
  issuer: X509_VALIDATE,
  subject: X509_INSIDE,
  RelativeDistinguishedName: X509_INSIDE,
  validity: X509_INSIDE,
  notBefore: X509_INSIDE,
  notAfter: X509_INSIDE,
  subjectPublicKeyInfo: X509_INSIDE,
  subjectPublicKey: X509_INSIDE,
  algorithm: (_v, path) => (path.includes("compress_certificate") ? COMPRESS : X509_INSIDE),
  algorithms: COMPRESS,
  type: (_v, path) => (path.includes("encrypted_client_hello") ? SNI : EXTENSIONS),
  subjectAltName: X509_INSIDE,
  basicConstraints: X509_VALIDATE,
  keyUsage: X509_INSIDE,
  extKeyUsage: X509_INSIDE,
  subjectKeyIdentifier: X509_VALIDATE,
  authorityKeyIdentifier: X509_VALIDATE,
  authorityInfoAccess: OCSP,
  cRLDistributionPoints: ref("ocsp-stapling-ct", "Revocation and OCSP stapling"),
  certificatePolicies: X509_VALIDATE,
  nameConstraints: X509_VALIDATE,
  ctPrecertificateSCTs: CT,
  extnID: X509_INSIDE,
  extnValue: X509_INSIDE,
  critical: X509_VALIDATE,
  signatureAlgorithm: X509_VALIDATE,
  signatureValue: X509_VALIDATE,
  compressed_certificate_message: COMPRESSED_MSG,
  uncompressed_length: COMPRESSED_MSG,
  decompressed_certificate: COMPRESSED_MSG,
  // Key exchange (RFC 5246 §7.4.3, §7.4.7; RFC 8422 §5.4, §5.7)
  ServerECDHParams: SKE_ECDHE,
  curve_params: SKE_ECDHE,
  curve_type: SKE_ECDHE,
  namedcurve: group,
  public: SKE_ECDHE,
  ServerDHParams: SKE_DHE,
  dh_p: ref("ffdhe-groups", "Why free choice was a problem"),
  dh_g: SKE_DHE,
  dh_Ys: SKE_DHE,
  signed_params: SKE_SIG,
  ServerRSAParams: ref("key-exchange-rsa-vs-dhe", "RSA key transport (`TLS_RSA_WITH_*`)"),
  EncryptedPreMasterSecret: ref("key-exchange-rsa-vs-dhe", "RSA key transport (`TLS_RSA_WITH_*`)"),
  ecdh_Yc: ref("client-key-exchange", "How the premaster secret follows"),
  dh_Yc: ref("client-key-exchange", "How the premaster secret follows"),
  psk_identity_hint: ref("key-exchange-rsa-vs-dhe"),
  psk_identity: ref("key-exchange-rsa-vs-dhe"),
  // Later messages
  verify_data: ref("finished", "What it proves"),
  ticket_lifetime_hint: TICKET12,
  ticket_lifetime: TICKET13,
  ticket_age_add: TICKET13,
  ticket_nonce: TICKET13,
  ticket: TICKET12,
  request_update: ref("key-update", "The message"),
};

/**
 * Names that are structure, not meaning (a vector's length, an opaque body, an extension's type and data bytes,
 * the message header): they are explained by the field they belong to.
 */
export const STRUCTURAL_NAMES: ReadonlySet<string> = new Set([
  "length",
  "data",
  "body",
  "extension_type",
  "extension_data",
  "extension",
  "unexpected_trailing_data",
  "excess_data",
  "undecoded",
  "unexpected_data",
  "contents",
]);

/** The message header (RFC 8446 §4: msg_type, length) belongs to the handshake protocol, not to the message. */
const HEADER = ref("record-layer", "Content types");

/** Rule lookup for one name in one message, or undefined. */
export function ruleFor(message: string, name: string): Rule | undefined {
  return IN_MESSAGE[`${message}/${name}`] ?? BY_NAME[name];
}

/**
 * The note explaining the field at `path` (names from the message root, the message name first), and whether it
 * was found by the field's own name (true) or by an ancestor's (false).
 */
export function resolveFieldNote(path: readonly string[], value?: FieldValue): NoteRef & { own: boolean } {
  const message = path[0] ?? "";
  if (path.length === 1) return { ...(MESSAGES[message] ?? ref("extensions")), own: message in MESSAGES };
  if (path.length === 2 && (path[1] === "msg_type" || path[1] === "length")) return { ...HEADER, own: true };
  // A GREASE value (RFC 8701 §2) in any list that reserves them is explained by the GREASE note, not its list's.
  if (typeof value === "number" && GREASE_FIELDS.has(path[path.length - 1]) && isGrease16(value)) return { ...GREASE_VALUES, own: true };
  // Inside a JA4 node every part (its `version`, `sni`, `alpn`…) is the fingerprint's, not the field of that name.
  if (path[1] === "JA4") return { ...(path.length === 2 ? ref("ja4") : ref("ja4", "How it is built")), own: true };
  // A QUIC transport parameter, whatever its name, is explained by the transport parameters note.
  const tp = path.indexOf("transport_parameter");
  if (tp > 0) return { ...ref("quic-transport-parameters", "The parameters"), own: true };
  for (let i = path.length - 1; i >= 1; i--) {
    const name = path[i];
    let rule = ruleFor(message, name);
    // An unregistered extension (`extension_51764`) is still an extension.
    if (!rule && /^extension_\d+$/.test(name)) rule = EXTENSIONS;
    if (rule) {
      const r = typeof rule === "function" ? rule(i === path.length - 1 ? value : undefined, path) : rule;
      return { ...r, own: i === path.length - 1 || STRUCTURAL_NAMES.has(path[path.length - 1]) };
    }
  }
  return { ...(MESSAGES[message] ?? ref("extensions")), own: false };
}

const DONE = new WeakSet<FieldNode>();

/** Sets `note` and `noteSection` on every node of a message's tree (once per tree; bounded depth). */
export function annotateFieldNotes(root: FieldNode): FieldNode {
  if (DONE.has(root)) return root;
  DONE.add(root);
  const path: string[] = [];
  const visit = (n: FieldNode, depth: number) => {
    if (depth > 64) return;
    path.push(n.name);
    const r = resolveFieldNote(path, n.value);
    n.note = r.note;
    if (r.section) n.noteSection = r.section;
    else delete n.noteSection;
    for (const c of n.children ?? []) visit(c, depth + 1);
    path.pop();
  };
  visit(root, 0);
  return root;
}
