/**
 * Endpoints in transcripts: `127.0.0.1:4433` or, for IPv6, `[::1]:443` (the bracket form of RFC 3986 §3.2.2, so
 * the port's colon is never mistaken for part of the address).
 */
import type { TcpEndpoint } from "./types";

/** Parses an endpoint; returns an error message instead of throwing. */
export function parseEndpoint(s: string): TcpEndpoint | string {
  let ip: string;
  let portText: string;
  if (s.startsWith("[")) {
    const close = s.indexOf("]");
    if (close < 0 || s[close + 1] !== ":") return `'${s}': an IPv6 endpoint is written [address]:port`;
    ip = s.slice(1, close).toLowerCase();
    portText = s.slice(close + 2);
    if (!/^[0-9a-f:.]+$/.test(ip) || !ip.includes(":") || ip.length > 45) return `'${ip}' is not an IPv6 address`;
  } else {
    const colon = s.lastIndexOf(":");
    if (colon < 0) return `'${s}': an endpoint is written address:port (e.g. 127.0.0.1:4433)`;
    ip = s.slice(0, colon);
    portText = s.slice(colon + 1);
    if (ip.includes(":")) return `'${s}': write IPv6 endpoints in brackets, e.g. [::1]:443`;
    const parts = ip.split(".");
    if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return `'${ip}' is not an IPv4 address`;
  }
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) return `'${portText}' is not a port number (0–65535)`;
  return { ip, port: Number(portText) };
}

export function formatEndpoint(e: TcpEndpoint): string {
  return e.ip.includes(":") ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}
