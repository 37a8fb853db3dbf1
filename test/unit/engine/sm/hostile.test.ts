/** Hostile bytes into the state machines: never an exception, never a hang, always a located failure. */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Client } from "../../../../src/engine/client";
import { Server } from "../../../../src/engine/server";
import { generatePki } from "../../../../src/engine/certificates";
import { simulate } from "../../../../src/engine/simulate";
import type { MessageStep } from "../../../../src/engine/steps";

const pki = generatePki({ seed: "hostile" });
const server = () => new Server({ credentials: { ecdsa: pki.serverChain("ecdsa") } });

test("random bytes: no exception, and the side fails with a reason", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 3000 }), fc.boolean(), (bytes, toClient) => {
      const ep = toClient ? new Client({ trustAnchors: [pki.root.der], serverName: "localhost" }) : server();
      ep.start();
      ep.feed(bytes);
      ep.endOfInput();
      assert.equal(ep.state, "failed");
      assert.ok(ep.error);
    }),
    { numRuns: 300 },
  );
});

test("valid records with mutated handshake bodies: located failures", () => {
  const base = simulate({ version: "1.3", seed: "hostile" });
  const ch = base.steps.find((s) => s.kind === "message" && s.title === "ClientHello") as MessageStep;
  fc.assert(
    fc.property(fc.integer({ min: 9, max: ch.records[0].length - 1 }), fc.integer({ min: 1, max: 255 }), (at, x) => {
      const rec = ch.records[0].slice();
      rec[at] ^= x;
      const s = server();
      s.start();
      s.feed(rec);
      s.endOfInput();
      // Either the server rejects the ClientHello, or it answered and waits for a client that will not come.
      assert.equal(s.state, "failed");
      assert.ok(s.error);
    }),
    { numRuns: 200 },
  );
});

test("a record claiming 2^16-1 bytes or a 16 MB handshake message is refused without buffering it", () => {
  const s = server();
  s.start();
  s.feed(Uint8Array.of(22, 3, 3, 0xff, 0xff));
  assert.equal(s.state, "failed");
  assert.match(s.error!, /record length/);
  const c = new Client({ insecure: true });
  c.start();
  c.feed(Uint8Array.of(22, 3, 3, 0, 4, 2, 0xff, 0xff, 0xff));
  assert.equal(c.state, "failed");
  assert.match(c.error!, /exceeds/);
});
