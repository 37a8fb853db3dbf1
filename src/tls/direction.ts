/** Which way a message or record travels: client to server, or server to client. Its own file because the
 * webview's type-check (no Node types) reads the model, which needs only this from the codec. */
export type Direction = "c2s" | "s2c";
