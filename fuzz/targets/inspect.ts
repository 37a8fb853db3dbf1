/**
 * The whole pipeline (src/inspect/inspect.ts `inspectBytes`, detail "full", with the fixtures' key logs): sniffing,
 * pcap/pcapng/transcript reading, IP, TCP, records, handshake decoding, decryption, analysis, and the JSON and
 * text output of every connection. Documented error: UnsupportedInputError (neither a capture nor a transcript).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { inspectBytes, UnsupportedInputError } from "../../src/inspect/inspect";
import { connectionJson, connectionText } from "../../src/inspect/json";
import { hex, FUZZ_ROOT } from "../lib/target";

export const maxLength = 32 * 1024;

/** Every key log beside the fixtures, once: seeds whose client randoms match get decrypted. */
export const KEYLOG = fs
  .readdirSync(path.join(FUZZ_ROOT, "fixtures"))
  .filter((f) => f.endsWith(".keylog"))
  .sort()
  .map((f) => fs.readFileSync(path.join(FUZZ_ROOT, "fixtures", f), "utf8"))
  .join("\n");

export const dictionary = [
  hex("d4c3b2a1"),
  hex("0a0d0d0a"),
  hex("4500"),
  hex("0800"),
  hex("0050"),
  hex("01bb"),
  hex("5018"),
  hex("5002"),
  hex("5012"),
  hex("5011"),
  hex("160301"),
  hex("160303"),
  hex("170303"),
  hex("1403030001 01"),
  hex("150303 0002"),
  hex("0100"),
  hex("0200"),
  hex("0b00"),
  hex("0303"),
];

export function inspectAndRender(data: Uint8Array, name: string, keylog: string): void {
  try {
    const model = inspectBytes(data, name, { detail: "full", keylog });
    for (const c of model.connections) {
      JSON.stringify(connectionJson(c, false));
      connectionText(c, false);
    }
  } catch (e) {
    if (!(e instanceof UnsupportedInputError)) throw e;
  }
}

export function fuzz(data: Uint8Array): void {
  inspectAndRender(data, "fuzz.pcap", KEYLOG);
}
