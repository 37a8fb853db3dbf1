/** EndOfEarlyData, RFC 8446 §4.5: the client's 0-RTT data is over; switch to the handshake traffic keys. Empty. */
import type { BodyDecoder } from "./message";
import { readEmptyMessageBody } from "./emptyBody";

export const decodeEndOfEarlyData: BodyDecoder = (r) => readEmptyMessageBody(r, "EndOfEarlyData");
