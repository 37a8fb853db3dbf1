/** pcap files (src/capture/pcap.ts through readCaptureBytes). Documented error: NotACaptureError. */
import { fuzzCaptureFile } from "../lib/support";
import { hex } from "../lib/target";

export const maxLength = 32 * 1024;

export const dictionary = [
  hex("d4c3b2a1"),
  hex("a1b2c3d4"),
  hex("4d3cb2a1"),
  hex("a1b23c4d"),
  hex("01000000"),
  hex("65000000"),
  hex("71000000"),
  hex("14010000"),
  hex("e4000000"),
  hex("ffff0000"),
  hex("00000100"),
  hex("0800"),
  hex("86dd"),
  hex("4500"),
  hex("6000"),
];

export const fuzz = fuzzCaptureFile;
