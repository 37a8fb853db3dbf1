/** pcapng files (src/capture/pcapng.ts through readCaptureBytes). Documented error: NotACaptureError. */
import { fuzzCaptureFile } from "../lib/support";
import { hex } from "../lib/target";

export const maxLength = 32 * 1024;

export const dictionary = [
  hex("0a0d0d0a"),
  hex("4d3c2b1a"),
  hex("1a2b3c4d"), // SHB, byte-order magic both ways
  hex("01000000"),
  hex("06000000"),
  hex("03000000"),
  hex("0a000000"),
  hex("05000000"),
  hex("04000000"), // IDB EPB SPB DSB ISB NRB
  hex("4b534c54"),
  hex("544c534b"), // DSB secrets type TLSK
  hex("0900 0100"),
  hex("0000 0000"),
  hex("ffffffff"),
  hex("0c000000"),
  hex("1c000000"),
];

export const fuzz = fuzzCaptureFile;
