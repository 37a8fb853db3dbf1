/** Handshake message and extension encoders: the inverse of src/tls/handshake/decode.ts. */
export * from "./extensions";
export * from "./handshake";
export * from "./hello";
export * from "./messages";
