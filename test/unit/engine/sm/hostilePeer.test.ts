/**
 * A server that answers `connect` with something malformed or unexpected — a key_share whose body is cut short,
 * a key share for a group the client never offered, a version it did not offer — gets the right alert (RFC 8446 §6.2)
 * and a located error in the step list; `connect` always resolves, bounded, never throws or hangs.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as net from "node:net";
import { connect, type ConnectResult } from "../../../../src/engine/connect";
import * as E from "../../../../src/tls/encode";
import { encodeRecord } from "../../../../src/tls/record";
import { ContentType, ExtensionType, NamedGroup, ProtocolVersion, CipherSuite, AlertDescription } from "../../../../src/tls/registry";

/** A one-shot server: on the ClientHello it writes `answer` (records) and waits for the client's alert. */
async function withFakeServer(answer: (clientHello: Buffer) => Uint8Array, run: (port: number) => Promise<void>): Promise<void> {
  const server = net.createServer((s) => {
    s.once("data", (d) => s.write(answer(d)));
    s.on("error", () => {});
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    await run((server.address() as net.AddressInfo).port);
  } finally {
    server.close();
  }
}

const serverHello13 = (ch: Buffer, extensions: E.ExtensionData[]) =>
  encodeRecord(
    ContentType.handshake,
    ProtocolVersion.TLSv1_2,
    E.encodeServerHello({ random: new Uint8Array(32).fill(7), sessionId: sessionIdOf(ch), cipherSuite: CipherSuite.TLS_AES_128_GCM_SHA256, extensions }),
  );
/** ClientHello.legacy_session_id, after the record and handshake headers, legacy_version and random. */
const sessionIdOf = (ch: Buffer) => ch.subarray(5 + 4 + 2 + 32 + 1, 5 + 4 + 2 + 32 + 1 + ch[5 + 4 + 2 + 32]);

function failedWith(r: ConnectResult, alert: number, detail: RegExp): void {
  assert.equal(r.ok, false);
  const sent = r.connection.alerts.filter((a) => a.dir === "c2s" && a.level === 2).map((a) => a.description);
  assert.deepEqual(sent, [alert], `alerts sent: ${sent.join(",")}`);
  const failed = r.steps.filter((s) => s.kind === "check" && !s.ok).map((s) => (s.kind === "check" ? `${s.title}: ${s.detail}` : ""));
  assert.ok(
    failed.some((t) => detail.test(t)),
    `a failed step matching ${detail}: ${failed.join(" | ")}`,
  );
}

const opts = (port: number) => ({ host: "127.0.0.1", port, version: "1.3" as const, insecure: true, timeoutMs: 5000 });

test("a key_share cut short: decode_error, located at its field and byte", { timeout: 20000 }, async () => {
  await withFakeServer(
    (ch) =>
      serverHello13(ch, [
        E.supportedVersionsServerExt(ProtocolVersion.TLSv1_3),
        // group x25519, key_exchange length 32, but 3 bytes of it.
        { type: ExtensionType.key_share, data: Uint8Array.of(0, NamedGroup.x25519, 0, 32, 1, 2, 3) },
      ]),
    async (port) => {
      const r = await connect(opts(port));
      failedWith(r, AlertDescription.decode_error, /ServerHello decodes: .*key_share.*byte \d+ of the \d+-byte message, record \d+/);
    },
  );
});

test("a key share for a group the client did not offer: illegal_parameter", { timeout: 20000 }, async () => {
  await withFakeServer(
    (ch) =>
      serverHello13(ch, [
        E.supportedVersionsServerExt(ProtocolVersion.TLSv1_3),
        E.keyShareServerExt({ group: 0x1234, keyExchange: new Uint8Array(32).fill(9) }),
      ]),
    async (port) => {
      const r = await connect(opts(port));
      failedWith(r, AlertDescription.illegal_parameter, /key share|group/i);
    },
  );
});

test("a ServerHello choosing TLS 1.2 for a TLS 1.3-only client: protocol_version", { timeout: 20000 }, async () => {
  await withFakeServer(
    (ch) =>
      encodeRecord(
        ContentType.handshake,
        ProtocolVersion.TLSv1_2,
        E.encodeServerHello({
          random: new Uint8Array(32).fill(7),
          sessionId: sessionIdOf(ch),
          cipherSuite: CipherSuite.TLS_AES_128_GCM_SHA256,
          extensions: [],
        }),
      ),
    async (port) => {
      // A TLS 1.3-only client and a ServerHello without supported_versions: it negotiated TLS 1.2, which was not offered.
      const r = await connect(opts(port));
      failedWith(r, AlertDescription.protocol_version, /version/);
    },
  );
});
