/**
 * NewSessionTicket: TLS 1.3 (RFC 8446 §4.6.1: lifetime, age_add, nonce, ticket, extensions — a resumption PSK is
 * derived from the nonce) or TLS 1.2 (RFC 5077 §3.3: lifetime hint and an opaque ticket). The form follows the
 * negotiated version; when it is unknown, the 1.2 form is used if it fits the body exactly.
 */
import { toHex, type Reader } from "../reader";
import { readExtensions } from "../extensions";
import { isTls13, plural, type MessageState } from "./message";
import { bounds, vector } from "../shape";

function fitsTls12(r: Reader): boolean {
  const left = r.remaining();
  return left >= 6 && 6 + ((r.buf[r.pos + 4] << 8) | r.buf[r.pos + 5]) === left;
}

/** RFC 5077 §3.3 opaque ticket<0..2^16-1>; RFC 8446 §4.6.1 opaque ticket_nonce<0..255>, opaque ticket<1..2^16-1>. */
export const TICKET_TLS12 = vector(2);
export const TICKET_NONCE = vector(1);
export const TICKET = vector(2, 1);

export function decodeNewSessionTicket(r: Reader, m: MessageState): void {
  const f = m.fields;
  const d = m.details;
  const tls13 = m.ctx.version !== null ? isTls13(m.ctx.version) : !fitsTls12(r);
  if (!tls13) {
    const RFC = "RFC 5077 §3.3";
    const life = r.u32("ticket_lifetime_hint", { rfc: RFC, display: (v) => `${v} s${v === 0 ? " (unspecified)" : ""}` });
    d.ticketLifetime = life;
    f.lifetime = life;
    const ticket = r.opaque("ticket", TICKET_TLS12.width, {
      ...bounds(TICKET_TLS12),
      rfc: RFC,
      note: "new-session-ticket",
      display: (b) => `${plural(b.length, "byte")}: ${toHex(b)}`,
    });
    d.ticket = ticket;
    f.ticketLength = ticket.length;
    return;
  }
  const RFC = "RFC 8446 §4.6.1";
  const life = r.u32("ticket_lifetime", { rfc: RFC, display: (v) => `${v} s` });
  d.ticketLifetime = life;
  f.lifetime = life;
  // Field order as the oracle: lifetime, ticketLength, ageAdd, nonce, extensions.
  f.ticketLength = null;
  const ageAdd = r.u32("ticket_age_add", { rfc: RFC, display: (v) => `${v} (added to the ticket age, mod 2^32)` });
  d.ticketAgeAdd = ageAdd;
  f.ageAdd = ageAdd;
  const nonce = r.opaque("ticket_nonce", TICKET_NONCE.width, { ...bounds(TICKET_NONCE), rfc: RFC });
  d.ticketNonce = nonce;
  f.nonce = toHex(nonce);
  const ticket = r.opaque("ticket", TICKET.width, {
    ...bounds(TICKET),
    rfc: RFC,
    note: "new-session-ticket",
    display: (b) => `${plural(b.length, "byte")}: ${toHex(b)}`,
  });
  d.ticket = ticket;
  f.ticketLength = ticket.length;
  f.extensions = [];
  readExtensions(r, "new_session_ticket", m);
}
