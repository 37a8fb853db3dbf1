/**
 * The comparison of a decoded QUIC capture with tshark's decode of it (the oracle test/tools/quic-oracle.py writes):
 * connections, every QUIC packet and frame with its fields, every handshake message with its fields (transport
 * parameters included), every Finished verified. Shared by the fixture oracle test and the live recording test.
 */
import assert from "node:assert/strict";
import type { CaptureModel, ConnectionModel, QuicPacketInfo } from "../../../../src/model";
import { isVarintTransportParameter } from "../../../../src/tls/registry/quicTransportParameters";

interface OracleFrame {
  type: number;
  [k: string]: unknown;
}
interface OraclePacket {
  dir: string;
  frame: number;
  type: string;
  version: number | null;
  dcid: string;
  scid: string | null;
  packetNumber: number | null;
  length: number;
  decrypted: boolean;
  frames: OracleFrame[];
  keyPhase?: boolean | null;
  retryTagVerified?: boolean;
  supportedVersions?: number[];
  tokenLength?: number;
}
interface OracleMessage {
  dir: string;
  type: number;
  name: string;
  length: number;
  frame: number;
  space: string;
  encrypted: boolean;
  fields: Record<string, unknown>;
}
interface OracleConnection {
  connection: number;
  client: { ip: string; port: number };
  server: { ip: string; port: number };
  version: number | null;
  cipherSuite: number | null;
  sni: string | null;
  alpn: string | null;
  decrypted: boolean;
  packets: OraclePacket[];
  messages: OracleMessage[];
}
export interface Oracle {
  capture: string;
  keylog: string | null;
  packets: number;
  connections: OracleConnection[];
}

export const counts = {
  captures: 0,
  connections: 0,
  packets: 0,
  frames: 0,
  frameFields: 0,
  messages: 0,
  messageFields: 0,
  transportParameters: 0,
  finished: 0,
};

/** Our frame field name for each of the oracle's (the same meaning; see quic-oracle.py FRAME_FIELDS). */
function ourFrameField(f: { name: string; fields: Record<string, unknown> }, key: string): unknown {
  const x = f.fields;
  switch (key) {
    case "cidLength":
      return typeof x.cid === "string" ? x.cid.length / 2 : undefined;
    case "gaps":
      return (x.ranges as number[][] | undefined)?.map((r) => r[0]);
    case "ranges":
      return (x.ranges as number[][] | undefined)?.map((r) => r[1]);
    case "maximum":
      return x.maximum;
    default:
      return x[key];
  }
}

function decodeVarintHex(h: string): number {
  const b = Buffer.from(h, "hex");
  let v = b[0] & 0x3f;
  for (let i = 1; i < b.length; i++) v = v * 256 + b[i];
  return v;
}

function comparePackets(ours: QuicPacketInfo[], want: OraclePacket[], where: string): void {
  assert.equal(ours.length, want.length, `${where}: packet count`);
  want.forEach((w, i) => {
    const o = ours[i];
    const at = `${where} packet ${i} (frame ${w.frame} ${w.type})`;
    assert.deepEqual(
      { dir: o.dir, frame: o.frame, type: o.type, version: o.version, dcid: o.dcid, scid: o.scid, length: o.length, decrypted: o.decrypted },
      { dir: w.dir, frame: w.frame, type: w.type, version: w.version, dcid: w.dcid, scid: w.scid, length: w.length, decrypted: w.decrypted },
      at,
    );
    // tshark shows a packet number only where it removed header protection; so do we.
    if (w.decrypted) assert.equal(o.packetNumber, w.packetNumber, `${at}: packet number`);
    if (w.keyPhase !== undefined && w.keyPhase !== null && w.decrypted) assert.equal(o.keyPhase, w.keyPhase ? 1 : 0, `${at}: key phase`);
    if (w.retryTagVerified !== undefined) assert.equal(o.retryIntegrity, w.retryTagVerified, `${at}: Retry integrity tag`);
    if (w.supportedVersions) assert.deepEqual(o.supportedVersions, w.supportedVersions, `${at}: supported versions`);
    if (w.tokenLength !== undefined && w.tokenLength !== null) assert.equal(o.tokenLength, w.tokenLength, `${at}: token length`);
    const details = o.frameDetails ?? [];
    assert.deepEqual(
      details.map((f) => f.type),
      w.frames.map((f) => f.type),
      `${at}: frame types`,
    );
    w.frames.forEach((wf, j) => {
      for (const [k, v] of Object.entries(wf)) {
        if (k === "type") continue;
        assert.deepEqual(ourFrameField(details[j], k), v, `${at} frame ${j} (${details[j].name}) ${k}`);
        counts.frameFields++;
      }
    });
    counts.frames += w.frames.length;
    counts.packets++;
  });
}

export function compareConnection(ours: ConnectionModel, want: OracleConnection, where: string): void {
  assert.equal(ours.transport, "quic", `${where}: transport`);
  assert.deepEqual(ours.client, want.client, `${where}: client`);
  assert.deepEqual(ours.server, want.server, `${where}: server`);
  assert.equal(ours.version, want.version, `${where}: version`);
  assert.equal(ours.cipherSuite, want.cipherSuite, `${where}: cipherSuite`);
  assert.equal(ours.sni, want.sni, `${where}: sni`);
  assert.equal(ours.alpn, want.alpn, `${where}: alpn`);
  assert.equal(ours.decrypted, want.decrypted, `${where}: decrypted`);
  comparePackets(ours.packets ?? [], want.packets, where);
  const pick = (m: { dir: string; type: number; name: string; length: number; frame: number; space?: string; encrypted: boolean }) => ({
    dir: m.dir,
    type: m.type,
    name: m.name,
    length: m.length,
    frame: m.frame,
    space: m.space,
    encrypted: m.encrypted,
  });
  assert.deepEqual(ours.messages.map(pick), want.messages.map(pick), `${where}: messages`);
  want.messages.forEach((wm, i) => {
    const got = ours.messages[i].fields ?? {};
    for (const [k, v] of Object.entries(wm.fields)) {
      if (k === "quicTransportParameters") {
        const tp = got.quicTransportParameters as { id: number; name: string; value: number | string }[];
        const wtp = v as { id: number | string; length: number; value: string }[];
        assert.deepEqual(
          tp.map((p) => p.id),
          wtp.map((p) => p.id),
          `${where}: message ${i} transport parameter ids`,
        );
        wtp.forEach((p, j) => {
          const want = typeof p.id === "number" && isVarintTransportParameter(p.id) ? decodeVarintHex(p.value) : p.value;
          assert.deepEqual(tp[j].value, want, `${where}: message ${i} transport parameter ${tp[j].name}`);
          counts.transportParameters++;
        });
        continue;
      }
      if (k === "certificates") {
        // tshark gives each certificate's bytes (hashed by the oracle script); subject and issuer are ours only.
        const certs = got.certificates as { sha256: string; length: number }[];
        assert.deepEqual(
          certs.map((c) => ({ sha256: c.sha256, length: c.length })),
          v,
          `${where}: message ${i} certificates`,
        );
      } else {
        assert.deepEqual(got[k], v, `${where}: message ${i} (${wm.name}) field ${k}`);
      }
      counts.messageFields++;
    }
    if (wm.type === 20 && ours.decrypted) {
      assert.equal(got.verified, true, `${where}: message ${i} Finished verified`);
      counts.finished++;
    }
    counts.messages++;
  });
  counts.connections++;
}

/** The whole capture: packet count, no errors, each connection as tshark saw it. */
export function compareCapture(model: CaptureModel, oracle: Oracle, name: string): void {
  assert.equal(model.input.packets, oracle.packets, "packets");
  assert.deepEqual(model.errors, [], "capture errors");
  assert.equal(model.connections.length, oracle.connections.length, "connections");
  oracle.connections.forEach((c, i) => compareConnection(model.connections[i], c, `${name} connection ${i}`));
  for (const c of model.connections) assert.deepEqual(c.errors, [], `connection ${c.id} errors`);
  counts.captures++;
}
