/**
 * Client peers as the cells run them against the engine's `serve` on 127.0.0.1: each sends GET / and prints the
 * answer (so a cell can see the HTTP exchange carried), and each trusts the test CA (test/interop/lib/pki.ts).
 */
import { pki, type KeyType } from "./pki";

export type ClientSpec = { cmd: string; args: string[]; stdin?: string; ms?: number };
type Ver = "1.2" | "1.3";
const REQUEST = "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

export function opensslClient(port: number, o: { version: Ver; extra?: string[]; cert?: KeyType }): ClientSpec {
  const cert = o.cert ? ["-cert", pki().leaf(o.cert).cert, "-key", pki().leaf(o.cert).key] : [];
  return {
    cmd: "openssl",
    args: [
      "s_client",
      "-connect",
      `127.0.0.1:${port}`,
      "-servername",
      "localhost",
      "-CAfile",
      pki().ca,
      "-verify_return_error",
      "-ign_eof",
      o.version === "1.3" ? "-tls1_3" : "-tls1_2",
      ...cert,
      ...(o.extra ?? []),
    ],
    stdin: REQUEST,
  };
}

export function gnutlsClient(port: number, o: { version: Ver; priority?: string; cert?: KeyType }): ClientSpec {
  const vers = o.version === "1.3" ? "+VERS-TLS1.3" : "+VERS-TLS1.2";
  const cert = o.cert ? ["--x509certfile", pki().leaf(o.cert).cert, "--x509keyfile", pki().leaf(o.cert).key] : [];
  return {
    cmd: "gnutls-cli",
    args: ["--x509cafile", pki().ca, "--port", String(port), "--priority", `${o.priority ?? "NORMAL"}:-VERS-ALL:${vers}`, ...cert, "localhost"],
    stdin: REQUEST,
  };
}

export function curlClient(port: number, o: { version: Ver; extra?: string[]; cert?: KeyType }): ClientSpec {
  const v = o.version === "1.3" ? ["--tlsv1.3", "--tls-max", "1.3"] : ["--tlsv1.2", "--tls-max", "1.2"];
  const cert = o.cert ? ["--cert", pki().leaf(o.cert).cert, "--key", pki().leaf(o.cert).key] : [];
  return {
    cmd: "curl",
    args: [
      "-sS",
      "--max-time",
      "10",
      "--cacert",
      pki().ca,
      "--resolve",
      `localhost:${port}:127.0.0.1`,
      ...v,
      ...cert,
      ...(o.extra ?? []),
      `https://localhost:${port}/`,
    ],
  };
}

export function nodeClient(port: number, o: { version: Ver; ecdhCurve?: string; ciphers?: string; cert?: KeyType }): ClientSpec {
  const c = o.cert ? pki().leaf(o.cert) : undefined;
  const script = `
const https = require("node:https"), fs = require("node:fs");
https.get({ host: "127.0.0.1", port: ${port}, servername: "localhost", ca: fs.readFileSync(${JSON.stringify(pki().ca)}),
  minVersion: "TLSv${o.version}", maxVersion: "TLSv${o.version}"${o.ecdhCurve ? `, ecdhCurve: ${JSON.stringify(o.ecdhCurve)}` : ""}${o.ciphers ? `, ciphers: ${JSON.stringify(o.ciphers)}` : ""}
  ${c ? `, cert: fs.readFileSync(${JSON.stringify(c.cert)}), key: fs.readFileSync(${JSON.stringify(c.key)})` : ""} },
  (res) => { res.setEncoding("utf8"); res.on("data", (d) => process.stdout.write(d)); })
  .on("error", (e) => { console.error(e.message); process.exit(1); });`;
  return { cmd: process.execPath, args: ["-e", script] };
}

export function pythonClient(port: number, o: { version: Ver; cert?: KeyType }): ClientSpec {
  const v = o.version === "1.3" ? "TLSv1_3" : "TLSv1_2";
  const c = o.cert ? pki().leaf(o.cert) : undefined;
  const script = `
import http.client, ssl
ctx = ssl.create_default_context(cafile=${JSON.stringify(pki().ca)})
ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.${v}
${c ? `ctx.load_cert_chain(${JSON.stringify(c.cert)}, ${JSON.stringify(c.key)})` : ""}
conn = http.client.HTTPSConnection("localhost", ${port}, context=ctx, timeout=10)
conn.request("GET", "/")
print(conn.getresponse().read().decode())
`;
  return { cmd: "python3", args: ["-c", script] };
}

/** Headless Chromium (BoringSSL) loading the page; it prints the DOM, which holds the answer's text. */
export function chromiumClient(port: number, o: { version: Ver; profile: string }): ClientSpec {
  return {
    cmd: "chromium",
    args: [
      ...["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"],
      ...["--disable-component-update", "--disable-sync", `--user-data-dir=${o.profile}`, "--ignore-certificate-errors"],
      ...(o.version === "1.2" ? ["--ssl-version-max=tls1.2"] : []),
      "--dump-dom",
      `https://127.0.0.1:${port}/`,
    ],
    ms: 40_000,
  };
}
