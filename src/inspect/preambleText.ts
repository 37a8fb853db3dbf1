/** How a connection's preamble (proxy request or STARTTLS upgrade) is named in the text output and the views. */
import type { PreambleModel } from "../model";

const NAMES: Record<string, string> = {
  "http-connect": "HTTP CONNECT",
  socks4: "SOCKS 4",
  socks5: "SOCKS 5",
  smtp: "SMTP STARTTLS",
  imap: "IMAP STARTTLS",
  pop3: "POP3 STLS",
  ftp: "FTP AUTH TLS",
  ldap: "LDAP StartTLS",
  postgres: "PostgreSQL SSLRequest",
};

/** The line protocols whose server speaks first (a greeting), so its plaintext comes before the client's. */
const SERVER_FIRST = new Set(["smtp", "imap", "pop3", "ftp"]);

export function preambleName(protocol: string): string {
  return NAMES[protocol] ?? protocol;
}

export function preambleServerFirst(protocol: string): boolean {
  return SERVER_FIRST.has(protocol);
}

/** "via HTTP CONNECT to host:443 (84 bytes sent, 134 received before TLS)". */
export function preambleText(p: PreambleModel): string {
  const to = p.target === null ? "" : ` to ${p.target}`;
  return `after ${preambleName(p.protocol)}${to} (plaintext before TLS: ${p.c2sBytes} bytes C → S, ${p.s2cBytes} bytes S → C)`;
}
