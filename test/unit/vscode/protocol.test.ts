// The paging part of the host ↔ webview protocol: a long connection list goes as a first page plus pages on
// request, and both sides reject malformed page messages (the page is untrusted input to the host, and the host's
// messages are checked before the page renders them).
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { inspectFile } from "../../../src/inspect/inspect";
import { captureDocument } from "../../../src/inspect/viewModel";
import { CONNECTIONS_PAGE, isHostToWebview, isWebviewToHost } from "../../../src/protocol/messages";

const REPO = path.resolve(__dirname, "../../..");

test("loadConnections from the page: a non-negative integer index, nothing else", () => {
  assert.ok(isWebviewToHost({ type: "loadConnections", from: 2000 }));
  for (const from of [-1, 1.5, "2000", null, undefined, 2 ** 40]) assert.ok(!isWebviewToHost({ type: "loadConnections", from }), String(from));
});

test("connections pages from the host: real summaries pass, oversized or malformed pages do not", () => {
  const model = inspectFile(path.join(REPO, "samples", "tls13-x25519-aes128gcm.pcap"), { detail: "summary" });
  const one = captureDocument(model).connections;
  assert.ok(isHostToWebview({ type: "connections", from: 0, connections: one }));
  const full = Array.from({ length: CONNECTIONS_PAGE }, (_, i) => ({ ...one[0], id: i }));
  assert.ok(isHostToWebview({ type: "connections", from: CONNECTIONS_PAGE, connections: full }));
  assert.ok(!isHostToWebview({ type: "connections", from: 0, connections: [...full, one[0]] }), "more than a page");
  assert.ok(!isHostToWebview({ type: "connections", from: -1, connections: one }));
  assert.ok(!isHostToWebview({ type: "connections", from: 0, connections: "x" }));
});

test("selectPacket from the page: a connection and a packet index, both non-negative integers", () => {
  assert.ok(isWebviewToHost({ type: "selectPacket", connection: 0, packet: 3 }));
  for (const packet of [-1, 1.5, "3", null, undefined]) assert.ok(!isWebviewToHost({ type: "selectPacket", connection: 0, packet }), String(packet));
  assert.ok(!isWebviewToHost({ type: "selectPacket", packet: 3 }));
});
