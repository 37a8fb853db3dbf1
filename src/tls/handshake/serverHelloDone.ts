/** ServerHelloDone, RFC 5246 §7.4.5: the server's first flight is complete (TLS ≤ 1.2); the body is empty. */
import type { BodyDecoder } from "./message";
import { readEmptyMessageBody } from "./emptyBody";

export const decodeServerHelloDone: BodyDecoder = (r) => readEmptyMessageBody(r, "ServerHelloDone");
