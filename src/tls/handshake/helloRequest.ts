/** HelloRequest, RFC 5246 §7.4.1.1: the server asks a TLS ≤ 1.2 client to renegotiate; the body is empty. */
import type { BodyDecoder } from "./message";
import { readEmptyMessageBody } from "./emptyBody";

export const decodeHelloRequest: BodyDecoder = (r) => readEmptyMessageBody(r, "HelloRequest");
