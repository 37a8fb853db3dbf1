/**
 * IANA "TLS HandshakeType" registry (Transport Layer Security (TLS) Parameters, tls-parameters-7; RFC 8446 §4,
 * RFC 5246 §7.4, RFC 6347, RFC 9147): snake_case names as IANA spells them, and the CamelCase message names RFC 8446
 * uses in prose (`ClientHello`), which is also how tshark's oracle names messages.
 */
import { OpenEnum, type CodePointOf } from "./openEnum";

export const handshakeTypes = new OpenEnum("TLS HandshakeType", 1, {
  hello_request: { value: 0, rfc: "RFC 5246", message: "HelloRequest" },
  client_hello: { value: 1, rfc: "RFC 8446", message: "ClientHello" },
  server_hello: { value: 2, rfc: "RFC 8446", message: "ServerHello" },
  hello_verify_request: { value: 3, rfc: "RFC 6347", message: "HelloVerifyRequest" },
  new_session_ticket: { value: 4, rfc: "RFC 8446", message: "NewSessionTicket" },
  end_of_early_data: { value: 5, rfc: "RFC 8446", message: "EndOfEarlyData" },
  hello_retry_request: { value: 6, rfc: "RFC 8446", message: "HelloRetryRequest" }, // RESERVED: TLS 1.3 sends HRR as a ServerHello (RFC 8446 §4.1.3)
  encrypted_extensions: { value: 8, rfc: "RFC 8446", message: "EncryptedExtensions" },
  request_connection_id: { value: 9, rfc: "RFC 9147", message: "RequestConnectionId" },
  new_connection_id: { value: 10, rfc: "RFC 9147", message: "NewConnectionId" },
  certificate: { value: 11, rfc: "RFC 8446", message: "Certificate" },
  server_key_exchange: { value: 12, rfc: "RFC 5246", message: "ServerKeyExchange" },
  certificate_request: { value: 13, rfc: "RFC 8446", message: "CertificateRequest" },
  server_hello_done: { value: 14, rfc: "RFC 5246", message: "ServerHelloDone" },
  certificate_verify: { value: 15, rfc: "RFC 8446", message: "CertificateVerify" },
  client_key_exchange: { value: 16, rfc: "RFC 5246", message: "ClientKeyExchange" },
  client_certificate_request: { value: 17, rfc: "RFC 9261", message: "ClientCertificateRequest" },
  finished: { value: 20, rfc: "RFC 8446", message: "Finished" },
  certificate_url: { value: 21, rfc: "RFC 6066", message: "CertificateURL" },
  certificate_status: { value: 22, rfc: "RFC 6066", message: "CertificateStatus" },
  supplemental_data: { value: 23, rfc: "RFC 4680", message: "SupplementalData" },
  key_update: { value: 24, rfc: "RFC 8446", message: "KeyUpdate" },
  compressed_certificate: { value: 25, rfc: "RFC 8879", message: "CompressedCertificate" },
  ekt_key: { value: 26, rfc: "RFC 8870", message: "EktKey" },
  message_hash: { value: 254, rfc: "RFC 8446", message: "MessageHash" },
});
/** The named HandshakeType code points (`HandshakeType.client_hello === 1`). */
export const HandshakeType = handshakeTypes.codes;
export type HandshakeType = CodePointOf<typeof handshakeTypes>;

/** The CamelCase name of each HandshakeType, by value (a HandshakeType is one byte). */
const MESSAGE_NAMES: (string | undefined)[] = [];
for (const cp of Object.values(handshakeTypes.declared)) MESSAGE_NAMES[cp.value] = cp.message;

/** `ClientHello`, `ServerHello`, ... for a HandshakeType, or `unknown`. */
export function handshakeName(type: number): string {
  return MESSAGE_NAMES[type] ?? "unknown";
}
