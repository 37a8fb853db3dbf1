/**
 * The extension table and the `Extension extensions<..>` reader shared by every message that carries extensions
 * (RFC 8446 §4.2). Extensions without a decoder here are shown by their IANA name with an opaque body; GREASE
 * values (RFC 8701) as GREASE; unregistered ones by number.
 */
import { ExtensionType, extensionTypes } from "../registry";
import type { Reader } from "../reader";
import { isGrease16 } from "../registry/openEnum";
import type { ExtContext, ExtensionHost, ExtensionSpec } from "./types";
import type { MessageState } from "../handshake/message";
import { listDisplay, plural } from "../handshake/message";
import { readOpaqueBody } from "./opaqueBody";
import { serverName } from "./serverName";
import { maxFragmentLength } from "./maxFragmentLength";
import { statusRequest, statusRequestV2 } from "./statusRequest";
import { supportedGroups } from "./supportedGroups";
import { ecPointFormats } from "./ecPointFormats";
import { signatureAlgorithms, signatureAlgorithmsCert } from "./signatureAlgorithms";
import { useSrtp } from "./useSrtp";
import { heartbeat } from "./heartbeat";
import { alpn } from "./alpn";
import { signedCertificateTimestamp } from "./sct";
import { certificateTypeExtension } from "./certificateType";
import { padding } from "./padding";
import { encryptThenMac, extendedMasterSecret, postHandshakeAuth } from "./flags";
import { compressCertificate } from "./compressCertificate";
import { recordSizeLimit } from "./recordSizeLimit";
import { sessionTicket } from "./sessionTicket";
import { preSharedKey } from "./preSharedKey";
import { earlyData } from "./earlyData";
import { supportedVersions } from "./supportedVersions";
import { cookie } from "./cookie";
import { pskKeyExchangeModes } from "./pskKeyExchangeModes";
import { certificateAuthorities } from "./certificateAuthorities";
import { oidFilters } from "./oidFilters";
import { keyShare } from "./keyShare";
import { renegotiationInfo } from "./renegotiationInfo";
import { encryptedClientHello } from "./ech";
import { applicationSettings } from "./applicationSettings";
import { delegatedCredential } from "./delegatedCredential";
import { tokenBinding } from "./tokenBinding";
import { quicTransportParameters } from "./quicTransportParameters";
import { connectionId } from "./connectionId";
import { externalIdHash } from "./externalIdHash";
import { ticketRequest } from "./ticketRequest";

export type { ExtensionHost, ExtContext, ExtensionSpec } from "./types";

/** Decoders by ExtensionType value (IANA "TLS ExtensionType Values"). */
export const extensionDecoders: ReadonlyMap<number, ExtensionSpec> = new Map<number, ExtensionSpec>([
  [ExtensionType.server_name, serverName],
  [ExtensionType.max_fragment_length, maxFragmentLength],
  [ExtensionType.status_request, statusRequest],
  [ExtensionType.supported_groups, supportedGroups],
  [ExtensionType.ec_point_formats, ecPointFormats],
  [ExtensionType.signature_algorithms, signatureAlgorithms],
  [ExtensionType.use_srtp, useSrtp],
  [ExtensionType.heartbeat, heartbeat],
  [ExtensionType.application_layer_protocol_negotiation, alpn],
  [ExtensionType.status_request_v2, statusRequestV2],
  [ExtensionType.signed_certificate_timestamp, signedCertificateTimestamp],
  [ExtensionType.client_certificate_type, certificateTypeExtension],
  [ExtensionType.server_certificate_type, certificateTypeExtension],
  [ExtensionType.padding, padding],
  [ExtensionType.encrypt_then_mac, encryptThenMac],
  [ExtensionType.extended_master_secret, extendedMasterSecret],
  [ExtensionType.token_binding, tokenBinding],
  [ExtensionType.compress_certificate, compressCertificate],
  [ExtensionType.record_size_limit, recordSizeLimit],
  [ExtensionType.delegated_credential, delegatedCredential],
  [ExtensionType.session_ticket, sessionTicket],
  [ExtensionType.pre_shared_key, preSharedKey],
  [ExtensionType.early_data, earlyData],
  [ExtensionType.supported_versions, supportedVersions],
  [ExtensionType.cookie, cookie],
  [ExtensionType.psk_key_exchange_modes, pskKeyExchangeModes],
  [46, earlyData], // ticket_early_data_info (TLS 1.3 drafts): same NewSessionTicket body
  [ExtensionType.certificate_authorities, certificateAuthorities],
  [ExtensionType.oid_filters, oidFilters],
  [ExtensionType.post_handshake_auth, postHandshakeAuth],
  [ExtensionType.signature_algorithms_cert, signatureAlgorithmsCert],
  [ExtensionType.key_share, keyShare],
  [ExtensionType.connection_id, connectionId],
  [ExtensionType.external_id_hash, externalIdHash],
  [ExtensionType.quic_transport_parameters, quicTransportParameters],
  [ExtensionType.ticket_request, ticketRequest],
  [ExtensionType.application_settings_old, applicationSettings],
  [ExtensionType.application_settings, applicationSettings],
  [ExtensionType.encrypted_client_hello, encryptedClientHello],
  [ExtensionType.renegotiation_info, renegotiationInfo],
]);

/** Node name for an extension: its IANA name, `GREASE`, or `extension_<n>` when unregistered. */
export function extensionNodeName(type: number): string {
  const n = extensionTypes.name(type);
  if (n !== "unknown") return n;
  return isGrease16(type) ? "GREASE" : `extension_${type}`;
}

/** Decode one Extension { ExtensionType extension_type; opaque extension_data<0..2^16-1>; }. */
function readExtension(r: Reader, host: ExtensionHost, m: MessageState): void {
  const start = r.pos;
  // null: fewer than two bytes left, so not even the type can be read (the reader below reports it).
  const type = r.buf.length - start >= 2 && r.end - start >= 2 ? (r.buf[start] << 8) | r.buf[start + 1] : null;
  const spec = type !== null ? extensionDecoders.get(type) : undefined;
  r.group(
    type !== null ? extensionNodeName(type) : "extension",
    () => {
      const t = r.u16("extension_type", { display: (v) => extensionTypes.display(v) });
      if (Array.isArray(m.fields.extensions)) (m.fields.extensions as number[]).push(t);
      const exts = (m.details.extensions ??= []);
      r.vector(
        "extension_data",
        2,
        (bodyEnd) => {
          const bodyStart = r.pos;
          exts.push({ type: t, data: r.buf.subarray(bodyStart, bodyEnd) });
          const x: ExtContext = { host, m, type: t };
          let handled: boolean | void = false;
          if (spec) handled = spec.decode(r, x);
          if (!spec || handled === false) {
            if (r.pos !== bodyStart) r.fail(`extension ${t}: decoder read without handling`, "extension_data");
            readOpaqueBody(r);
          }
        },
        { rfc: spec?.rfc, display: () => plural(exts[exts.length - 1]?.data.length ?? 0, "byte") },
      );
      // The extension's line repeats its body's summary, e.g. `server_name (0x0000): "example.com"`.
      r.setDisplay(() => {
        const data = r.node?.children?.[1];
        const summary = data && data.display && !/^\d+ bytes?$/.test(data.display) ? `: ${data.display}` : "";
        return extensionTypes.display(t) + summary;
      });
    },
    {
      rfc: spec?.rfc,
      note:
        type !== null && isGrease16(type)
          ? "grease"
          : (spec?.note ?? (type === ExtensionType.server_name || type === ExtensionType.application_layer_protocol_negotiation ? "sni-alpn" : undefined)),
      display: () => extensionTypes.display(type ?? -1),
    },
  );
}

/**
 * `Extension extensions<min..2^16-1>`: fills `m.fields.extensions` (if it is an array), `m.details.extensions`,
 * and whatever each extension's decoder records.
 */
/** Extension extensions<min..2^16-1>: the minimum depends on the host message (RFC 8446 §4.1.2, §4.1.3, §4.3.2). */
export const EXTENSIONS_WIDTH = 2;

export function readExtensions(r: Reader, host: ExtensionHost, m: MessageState, min = 0): void {
  r.list("extensions", EXTENSIONS_WIDTH, () => readExtension(r, host, m), {
    min,
    rfc: "RFC 8446 §4.2",
    note: "extensions",
    display: listDisplay((v: unknown[]) => plural(v.length, "extension")),
  });
}

/**
 * Whether the extensions block at `pos` (its 2-byte length first) lists extension `type`, read without a Reader:
 * used to pick names before decoding (a hello is TLS 1.3 iff it has supported_versions). Bounded; stops at the
 * first inconsistency.
 */
export function listsExtension(buf: Uint8Array, pos: number, end: number, type: number): boolean {
  if (end - pos < 2) return false;
  const blockEnd = Math.min(end, pos + 2 + ((buf[pos] << 8) | buf[pos + 1]));
  for (let p = pos + 2; p + 4 <= blockEnd; p += 4 + ((buf[p + 2] << 8) | buf[p + 3])) {
    if (((buf[p] << 8) | buf[p + 1]) === type) return true;
  }
  return false;
}
