// The QUIC views over the recorded QUIC captures (test/fixtures/quic, ngtcp2 and Chromium on 127.0.0.1): every
// packet of a connection is on the timeline (a row, or in a collapsed run of 1-RTT data), every handshake message
// right after the packet that completed it; each packet's byte views are the packet as captured and, when
// decrypted, its unprotected header followed by the plaintext, with field trees that cover every byte in order.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { inspectFile } from "../../../src/inspect/inspect";
import { connectionView } from "../../../src/inspect/viewModel";
import type { FieldNode } from "../../../src/protocol/messages";
import { buildQuicRows } from "../../../webview-ui/src/quicRows";

const DIR = path.resolve(__dirname, "../../fixtures/quic");

function fixtures(): { file: string; keylog?: string }[] {
  return fs
    .readdirSync(DIR)
    .filter((n) => /\.pcap(ng)?$/.test(n))
    .map((n) => {
      const k = path.join(DIR, n.replace(/(-dsb)?\.pcap(ng)?$/, ".keylog"));
      return { file: path.join(DIR, n), keylog: fs.existsSync(k) ? fs.readFileSync(k, "utf8") : undefined };
    });
}

/** Children in order, inside their parent, leaves covering the parent's bytes without gaps. */
function checkCover(n: FieldNode, where: string): void {
  if (!n.children?.length) return;
  let at = n.start;
  for (const c of n.children) {
    assert.ok(c.start >= at && c.end <= n.end, `${where}.${c.name}: ${c.start}-${c.end} outside ${at}-${n.end}`);
    at = c.end;
    checkCover(c, `${where}.${c.name}`);
  }
}

for (const fx of fixtures()) {
  test(`QUIC views: ${path.basename(fx.file)}`, () => {
    const model = inspectFile(fx.file, { keylog: fx.keylog, detail: "full" });
    const quic = model.connections.filter((c) => c.transport === "quic");
    assert.ok(quic.length > 0, "no QUIC connection");
    for (const c of quic) {
      const v = connectionView(c);
      assert.equal(v.transport, "quic");
      assert.ok(v.packets && v.packets.length === c.packets!.length);
      const rows = buildQuicRows(v);
      // Every message once, after the row of the packet that carried its last byte.
      const msgRows = rows.filter((r) => r.kind === "message");
      assert.deepEqual(
        msgRows.map((r) => r.message!.index),
        v.messageList.map((m) => m.index),
      );
      for (const r of msgRows) {
        if (r.message!.packet === undefined) continue;
        const carrier = rows
          .slice(0, r.pos)
          .reverse()
          .find((x) => x.kind === "packet");
        assert.ok(carrier?.packet && carrier.packet.index <= r.message!.packet, `${r.name} is not under its packet`);
      }
      // Every packet: its own row, or counted in a collapsed run.
      const counted = rows.filter((r) => r.kind === "packet").reduce((n, r) => n + (r.count ?? 1), 0);
      assert.equal(counted, v.packets.length);
      for (const p of v.packets) {
        const raw = c.packets![p.index];
        if (!raw.raw) continue;
        assert.ok(p.protectedBytes, `packet ${p.index}: no protected view`);
        assert.equal(p.protectedBytes.hex, Buffer.from(raw.raw).toString("hex"));
        assert.equal(p.protectedBytes.tree.end, raw.raw.length);
        checkCover(p.protectedBytes.tree, `packet ${p.index}`);
        assert.ok(!p.protectedBytes.tree.error, `packet ${p.index}: ${p.protectedBytes.tree.error}`);
        if (p.decrypted) {
          assert.ok(p.plaintextBytes, `packet ${p.index}: decrypted without a plaintext view`);
          const want = Buffer.concat([raw.header!, raw.plaintext!]).toString("hex");
          assert.equal(p.plaintextBytes.hex, want);
          checkCover(p.plaintextBytes.tree, `packet ${p.index} (decrypted)`);
          assert.ok(!p.plaintextBytes.tree.error, `packet ${p.index}: ${p.plaintextBytes.tree.error}`);
          // The frames' nodes are the frames the decoder found, in order.
          const payload = p.plaintextBytes.tree.children!.find((n) => n.name === "payload")!;
          assert.deepEqual(
            payload.children!.map((n) => n.name),
            raw.frameDetails!.map((f) => f.name),
          );
          // The packet number's bytes are the low bits of the full number (RFC 9000 §17.1).
          const header = p.plaintextBytes.tree.children!.find((n) => n.name === "header")!;
          const pn = header.children!.find((n) => n.name === "packet_number")!;
          const bytes = Buffer.from(String(pn.value), "hex");
          let low = 0;
          for (const b of bytes) low = low * 256 + b;
          assert.equal(low, p.packetNumber! % 2 ** (8 * bytes.length));
        } else {
          assert.equal(p.plaintextBytes, undefined);
        }
      }
    }
  });
}

test("quic_transport_parameters in the field tree: one node per parameter, as the JSON lists them", () => {
  const file = path.join(DIR, "chromium-h3.pcap");
  const model = inspectFile(file, { keylog: fs.readFileSync(path.join(DIR, "chromium-h3.keylog"), "utf8"), detail: "full" });
  let seen = 0;
  for (const c of model.connections)
    for (const m of c.messages) {
      const tp = (m.fields as Record<string, unknown> | undefined)?.quicTransportParameters as { name: string }[] | undefined;
      if (!tp) continue;
      const find = (n: FieldNode | undefined, name: string): FieldNode | undefined =>
        !n ? undefined : n.name === name ? n : n.children?.map((k) => find(k, name)).find((x) => x);
      const ext = find(m.tree, "quic_transport_parameters");
      const data = ext?.children?.find((n) => n.name === "extension_data");
      const params = data?.children?.filter((n) => n.name === "transport_parameter") ?? [];
      assert.equal(params.length, tp.length, `${m.name}`);
      params.forEach((n, i) => assert.ok(n.display.startsWith(tp[i].name), `${n.display} vs ${tp[i].name}`));
      seen++;
    }
  assert.ok(seen >= 2, "ClientHello and EncryptedExtensions both carry the parameters");
});

test("every note and section a QUIC packet's fields point to exists, in English and Korean", () => {
  const notes = path.resolve(__dirname, "../../../media/notes");
  const headings = (lang: string, id: string): string[] =>
    fs
      .readFileSync(path.join(notes, lang, `${id}.md`), "utf8")
      .split("\n")
      .filter((l) => /^#{2,6} /.test(l))
      .map((l) => l.replace(/^#+ /, ""));
  const seen = new Set<string>();
  const walk = (n: FieldNode) => {
    if (n.note) seen.add(`${n.note}#${n.noteSection ?? ""}`);
    for (const c of n.children ?? []) walk(c);
  };
  for (const fx of fixtures())
    for (const c of inspectFile(fx.file, { keylog: fx.keylog, detail: "full" }).connections)
      for (const p of connectionView(c).packets ?? []) {
        if (p.protectedBytes) walk(p.protectedBytes.tree);
        if (p.plaintextBytes) walk(p.plaintextBytes.tree);
      }
  assert.ok(seen.size >= 8, [...seen].join(", "));
  for (const key of seen) {
    const [id, section] = key.split("#");
    for (const lang of ["en", "ko"]) assert.ok(fs.existsSync(path.join(notes, lang, `${id}.md`)), `${lang}/${id}.md`);
    if (section) assert.ok(headings("en", id).includes(section), `${id}: no section "${section}"`);
  }
});
