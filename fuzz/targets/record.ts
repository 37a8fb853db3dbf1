/**
 * TLS record framing (src/tls/recordSplitter.ts). Byte 0 chooses which content types the sink wants, whether
 * gaps are injected and a small length bound; byte 1 seeds the chunking, so the same stream is cut at different
 * places (headers and fragments split across pushes). Checked: a wanted, undamaged fragment has exactly its
 * declared length; records come in stream order and never past the bytes pushed.
 */
import { RecordSplitter } from "../../src/tls/recordSplitter";
import { Rng } from "../lib/rng";
import { check } from "../lib/support";
import { hex } from "../lib/target";

export const maxLength = 64 * 1024;

export const dictionary = [
  hex("160301"),
  hex("160303"),
  hex("170303"),
  hex("140303 0001 01"),
  hex("150303 0002 0228"),
  hex("180303"),
  hex("4000"),
  hex("4800"),
  hex("4801"),
];

export function fuzz(data: Uint8Array): void {
  if (data.length < 2) return;
  const cfg = data[0];
  const stream = data.subarray(2);
  const rng = new Rng(data[1] * 7919 + 1);
  const wantMask = cfg & 0x7f; // bit t-20 set: type t wanted
  const withGaps = (cfg & 0x80) !== 0;
  const maxRecord = cfg & 0x40 ? 300 : undefined;
  let lastOffset = -1;
  let pushed = 0;
  let records = 0;
  const splitter = new RecordSplitter(
    {
      wantFragment: (type) => ((wantMask >> ((type - 20) & 7)) & 1) === 1,
      record(type, _version, length, fragment, _frame, offset, damaged) {
        records++;
        check(type >= 20 && type <= 26, `record type ${type} passed framing`);
        check(offset > lastOffset, `record at offset ${offset} after one at ${lastOffset}`);
        lastOffset = offset;
        check(offset + 5 + length <= pushed, `record [${offset}, ${offset + 5 + length}) past the ${pushed} bytes pushed`);
        if (fragment !== null) {
          check(!damaged, "a damaged record came with a fragment");
          check(fragment.length === length, `fragment of ${fragment.length} bytes for a length of ${length}`);
        }
      },
      invalid(_reason, offset) {
        check(offset <= pushed, `invalid at offset ${offset} past the ${pushed} bytes pushed`);
      },
    },
    maxRecord,
  );
  let i = 0;
  let frame = 0;
  while (i < stream.length && frame < 100000) {
    frame++;
    if (withGaps && rng.chance(0.05)) {
      const n = 1 + rng.below(64);
      pushed += n;
      splitter.gap(n, frame);
      continue;
    }
    const n = Math.min(stream.length - i, rng.chance(0.3) ? 1 + rng.below(6) : 1 + rng.below(2048));
    pushed += n;
    splitter.push(stream.subarray(i, i + n), frame);
    i += n;
  }
  check(splitter.offset <= pushed, `splitter offset ${splitter.offset} past ${pushed} bytes`);
  check(splitter.pendingBytes() <= pushed, "pending bytes past the stream");
  check(records <= pushed / 5 + 1, `${records} records from ${pushed} bytes`);
}
