/**
 * The handshake-failure diagnoses from real handshakes on 127.0.0.1, recorded at test time: OpenSSL's s_server
 * configured to refuse, s_client's `-msg` transcript of the exchange read back as an input, and the engine's own
 * `connect` against the same server (live diagnoses). Certificates come from the shared fixtures or are made here
 * with openssl ca (one expired, one not yet valid, one with a 1024-bit RSA key). Each case checks the code and its
 * evidence.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { inspectBytes } from "../../../src/inspect/inspect";
import { connect } from "../../../src/engine/connect";
import { diagnoseLive } from "../../../src/inspect/diagnose/live";
import type { ConnectionModel, Diagnosis } from "../../../src/model";
import { freePort } from "../../support/ports";

const certs = path.resolve(__dirname, "../../../../shared/fixtures/certs");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "diag-peers-"));

/** s_server with `args`, resolved once it accepts; stopped by its pid. */
async function server(args: string[]): Promise<{ port: number; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawn("openssl", ["s_server", "-accept", `127.0.0.1:${port}`, "-www", ...args], { stdio: ["pipe", "pipe", "pipe"] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("s_server did not start")), 10_000);
    let out = "";
    proc.stdout!.on("data", (b: Buffer) => {
      out += b.toString();
      if (out.includes("ACCEPT")) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once("exit", (code) => reject(new Error(`s_server exited ${code}`)));
  });
  return { port, proc };
}

function stop(proc: ChildProcess): void {
  if (proc.pid !== undefined && proc.exitCode === null) process.kill(proc.pid);
}

/** s_client's -msg transcript of one handshake with the server, read back as an input. */
function transcript(port: number, args: string[], holdSeconds = 0): ConnectionModel {
  // holdSeconds: keep s_client's standard input open that long, so a TLS 1.3 NewSessionTicket (sent after the
  // handshake) arrives before s_client reads end-of-file and closes the connection.
  const cmd = ["s_client", "-connect", `127.0.0.1:${port}`, "-msg", ...args];
  const r =
    holdSeconds > 0
      ? spawnSync("sh", ["-c", `sleep ${holdSeconds} | openssl "$@"`, "sh", ...cmd], { timeout: 15_000 })
      : spawnSync("openssl", cmd, { input: "", timeout: 15_000 });
  const text = r.stdout.toString() + r.stderr.toString();
  const model = inspectBytes(Buffer.from(text), "s_client.msg.txt");
  assert.equal(model.connections.length, 1, text.slice(0, 400));
  return model.connections[0];
}

function find(c: ConnectionModel, code: string): Diagnosis {
  const d = (c.diagnoses ?? []).find((x) => x.code === code);
  assert.ok(d, `expected ${code}, got ${(c.diagnoses ?? []).map((x) => x.code).join(", ") || "none"}`);
  return d;
}

const alertIndex = (d: Diagnosis) => d.fields.find((f) => /^alerts\[\d+\]$/.test(f));

const RSA = ["-cert", path.join(certs, "server-rsa.pem"), "-key", path.join(certs, "server-rsa.key")];

test("alpn-no-overlap: the client offers only protocols the server does not speak", async () => {
  const { port, proc } = await server([...RSA, "-alpn", "h2"]);
  try {
    const c = transcript(port, ["-servername", "server.test", "-alpn", "spdy/1,foo"]);
    const d = find(c, "alpn-no-overlap");
    assert.match(d.message, /"spdy\/1", "foo"/);
    assert.deepEqual(d.fields, ["messages[0].fields.alpn", "alerts[0]"]);
    // The engine's connect against the same server says the same.
    const live = await connect({ host: "127.0.0.1", port, sni: "server.test", alpn: ["foo"], insecure: true, timeoutMs: 10_000 });
    assert.ok(diagnoseLive(live.connection).some((x) => x.code === "alpn-no-overlap"));
  } finally {
    stop(proc);
  }
});

test("protocol-version-mismatch: a TLS 1.3-only server, a TLS 1.2-only client", async () => {
  const { port, proc } = await server([...RSA, "-tls1_3"]);
  try {
    const c = transcript(port, ["-tls1_2"]);
    const d = find(c, "protocol-version-mismatch");
    assert.match(d.message, /TLS 1\.2/);
    assert.ok(alertIndex(d));
    assert.equal(c.alerts[0].description, 70);
  } finally {
    stop(proc);
  }
});

test("no-common-parameters: no cipher suite in common", async () => {
  const { port, proc } = await server([...RSA, "-tls1_2", "-cipher", "AES256-SHA"]);
  try {
    const c = transcript(port, ["-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"]);
    const d = find(c, "no-common-parameters");
    assert.ok(d.fields.includes("messages[0].fields.cipherSuites"));
    assert.match(d.message, /TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256/);
  } finally {
    stop(proc);
  }
});

test("certificate-rejected (unknown_ca) and certificate-self-signed: a self-signed server certificate", async () => {
  const { port, proc } = await server(["-cert", path.join(certs, "untrusted.pem"), "-key", path.join(certs, "untrusted.key"), "-tls1_2"]);
  try {
    const c = transcript(port, ["-servername", "untrusted.test", "-CAfile", path.join(certs, "ca.pem"), "-verify_return_error"]);
    const d = find(c, "certificate-rejected");
    assert.match(d.message, /unknown_ca/);
    const cert = c.messages.findIndex((m) => m.name === "Certificate");
    assert.ok(d.fields.includes(`messages[${cert}].fields.certificates`));
    find(c, "certificate-self-signed");
  } finally {
    stop(proc);
  }
});

test("certificate-expired: a certificate whose validity lies in the past, made with openssl", async () => {
  const key = path.join(work, "expired.key");
  const csr = path.join(work, "expired.csr");
  const pem = path.join(work, "expired.pem");
  const run = (args: string[]) => assert.equal(spawnSync("openssl", args, { timeout: 15_000 }).status, 0, args.join(" "));
  run(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=server.test"]);
  // openssl ca signs with the dates asked for: 2020, long past.
  const db = path.join(work, "index.txt");
  fs.writeFileSync(db, "");
  fs.writeFileSync(path.join(work, "serial"), "1000\n");
  const conf = path.join(work, "ca.cnf");
  fs.writeFileSync(
    conf,
    `[ca]\ndefault_ca=d\n[d]\ndatabase=${db}\nserial=${path.join(work, "serial")}\nnew_certs_dir=${work}\ndefault_md=sha256\npolicy=p\ncopy_extensions=copy\nx509_extensions=e\n[p]\ncommonName=supplied\n[e]\nsubjectAltName=DNS:server.test\n`,
  );
  run([
    "ca",
    "-batch",
    "-config",
    conf,
    "-cert",
    path.join(certs, "ca.pem"),
    "-keyfile",
    path.join(certs, "ca.key"),
    "-in",
    csr,
    "-out",
    pem,
    "-startdate",
    "20200101000000Z",
    "-enddate",
    "20200201000000Z",
  ]);
  const { port, proc } = await server(["-cert", pem, "-key", key, "-tls1_2"]);
  try {
    const c = transcript(port, ["-servername", "server.test", "-CAfile", path.join(certs, "ca.pem"), "-verify_return_error"]);
    assert.match(find(c, "certificate-rejected").message, /certificate_expired/);
    const d = find(c, "certificate-expired");
    assert.equal(d.severity, "error");
    assert.match(d.message, /2020-02-01/);
  } finally {
    stop(proc);
  }
});

test("sni-unrecognized: the server knows only another name", async () => {
  const { port, proc } = await server([
    ...RSA,
    "-servername",
    "server.test",
    "-cert2",
    path.join(certs, "server-rsa.pem"),
    "-key2",
    path.join(certs, "server-rsa.key"),
    "-servername_fatal",
  ]);
  try {
    const c = transcript(port, ["-servername", "nobody.test"]);
    const d = find(c, "sni-unrecognized");
    assert.match(d.message, /"nobody\.test"/);
    assert.ok(d.fields.includes("messages[0].fields.sni"));
  } finally {
    stop(proc);
  }
});

test("client-certificate-required: a TLS 1.3 server that requires a client certificate", async () => {
  const { port, proc } = await server([...RSA, "-tls1_3", "-Verify", "1"]);
  try {
    const c = transcript(port, ["-servername", "server.test"]);
    const d = find(c, "client-certificate-required");
    assert.ok(alertIndex(d));
  } finally {
    stop(proc);
  }
});

test("resumption-refused: a TLS 1.3 ticket offered to a restarted server", async () => {
  const sess = path.join(work, "s13.sess");
  const first = await server([...RSA, "-tls1_3"]);
  try {
    transcript(first.port, ["-servername", "server.test", "-sess_out", sess], 1);
  } finally {
    stop(first.proc);
  }
  assert.ok(fs.existsSync(sess), "s_client saved the session with its ticket");
  // A new server process has new ticket keys: the ticket cannot be opened, a full handshake follows.
  const second = await server([...RSA, "-tls1_3"]);
  try {
    const c = transcript(second.port, ["-servername", "server.test", "-sess_in", sess]);
    const d = find(c, "resumption-refused");
    assert.equal(d.severity, "warning");
    assert.ok(d.fields[0].startsWith("messages[0]"));
  } finally {
    stop(second.proc);
  }
});

/** A server certificate signed by the shared test CA with `openssl ca` (dates and key size as asked). */
function caSigned(name: string, keySpec: string, dates: string[]): { pem: string; key: string } {
  const dir = fs.mkdtempSync(path.join(work, `${name}-`));
  const key = path.join(dir, "server.key");
  const csr = path.join(dir, "server.csr");
  const pem = path.join(dir, "server.pem");
  const run = (args: string[]) => assert.equal(spawnSync("openssl", args, { timeout: 15_000 }).status, 0, args.join(" "));
  run(["req", "-new", "-newkey", keySpec, "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=server.test"]);
  fs.writeFileSync(path.join(dir, "index.txt"), "");
  fs.writeFileSync(path.join(dir, "serial"), "1000\n");
  const conf = path.join(dir, "ca.cnf");
  fs.writeFileSync(
    conf,
    `[ca]\ndefault_ca=d\n[d]\ndatabase=${path.join(dir, "index.txt")}\nserial=${path.join(dir, "serial")}\nnew_certs_dir=${dir}\ndefault_md=sha256\npolicy=p\ncopy_extensions=copy\nx509_extensions=e\n[p]\ncommonName=supplied\n[e]\nsubjectAltName=DNS:server.test\n`,
  );
  run(["ca", "-batch", "-config", conf, "-cert", path.join(certs, "ca.pem"), "-keyfile", path.join(certs, "ca.key"), "-in", csr, "-out", pem, ...dates]);
  return { pem, key };
}

test("certificate-not-yet-valid: a certificate whose validity starts in 2090, made with openssl ca -startdate", async () => {
  const c0 = caSigned("future", "rsa:2048", ["-startdate", "20900101000000Z", "-enddate", "20910101000000Z"]);
  const { port, proc } = await server(["-cert", c0.pem, "-key", c0.key, "-tls1_2"]);
  try {
    const c = transcript(port, ["-servername", "server.test", "-CAfile", path.join(certs, "ca.pem"), "-verify_return_error"]);
    // OpenSSL's client refuses it (X509_V_ERR_CERT_NOT_YET_VALID is sent as bad_certificate).
    find(c, "certificate-rejected");
    const d = find(c, "certificate-not-yet-valid");
    assert.equal(d.severity, "error");
    assert.match(d.message, /2090-01-01/);
    assert.ok(d.fields.some((f) => /fields\.certificates\[0\]$/.test(f)));
  } finally {
    stop(proc);
  }
});

test("certificate-weak-key: a 1024-bit RSA server key, accepted at security level 0", async () => {
  const c0 = caSigned("weak", "rsa:1024", ["-days", "30"]);
  const { port, proc } = await server(["-cert", c0.pem, "-key", c0.key, "-tls1_2", "-cipher", "DEFAULT:@SECLEVEL=0"]);
  try {
    const c = transcript(port, ["-servername", "server.test", "-cipher", "DEFAULT:@SECLEVEL=0"]);
    const d = find(c, "certificate-weak-key");
    // Said even though the handshake went through: the key is weak whoever trusts it.
    assert.equal(d.severity, "warning");
    assert.match(d.message, /1024-bit RSA/);
    assert.ok(!(c.diagnoses ?? []).some((x) => x.severity === "error"));
  } finally {
    stop(proc);
  }
});

test("fallback-scsv and inappropriate-fallback: s_client -fallback_scsv against a TLS 1.2 and a TLS 1.3 server", async () => {
  const at12 = await server([...RSA, "-tls1_2"]);
  try {
    // The server's best is TLS 1.2: the retry's SCSV is accepted (RFC 7507 §3), said as information.
    const c = transcript(at12.port, ["-tls1_2", "-fallback_scsv"]);
    const d = find(c, "fallback-scsv");
    assert.equal(d.severity, "info");
    assert.deepEqual(d.fields, ["messages[0].fields.cipherSuites"]);
  } finally {
    stop(at12.proc);
  }
  const at13 = await server(RSA);
  try {
    // A TLS 1.3 server sees a TLS 1.2 retry with the SCSV and answers inappropriate_fallback.
    const c = transcript(at13.port, ["-tls1_2", "-fallback_scsv"]);
    const d = find(c, "inappropriate-fallback");
    assert.equal(d.severity, "error");
    assert.ok(alertIndex(d), d.fields.join(" "));
  } finally {
    stop(at13.proc);
  }
});
