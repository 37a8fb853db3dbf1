// A synthetic N-message connection posted to the panel for the timeline render measurement, shaped by the panel
// protocol (src/protocol/messages.ts: HostToWebview "document" then "connection" then "select"). Every message is
// a TLS 1.3 Finished (RFC 8446 §4.4.4: msg_type 20, uint24 length 32, verify_data) with a minimal field tree, so
// a click can highlight bytes. The values are placeholders for rendering only; nothing is checked against them.
"use strict";

function finishedMessage(index) {
  const verify = Array.from({ length: 32 }, (_, i) => ((index * 31 + i * 7) & 0xff).toString(16).padStart(2, "0")).join("");
  const hex = "14000020" + verify;
  return {
    index,
    dir: index % 2 ? "s2c" : "c2s",
    type: 20,
    name: "Finished",
    length: 32,
    frame: index + 1,
    encrypted: false,
    keyPhase: "handshake",
    hex,
    tree: {
      name: "Finished",
      start: 0,
      end: 36,
      display: `Finished #${index}`,
      children: [
        { name: "msg_type", start: 0, end: 1, value: 20, display: "finished (20)" },
        { name: "length", start: 1, end: 4, value: 32, display: "32" },
        { name: "verify_data", start: 4, end: 36, value: verify, display: verify },
      ],
    },
  };
}

/** The messages to post, in order; `n` messages in one connection. */
function syntheticTimelineMessages(n) {
  const summary = {
    id: 0,
    client: { ip: "127.0.0.1", port: 50000 },
    server: { ip: "127.0.0.1", port: 443 },
    version: "TLS 1.3",
    suite: "TLS_AES_128_GCM_SHA256",
    sni: "synthetic.test",
    alpn: null,
    decrypted: true,
    status: "complete",
    messages: n,
  };
  const messageList = Array.from({ length: n }, (_, i) => finishedMessage(i));
  const connection = { ...summary, records: [], messageList, alerts: [], errors: [], secrets: [] };
  const document = { kind: "simulation", title: `synthetic ${n}-message timeline`, connections: [summary], errors: [], canAttachKeyLog: false };
  return [
    { type: "document", document },
    { type: "connection", connection },
    { type: "select", selection: { connection: 0 } },
  ];
}

module.exports = { syntheticTimelineMessages };
