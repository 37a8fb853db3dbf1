/**
 * IANA "TLS HandshakeType" registry (Transport Layer Security (TLS) Parameters, tls-parameters-7; RFC 8446 §4,
 * RFC 5246 §7.4, RFC 6347, RFC 9147): snake_case names as IANA spells them, and the CamelCase message names RFC 8446
 * uses in prose (`ClientHello`), which is also how tshark's oracle names messages.
 */
import { OpenEnum } from "./openEnum";

export const handshakeTypes = new OpenEnum("TLS HandshakeType", 1, {
  0: { name: "hello_request", rfc: "RFC 5246" },
  1: { name: "client_hello", rfc: "RFC 8446" },
  2: { name: "server_hello", rfc: "RFC 8446" },
  3: { name: "hello_verify_request", rfc: "RFC 6347" },
  4: { name: "new_session_ticket", rfc: "RFC 8446" },
  5: { name: "end_of_early_data", rfc: "RFC 8446" },
  6: { name: "hello_retry_request", rfc: "RFC 8446" }, // RESERVED: TLS 1.3 sends HRR as a ServerHello (RFC 8446 §4.1.3)
  8: { name: "encrypted_extensions", rfc: "RFC 8446" },
  9: { name: "request_connection_id", rfc: "RFC 9147" },
  10: { name: "new_connection_id", rfc: "RFC 9147" },
  11: { name: "certificate", rfc: "RFC 8446" },
  12: { name: "server_key_exchange", rfc: "RFC 5246" },
  13: { name: "certificate_request", rfc: "RFC 8446" },
  14: { name: "server_hello_done", rfc: "RFC 5246" },
  15: { name: "certificate_verify", rfc: "RFC 8446" },
  16: { name: "client_key_exchange", rfc: "RFC 5246" },
  17: { name: "client_certificate_request", rfc: "RFC 9261" },
  20: { name: "finished", rfc: "RFC 8446" },
  21: { name: "certificate_url", rfc: "RFC 6066" },
  22: { name: "certificate_status", rfc: "RFC 6066" },
  23: { name: "supplemental_data", rfc: "RFC 4680" },
  24: { name: "key_update", rfc: "RFC 8446" },
  25: { name: "compressed_certificate", rfc: "RFC 8879" },
  26: { name: "ekt_key", rfc: "RFC 8870" },
  254: { name: "message_hash", rfc: "RFC 8446" },
});

/** RFC 8446-style message names (RFC 5246/6066/8879 for the messages TLS 1.3 does not define). */
const MESSAGE_NAMES: Record<number, string> = {
  0: "HelloRequest",
  1: "ClientHello",
  2: "ServerHello",
  3: "HelloVerifyRequest",
  4: "NewSessionTicket",
  5: "EndOfEarlyData",
  6: "HelloRetryRequest",
  8: "EncryptedExtensions",
  9: "RequestConnectionId",
  10: "NewConnectionId",
  11: "Certificate",
  12: "ServerKeyExchange",
  13: "CertificateRequest",
  14: "ServerHelloDone",
  15: "CertificateVerify",
  16: "ClientKeyExchange",
  17: "ClientCertificateRequest",
  20: "Finished",
  21: "CertificateURL",
  22: "CertificateStatus",
  23: "SupplementalData",
  24: "KeyUpdate",
  25: "CompressedCertificate",
  26: "EktKey",
  254: "MessageHash",
};

/** `ClientHello`, `ServerHello`, ... for a HandshakeType, or `unknown`. */
export function handshakeName(type: number): string {
  return Object.hasOwn(MESSAGE_NAMES, type) ? MESSAGE_NAMES[type] : "unknown";
}
