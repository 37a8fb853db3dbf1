/** NSS key logs (src/engine/keylog.ts `parseKeyLog`): documented never to throw; errors bounded and on real lines. */
import { parseKeyLog } from "../../src/engine/keylog";
import { check } from "../lib/support";
import { ascii } from "../lib/target";

export const maxLength = 16 * 1024;

export const dictionary = [
  "CLIENT_RANDOM ",
  "PMS_CLIENT_RANDOM ",
  "RSA ",
  "CLIENT_HANDSHAKE_TRAFFIC_SECRET ",
  "SERVER_HANDSHAKE_TRAFFIC_SECRET ",
  "CLIENT_TRAFFIC_SECRET_0 ",
  "SERVER_TRAFFIC_SECRET_4294967295 ",
  "EXPORTER_SECRET ",
  "CLIENT_EARLY_TRAFFIC_SECRET ",
  "\n",
  "\r\n",
  "# ",
  "\t",
  "  ",
  "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
  "0",
  "g",
].map(ascii);

export function fuzz(data: Uint8Array): void {
  const text = new TextDecoder().decode(data);
  let lines = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lines++;
  const log = parseKeyLog(text);
  check(log.errors.length <= 1000, `${log.errors.length} errors kept`);
  for (const e of log.errors) check(e.line >= 1 && e.line <= lines, `error on line ${e.line} of ${lines}`);
  let secrets = 0;
  for (const [random, labels] of log.entries) {
    check(/^[0-9a-f]*$/.test(random), `client random key ${random.slice(0, 80)} is not lowercase hex`);
    for (const s of labels.values()) secrets += s.length;
  }
  check(secrets <= data.length, `${secrets} secret bytes from ${data.length} bytes of text`);
}
