/**
 * The test servers' port helper: a listener is recognised as the child's own, and a port another process holds
 * is reported as taken (the race that once made a cell talk to another cell's server).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as net from "node:net";
import { freePort, PortTakenError, waitListening } from "../../support/ports";

function nodeListening(port: number) {
  const child = spawn(process.execPath, ["-e", `require("node:net").createServer().listen(${port}, "127.0.0.1"); setTimeout(() => {}, 20000);`], {
    stdio: "ignore",
  });
  return child;
}

test("freePort never hands out one port twice in a process, and each is bindable", async () => {
  const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
  assert.equal(new Set(ports).size, ports.length);
});

test("waitListening resolves once the child itself listens", { timeout: 15000 }, async () => {
  const port = await freePort();
  const child = nodeListening(port);
  try {
    await waitListening(port, child, 10000);
  } finally {
    child.kill("SIGKILL");
  }
});

test("waitListening reports a port held by another process instead of accepting its listener", { timeout: 15000 }, async () => {
  const port = await freePort();
  const holder = net.createServer();
  await new Promise<void>((r) => holder.listen(port, "127.0.0.1", r));
  const child = nodeListening(port); // fails to bind (EADDRINUSE) and exits
  try {
    await assert.rejects(waitListening(port, child, 10000), PortTakenError);
  } finally {
    child.kill("SIGKILL");
    holder.close();
  }
});
