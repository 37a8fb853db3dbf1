/**
 * A connection ID (or an address) as a Map key: one character per byte (Latin-1 maps bytes 0–255 to themselves),
 * made natively from the bytes in place — no view, no array of char codes — since every datagram is looked up by
 * the connection ID it carries.
 */
const latin1Slice = Buffer.prototype.latin1Slice as (this: Uint8Array, start: number, end: number) => string;

export const cidKey = (buf: Uint8Array, off: number, len: number): string => latin1Slice.call(buf, off, off + len);
