/**
 * Handshake-layer bounds: a message may claim up to 2^24 - 1 bytes (RFC 8446 §4) but nothing is reserved before
 * its bytes arrive; adversarial shapes — a message split into 16k one-byte records, a ClientHello with as many
 * tiny extensions as fit (16k: the extensions block is a uint16-length vector, RFC 8446 §4.1.2, so 30k empty
 * extensions cannot be encoded), a certificate_list with 10k entries, DER nested thousands deep — cost linear time.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { decodeHandshake } from "../../../src/tls/handshake/decode";
import { certificateTree, inspectCertificate } from "../../../src/tls/x509/certificate";
import { LIMITS, TlsConnection } from "../../../src/inspect/tlsConnection";
import { assertLinear, fakeTcp, MiB, ms, record, retained } from "./helpers";
import { concatBytes } from "../../../src/tls/bytes";
import { sharedPath } from "../../support/require";

const u16 = (v: number) => [v >> 8, v & 0xff];
const u24 = (v: number) => [v >> 16, (v >> 8) & 0xff, v & 0xff];

function handshake(type: number, body: Uint8Array): Uint8Array {
  return Uint8Array.from([type, ...u24(body.length), ...body]);
}

/** A ClientHello (TLS 1.2 legacy_version, one suite, null compression) with the given extensions block. */
function clientHello(extensions: Uint8Array): Uint8Array {
  const body = concatBytes(
    Uint8Array.of(3, 3),
    new Uint8Array(32).fill(7), // random
    Uint8Array.of(0), // session_id
    Uint8Array.of(...u16(2), 0x13, 0x01),
    Uint8Array.of(1, 0),
    Uint8Array.of(...u16(extensions.length)),
    extensions,
  );
  return handshake(1, body);
}

function sniExtension(name: string): Uint8Array {
  const n = Buffer.from(name, "ascii");
  return Uint8Array.from([0, 0, ...u16(n.length + 5), ...u16(n.length + 3), 0, ...u16(n.length), ...n]);
}

/** `n` empty extensions with distinct unassigned code points, then server_name last. */
function manyExtensions(n: number): Uint8Array {
  const out = new Uint8Array(4 * n);
  for (let i = 0; i < n; i++) {
    const type = 0x5000 + i; // unassigned code points (GREASE ones among them are fine: empty is allowed)
    out[4 * i] = type >> 8;
    out[4 * i + 1] = type & 0xff;
  }
  return concatBytes(out, sniExtension("limits.test"));
}

const CTX = { dir: "c2s" as const, version: null, cipherSuite: null };

test("LIMITS: a handshake message is at most 2^24 - 1 bytes (its length is a uint24)", () => {
  assert.equal(LIMITS.maxHandshakeMessage, (1 << 24) - 1);
});

test("a message claiming 2^24 - 1 bytes holds only the bytes that arrived", () => {
  const body = new Uint8Array(1 << 14);
  const { value: conn, bytes } = retained(() => {
    const c = new TlsConnection(fakeTcp(), { detail: "full" });
    c.data(0, record(22, Uint8Array.of(1, 0xff, 0xff, 0xff)), 1); // ClientHello header claiming 16 MiB - 1
    for (let i = 0; i < 64; i++) c.data(0, record(22, body), 2 + i); // 1 MiB of it
    return c;
  });
  assert.equal(conn.model.messages.length, 0, "the message is incomplete");
  assert.ok(bytes < 6 * MiB, `retained ${(bytes / MiB).toFixed(1)} MiB for 1 MiB received of a 16 MiB claim`);
  conn.close(100);
});

test("a ClientHello split into 16k one-byte records: linear time, decoded as sent", () => {
  const padding = new Uint8Array(16_000 - 60);
  const ext = concatBytes(sniExtension("split.test"), Uint8Array.of(0, 21, ...u16(padding.length)), padding);
  const hello = clientHello(ext);
  assert.ok(hello.length >= 16_000);
  const run = (n: number) => {
    const c = new TlsConnection(fakeTcp(), { detail: "full" });
    const bytes = hello.subarray(0, n);
    const stream = new Uint8Array(6 * n);
    for (let i = 0; i < n; i++) stream.set([22, 3, 1, 0, 1, bytes[i]], 6 * i);
    c.data(0, stream, 1);
    return c;
  };
  let conn: TlsConnection | undefined;
  const t = ms(() => {
    conn = run(hello.length);
  });
  assert.ok(t < 5000, `${hello.length} one-byte records took ${t.toFixed(0)} ms`);
  assert.equal(conn!.model.messages.length, 1);
  assert.equal(conn!.model.messages[0].name, "ClientHello");
  assert.equal(conn!.model.sni, "split.test");
  assert.equal(conn!.model.records.length, hello.length);
  assertLinear("one-byte handshake records", (n) => void run(n), 2000);
});

test("a ClientHello with 16k tiny extensions (the most that fit): linear time in both decode modes and through a connection", () => {
  const hello = clientHello(manyExtensions(16_000));
  for (const annotate of [false, true]) {
    let sni: unknown;
    const t = ms(() => {
      const d = decodeHandshake(hello, CTX, annotate);
      assert.equal(d.error, undefined, d.error?.message);
      sni = d.details.sni;
    });
    assert.equal(sni, "limits.test");
    assert.ok(t < 5000, `annotate=${annotate}: ${t.toFixed(0)} ms`);
    assertLinear(`many extensions (annotate=${annotate})`, (n) => void decodeHandshake(clientHello(manyExtensions(n)), CTX, annotate), 2000);
  }
  // Through a connection: the 64 KB message spans four records.
  const c = new TlsConnection(fakeTcp(), { detail: "full" });
  const t = ms(() => {
    for (let o = 0; o < hello.length; o += 1 << 14) c.data(0, record(22, hello.subarray(o, o + (1 << 14))), 1 + (o >> 14));
  });
  assert.equal(c.model.messages.length, 1);
  assert.equal(c.model.sni, "limits.test");
  assert.ok(t < 5000, `through a connection: ${t.toFixed(0)} ms`);
});

/** A TLS 1.2 Certificate message whose certificate_list holds these DER blobs. */
function certificateMessage(entries: Uint8Array[]): Uint8Array {
  const list = concatBytes(...entries.map((e) => Uint8Array.from([...u24(e.length), ...e])));
  return handshake(11, Uint8Array.from([...u24(list.length), ...list]));
}

const TLS12 = { dir: "s2c" as const, version: 0x0303, cipherSuite: 0xc02f };

test("a certificate_list with 10k distinct tiny entries: every entry listed, linear time", () => {
  const entries = (n: number) => Array.from({ length: n }, (_, i) => Uint8Array.of(0x30, 6, 2, 4, i >>> 24, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff));
  const msg = certificateMessage(entries(10_000));
  for (const annotate of [false, true]) {
    let count = 0;
    const t = ms(() => {
      const d = decodeHandshake(msg, TLS12, annotate);
      count = d.details.certificates?.length ?? 0;
    });
    assert.equal(count, 10_000);
    assert.ok(t < 8000, `annotate=${annotate}: ${t.toFixed(0)} ms`);
  }
  assertLinear("tiny chain entries", (n) => void decodeHandshake(certificateMessage(entries(n)), TLS12, false), 1000);
});

const CERT_PEM = sharedPath("fixtures", "certs", "server-rsa.pem");

test("a certificate_list of full-size distinct certificates: every one decoded with its fields, linear time", () => {
  const pem = fs.readFileSync(CERT_PEM, "utf8");
  const der = new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----|\s+/g, ""), "base64"));
  const entriesOf = (n: number) =>
    Array.from({ length: n }, (_, i) => {
      const c = der.slice();
      c[c.length - 1] = i & 0xff; // a different signature byte: a different certificate to every cache
      c[c.length - 2] = i >> 8;
      return c;
    });
  const d = decodeHandshake(certificateMessage(entriesOf(300)), TLS12, true);
  assert.equal(d.error, undefined);
  // 40 → 320 certificates, each timed as the best of three: cost per certificate, not per pair of them.
  assertLinear("full-size chain entries", (n) => void decodeHandshake(certificateMessage(entriesOf(n)), TLS12, true), 40);
});

test("DER nested 50k levels deep: the certificate walkers neither overflow the stack nor take long", () => {
  // SEQUENCE { SEQUENCE { ... } } with long-form lengths, innermost empty.
  const depth = 50_000;
  const parts: number[][] = [];
  let inner = 0;
  for (let i = 0; i < depth; i++) {
    parts.push([0x30, 0x83, ...u24(inner)]);
    inner += 5;
  }
  const der = Uint8Array.from(parts.reverse().flat());
  const t = ms(() => {
    const info = inspectCertificate(der);
    assert.equal(info.ok, false);
    const tree = certificateTree(der, 0);
    assert.ok(tree.end <= der.length);
  });
  assert.ok(t < 5000, `took ${t.toFixed(0)} ms`);
});
