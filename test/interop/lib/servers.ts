/**
 * Server peers other than s_server, as the cells start them: gnutls-serv, nginx (a config in a temporary
 * directory, foreground, no master process), Node's https and Python's ssl + http.server.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pki, type KeyType } from "./pki";

export type ServerSpec = { cmd: string; args: string[]; env?: NodeJS.ProcessEnv };

export function gnutlsServ(port: number, o: { version: "1.2" | "1.3"; cert?: KeyType; priority?: string; extra?: string[] }): ServerSpec {
  const leaf = pki().leaf(o.cert ?? "rsa");
  const vers = o.version === "1.3" ? "+VERS-TLS1.3" : "+VERS-TLS1.2";
  return {
    cmd: "gnutls-serv",
    args: [
      "--port",
      String(port),
      "--http",
      "--x509certfile",
      leaf.cert,
      "--x509keyfile",
      leaf.key,
      "--priority",
      `${o.priority ?? "NORMAL"}:-VERS-ALL:${vers}`,
      ...(o.extra ?? []),
    ],
  };
}

const tmpDirs: string[] = [];
process.on("exit", () => tmpDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

export function nginx(port: number, o: { version: "1.2" | "1.3"; cert?: KeyType; ciphers?: string; curves?: string }): ServerSpec {
  const leaf = pki().leaf(o.cert ?? "rsa");
  const dir = mkdtempSync(path.join(tmpdir(), "interop-nginx-"));
  tmpDirs.push(dir);
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `${t}_temp_path ${dir}/${t};`).join(" ");
  const conf = `daemon off; master_process off; worker_processes 1; error_log ${dir}/error.log; pid ${dir}/nginx.pid;
events { worker_connections 64; }
http { access_log off; ${temp}
  server { listen 127.0.0.1:${port} ssl; server_name localhost;
    ssl_certificate ${leaf.cert}; ssl_certificate_key ${leaf.key}; ssl_protocols TLSv${o.version};
    ${o.ciphers ? `ssl_ciphers ${o.ciphers};` : ""} ${o.curves ? `ssl_ecdh_curve ${o.curves};` : ""}
    location / { return 200 "hello from nginx\\n"; } } }
`;
  writeFileSync(path.join(dir, "nginx.conf"), conf);
  return { cmd: "nginx", args: ["-c", path.join(dir, "nginx.conf"), "-p", dir, "-e", `${dir}/error.log`] };
}

export function nodeHttps(port: number, o: { version: "1.2" | "1.3"; cert?: KeyType; ecdhCurve?: string }): ServerSpec {
  const leaf = pki().leaf(o.cert ?? "rsa");
  const script = `
const https = require("node:https"), fs = require("node:fs");
https.createServer({ cert: fs.readFileSync(${JSON.stringify(leaf.cert)}), key: fs.readFileSync(${JSON.stringify(leaf.key)}),
  minVersion: "TLSv${o.version}", maxVersion: "TLSv${o.version}"${o.ecdhCurve ? `, ecdhCurve: ${JSON.stringify(o.ecdhCurve)}` : ""} },
  (req, res) => res.end("hello from node\\n")).listen(${port}, "127.0.0.1");`;
  return { cmd: process.execPath, args: ["-e", script] };
}

export function pythonSsl(port: number, o: { version: "1.2" | "1.3"; cert?: KeyType }): ServerSpec {
  const leaf = pki().leaf(o.cert ?? "rsa");
  const v = o.version === "1.3" ? "TLSv1_3" : "TLSv1_2";
  const script = `
import http.server, ssl
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"hello from python\\n"
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.${v}
ctx.load_cert_chain(${JSON.stringify(leaf.cert)}, ${JSON.stringify(leaf.key)})
s = http.server.HTTPServer(("127.0.0.1", ${port}), H)
s.socket = ctx.wrap_socket(s.socket, server_side=True)
s.serve_forever()
`;
  return { cmd: "python3", args: ["-c", script] };
}
