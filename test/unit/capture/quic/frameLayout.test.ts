/**
 * The QUIC frame layouts (src/capture/quic/frameLayout.ts) are the one description both frame readers walk: every
 * registered frame type but PADDING has one, and on every decrypted packet of the recorded QUIC captures
 * (test/fixtures/quic, ngtcp2 and Chromium on 127.0.0.1) the packet view's node of each frame covers exactly the
 * bytes the tracker read for it, without an error, its children in the layout's order.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { frameLayout } from "../../../../src/capture/quic/frameLayout";
import { QuicFrame, quicFrameTypes } from "../../../../src/tls/registry/quicFrameTypes";
import { inspectBytes } from "../../../../src/inspect/inspect";
import { packetView } from "../../../../src/inspect/quic/packetView";
import type { FieldNode } from "../../../../src/protocol/messages";

const DIR = path.resolve(__dirname, "../../../fixtures/quic");

test("every registered frame type but PADDING has a layout", () => {
  for (const [value] of quicFrameTypes.entries()) {
    if (value === QuicFrame.PADDING) assert.equal(frameLayout(value), undefined);
    else assert.ok(frameLayout(value), `0x${value.toString(16)}`);
  }
});

test("the packet view reads each frame over exactly the tracker's bytes, in the layout's order", () => {
  let frames = 0;
  for (const f of fs.readdirSync(DIR).filter((n) => /\.(pcap|pcapng)$/.test(n))) {
    const k = path.join(DIR, f.replace(/(-dsb)?\.(pcap|pcapng)$/, ".keylog"));
    const keylog = fs.existsSync(k) ? fs.readFileSync(k, "utf8") : undefined;
    const model = inspectBytes(new Uint8Array(fs.readFileSync(path.join(DIR, f))), f, { detail: "full", keylog });
    for (const c of model.connections) {
      for (const [i, p] of (c.packets ?? []).entries()) {
        if (!p.decrypted || !p.frameDetails || !p.header) continue;
        const payload = packetView(p, i, []).plaintextBytes!.tree.children!.find((n) => n.name === "payload")!;
        const nodes = payload.children ?? [];
        assert.equal(nodes.length, p.frameDetails.length, `${f} packet ${i}`);
        p.frameDetails.forEach((d, j) => {
          const n: FieldNode = nodes[j];
          const where = `${f} packet ${i} frame ${j} (${d.name})`;
          assert.equal(n.name, d.name, where);
          assert.equal(n.start - p.header!.length, d.start, where);
          assert.equal(n.end - p.header!.length, d.end, where);
          assert.equal(n.error, undefined, where);
          const layout = frameLayout(d.type);
          if (layout) {
            const present = layout.flatMap((l) => (l.kind === "derived" || ("when" in l && l.when && !l.when(d.type)) ? [] : [l.node]));
            const expected = ["frame_type", ...present];
            // A repeat appears once per repetition (or not at all).
            const names = (n.children ?? []).map((x) => x.name).filter((x, q, all) => all[q - 1] !== x);
            assert.deepEqual(
              names,
              expected.filter((x) => x !== "ack_range" || names.includes("ack_range")),
              where,
            );
          }
          frames++;
        });
      }
    }
  }
  assert.ok(frames > 700, `${frames} frames`);
});
