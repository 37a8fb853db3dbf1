/** dist/decoder.js: the decoding thread of `inspect --json/--summary` on two threads (see decoderThread.ts). */
import { runDecoderIfWorker } from "./decoderThread";

runDecoderIfWorker();
