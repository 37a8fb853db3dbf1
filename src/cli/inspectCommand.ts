/** `tls-handshake inspect FILE [--json | --summary] [--keylog FILE] [--rsa-key PEM]...` */
import * as fs from "node:fs";
import * as os from "node:os";
import { decoderScript, inspectPipelined } from "./pipelineInspect";
import { readHead, sniffFormat } from "../capture/pipeline";
import { inspectStream } from "../inspect/inspect";
import { JsonDocumentWriter } from "../inspect/json";
import { JsonByteWriter } from "../inspect/jsonBytes";
import { intOption, parseCommand, UsageError } from "./args";
import { PLAIN, stdoutStyle } from "./colour";
import { INSPECT } from "./commandSpecs";
import { helpAsked } from "./help";
import { Output } from "./output";
import { textLang } from "./lang";
import { connectionBytes, connectionText, errorsText, treeBytes } from "./textOutput";

/**
 * pcap files at least this large are inspected on two threads. The second thread costs ~0.1 s to start and the
 * framing log its copying, so it pays only where there is decoding to share — measured on handshake-heavy
 * captures: `--summary` of 150 MB 0.47 s on one thread, 0.57 s on two; of 250 MB about even; of 1 GB 1.6 s
 * against 1.2 s. `--json` decodes more per byte and breaks even sooner (100 MB: 0.75 s / 0.79 s; 250 MB: 1.56 s /
 * 1.31 s). With keys the reading thread also assembles and passes every application-data record, which on a bulk
 * capture is half the work (bulk_1g: reading 0.5 s, AES-GCM 0.9 s); on a handshake-heavy one the decoding side
 * (keys, records opened, Finished checked) is most of it, and its larger young generation (see pipelineInspect.ts)
 * saves collection as well — hs_100m `--json --keylog` 5.6 s on one thread against 4.4 s on two (a 120 MB bulk
 * capture: 0.30 s against 0.39 s). The text tree stays on one thread unless asked
 * (--threads 2): the reading side is a fifth of its work, and the second heap took it past 300 MB on hs_100m.
 */
const PIPELINE_MIN_BYTES = { summary: 256 << 20, json: 128 << 20, keyed: 64 << 20 };

export async function inspectCommand(argv: string[]): Promise<number> {
  const { values: a, positionals } = parseCommand(INSPECT, argv);
  if (helpAsked(INSPECT, a)) return 0;
  if (positionals.length !== 1) throw new UsageError("inspect needs exactly one FILE");
  const file = positionals[0];
  const json = a.json === true;
  const summary = a.summary === true;
  if (json && summary) throw new UsageError("--json and --summary are exclusive");
  const readText = (p: string, what: string): string => {
    try {
      return fs.readFileSync(p, "utf8");
    } catch (e) {
      throw new UsageError(`cannot read ${what} ${p}: ${(e as Error).message}`);
    }
  };
  const depth = intOption("depth", a.depth, 0) ?? 64;
  const asked = intOption("threads", a.threads, 1);
  const keylog = a.keylog !== undefined ? readText(a.keylog, "key log") : undefined;
  const rsaKeys = a["rsa-key"] !== undefined ? [readText(a["rsa-key"], "RSA key")] : undefined;
  if (!fs.existsSync(file)) throw new UsageError(`no such file: ${file}`);
  const out = new Output(1);
  const brief = a.brief === true;
  // A large pcap is inspected on two threads (pipelineInspect.ts) when there are two cores; --threads 1 keeps one
  // thread, --threads 2 asks for two whatever the size and mode.
  const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  const twoThreads =
    asked !== undefined
      ? asked > 1
      : cores > 1 && (json || summary) && fs.statSync(file).size >= PIPELINE_MIN_BYTES[keylog || rsaKeys ? "keyed" : summary ? "summary" : "json"];
  // Classic pcap only: a pcapng's Decryption Secrets Block could bring keys mid-file (keys given here are known
  // before the first packet, and go to both threads).
  const decoder = twoThreads && sniffFormat(readHead(file, 4)) === "pcap" ? decoderScript() : undefined;
  const style = stdoutStyle(a.color);
  const lang = textLang(a.lang);
  if (decoder && (json || summary)) {
    await inspectPipelined(file, summary, decoder, { keylog, rsaKeys });
  } else if (decoder) {
    const textOpts = { fieldsDepth: depth, style, lang };
    await inspectPipelined(file, false, decoder, {
      keylog,
      rsaKeys,
      text: { depth, colour: style !== PLAIN, brief, lang },
      quicText: (c) => connectionText(c, textOpts),
    });
  } else if (json || summary) {
    const w = new JsonDocumentWriter(new JsonByteWriter((b) => out.writeBytes(b)), summary);
    const r = inspectStream(file, file, { keylog, rsaKeys, detail: summary ? "summary" : "json", onConnection: (c) => w.connection(c) });
    w.end(r.input, r.errors);
  } else {
    let count = 0;
    const r = inspectStream(file, file, {
      keylog,
      rsaKeys,
      detail: brief ? "fields" : "full",
      // The text shows field trees, never bytes.
      keepBytes: false,
      treeText: (tree) => treeBytes(tree, { fieldsDepth: depth, style }),
      // Written as text when the connection ends: what waits for an earlier connection is its text, not its trees.
      prepare: (c) => connectionBytes(c, { fieldsDepth: depth, style, lang }),
      onConnection: (text) => {
        out.writeBuffered(text);
        // The first connection shows at once; after it, output goes in large writes.
        if (count++ === 0) out.flush();
      },
    });
    out.write(`${r.input.path}: ${r.input.format}, ${r.input.packets} packet(s), ${count} TLS connection(s)\n`);
    out.write(errorsText(r.errors, style));
  }
  out.flush();
  return 0;
}
