/** Extensions without a decoder (or used where their form is undefined): the body as opaque bytes. */
import { toHex, type Reader } from "../reader";
import { plural } from "../handshake/message";

export function readOpaqueBody(r: Reader, name = "data"): Uint8Array {
  const left = r.remaining();
  if (left === 0) {
    r.setDisplay("(empty)");
    return new Uint8Array(0);
  }
  return r.rest(name, { display: (b) => `${plural(b.length, "byte")}: ${toHex(b)}` });
}

/** An extension whose extension_data is empty by definition (a flag); stray bytes are still shown. */
export function readEmptyBody(r: Reader, meaning: string): void {
  if (r.remaining() === 0) {
    r.setDisplay(() => `(empty: ${meaning})`);
    return;
  }
  readOpaqueBody(r, "unexpected_data");
}
