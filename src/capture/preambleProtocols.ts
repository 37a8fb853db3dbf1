/**
 * What the plaintext before a TLS stream was: an HTTP CONNECT request (RFC 9110 §9.3.6), a SOCKS 4/4a or 5
 * request (SOCKS 4 and its 4a extension, RFC 1928 with RFC 1929's sub-negotiation), or a STARTTLS-style upgrade
 * (SMTP RFC 3207, IMAP RFC 9051 §6.2.1, POP3 RFC 2595 §4, FTP RFC 4217 §4, LDAP RFC 4511 §4.14, PostgreSQL's
 * SSLRequest). Read from the client's bytes only: they say what was asked for (the server's answer changes no
 * field of the result). Each reader checks the whole preamble, so that an unrelated stream which happens to hold
 * a ClientHello-like pattern is not taken for TLS.
 */

export type PreambleProtocol = "http-connect" | "socks4" | "socks5" | "smtp" | "imap" | "pop3" | "ftp" | "ldap" | "postgres";

export interface PreambleIdentity {
  protocol: PreambleProtocol;
  /** Proxies: the host and port asked for (`host:port`, IPv6 in brackets); null for STARTTLS. */
  target: string | null;
}

/** SOCKS protocol version bytes (the first byte of every request). */
const SOCKS4_VERSION = 0x04;
const SOCKS5_VERSION = 0x05;
/** SOCKS CONNECT command (SOCKS 4 and RFC 1928 §4 agree). */
const SOCKS_CONNECT = 0x01;
/** RFC 1929 §2: the username/password sub-negotiation's version byte. */
const SOCKS5_USERPASS_VERSION = 0x01;
/** RFC 1928 §5 address types. */
const SOCKS5_ATYP_IPV4 = 0x01;
const SOCKS5_ATYP_DOMAIN = 0x03;
const SOCKS5_ATYP_IPV6 = 0x04;

/** PostgreSQL's SSLRequest: length 8, then the code 80877103 (1234 << 16 | 5679). */
const PG_SSL_REQUEST = [0x00, 0x00, 0x00, 0x08, 0x04, 0xd2, 0x16, 0x2f];

/** RFC 4511 §4.14.1: the StartTLS extended operation's OID, as it appears (an LDAPOID is an OCTET STRING). */
const LDAP_STARTTLS_OID = "1.3.6.1.4.1.1466.20037";
/** BER SEQUENCE, the tag every LDAPMessage starts with. */
const BER_SEQUENCE = 0x30;

/** The client's plaintext before its ClientHello, identified; null when it is none of the protocols above. */
export function identifyPreamble(pre: Uint8Array): PreambleIdentity | null {
  if (pre.length === 0) return null;
  switch (pre[0]) {
    case SOCKS4_VERSION:
      return socks4(pre);
    case SOCKS5_VERSION:
      return socks5(pre);
    case BER_SEQUENCE:
      return latin1(pre).includes(LDAP_STARTTLS_OID) ? { protocol: "ldap", target: null } : null;
    case PG_SSL_REQUEST[0]:
      return pre.length === PG_SSL_REQUEST.length && PG_SSL_REQUEST.every((b, i) => pre[i] === b) ? { protocol: "postgres", target: null } : null;
    default:
      return text(pre);
  }
}

function latin1(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
}

function hostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** SOCKS 4: VN CD DSTPORT DSTIP USERID NUL; 4a: DSTIP 0.0.0.x (x ≠ 0), then the host name and a NUL. */
function socks4(pre: Uint8Array): PreambleIdentity | null {
  if (pre.length < 9 || pre[1] !== SOCKS_CONNECT) return null;
  const port = (pre[2] << 8) | pre[3];
  const userEnd = pre.indexOf(0, 8);
  if (userEnd < 0) return null;
  const is4a = pre[4] === 0 && pre[5] === 0 && pre[6] === 0 && pre[7] !== 0;
  if (!is4a) return userEnd === pre.length - 1 ? { protocol: "socks4", target: hostPort(`${pre[4]}.${pre[5]}.${pre[6]}.${pre[7]}`, port) } : null;
  const hostEnd = pre.indexOf(0, userEnd + 1);
  if (hostEnd !== pre.length - 1 || hostEnd === userEnd + 1) return null;
  return { protocol: "socks4", target: hostPort(latin1(pre.subarray(userEnd + 1, hostEnd)), port) };
}

/** RFC 1928: greeting (VER NMETHODS METHODS), optional RFC 1929 sub-negotiation, then the CONNECT request. */
function socks5(pre: Uint8Array): PreambleIdentity | null {
  if (pre.length < 3) return null;
  let i = 2 + pre[1];
  if (pre[i] === SOCKS5_USERPASS_VERSION) {
    // VER ULEN UNAME PLEN PASSWD
    const ulen = pre[i + 1];
    if (ulen === undefined) return null;
    const plen = pre[i + 2 + ulen];
    if (plen === undefined) return null;
    i += 3 + ulen + plen;
  }
  if (pre[i] !== SOCKS5_VERSION || pre[i + 1] !== SOCKS_CONNECT || pre[i + 2] !== 0) return null;
  const atyp = pre[i + 3];
  let a = i + 4;
  let host: string;
  if (atyp === SOCKS5_ATYP_IPV4) {
    host = Array.from(pre.subarray(a, a + 4)).join(".");
    a += 4;
  } else if (atyp === SOCKS5_ATYP_DOMAIN) {
    const n = pre[a];
    if (n === undefined) return null;
    host = latin1(pre.subarray(a + 1, a + 1 + n));
    a += 1 + n;
  } else if (atyp === SOCKS5_ATYP_IPV6) {
    const words: string[] = [];
    for (let k = 0; k < 16; k += 2) words.push(((pre[a + k] << 8) | pre[a + k + 1]).toString(16));
    host = compressIpv6(words);
    a += 16;
  } else return null;
  if (a + 2 !== pre.length) return null;
  return { protocol: "socks5", target: hostPort(host, (pre[a] << 8) | pre[a + 1]) };
}

/** RFC 5952 §4.2: the longest run of two or more zero words becomes "::". */
function compressIpv6(words: string[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (words[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === "0") j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  if (best < 0) return words.join(":");
  return `${words.slice(0, best).join(":")}::${words.slice(best + bestLen).join(":")}`;
}

/** Printable ASCII, tab and line ends only: the line protocols. */
function isText(pre: Uint8Array): boolean {
  for (let i = 0; i < pre.length; i++) {
    const b = pre[i];
    if ((b < 0x20 || b > 0x7e) && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  }
  return true;
}

/** HTTP CONNECT and the line protocols' upgrade commands; the last command before TLS decides. */
function text(pre: Uint8Array): PreambleIdentity | null {
  if (!isText(pre)) return null;
  const s = latin1(pre);
  if (!s.endsWith("\n")) return null;
  const connect = /^CONNECT ([^\s]+) HTTP\/\d\.\d\r?\n/.exec(s);
  if (connect) return s.endsWith("\r\n\r\n") || s.endsWith("\n\n") ? { protocol: "http-connect", target: connect[1] } : null;
  const lines = s.split(/\r?\n/).filter((l) => l.length > 0);
  const last = lines[lines.length - 1]?.trim().toUpperCase() ?? "";
  if (last === "STLS") return { protocol: "pop3", target: null };
  if (/^AUTH (TLS|TLS-C|SSL)$/.test(last)) return { protocol: "ftp", target: null };
  if (last === "STARTTLS" && lines.some((l) => /^(EHLO|HELO|LHLO)\b/i.test(l))) return { protocol: "smtp", target: null };
  // IMAP commands carry a tag (RFC 9051 §2.2.1): "a1 STARTTLS".
  if (/^[^\s]+ STARTTLS$/.test(last)) return { protocol: "imap", target: null };
  return null;
}
