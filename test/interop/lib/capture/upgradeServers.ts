/**
 * Small servers the preamble cells start in this process: each speaks the plaintext part of its protocol the way
 * `openssl s_client -starttls NAME` expects (SMTP RFC 3207, IMAP RFC 9051 §6.2.1, POP3 RFC 2595 §4, FTP RFC 4217
 * §4, LDAP RFC 4511 §4.14, PostgreSQL's SSLRequest), then hands the socket to node:tls as a server, logging its
 * keys. A SOCKS 4/4a/5 proxy (CONNECT only, no authentication) relays to a TLS server. Each counts the plaintext
 * bytes it read and wrote before TLS.
 */
import { appendFileSync, readFileSync } from "node:fs";
import * as net from "node:net";
import * as tls from "node:tls";

export type Upgrade = "smtp" | "imap" | "pop3" | "ftp" | "ldap" | "postgres";

export interface Counted {
  port: number;
  /** Plaintext read from the client and written to it before TLS, for the last connection. */
  counts: { read: number; written: number };
  close(): Promise<void>;
}

/** What the server says first, and how it answers each client line; "tls" starts TLS after the answer. */
type Dialogue = { greeting: string; answer(line: string): { reply: string; tls?: boolean } | null };

const LINE_DIALOGUES: Record<"smtp" | "imap" | "pop3" | "ftp", Dialogue> = {
  smtp: {
    greeting: "220 localhost ESMTP interop\r\n",
    answer: (l) =>
      /^(EHLO|HELO)/i.test(l)
        ? { reply: "250-localhost\r\n250 STARTTLS\r\n" }
        : /^STARTTLS$/i.test(l)
          ? { reply: "220 2.0.0 Ready to start TLS\r\n", tls: true }
          : null,
  },
  imap: {
    greeting: "* OK [CAPABILITY IMAP4rev1 STARTTLS] interop ready\r\n",
    answer: (l) => {
      const [tag, cmd] = l.split(" ");
      if (/^CAPABILITY$/i.test(cmd ?? "")) return { reply: `* CAPABILITY IMAP4rev1 STARTTLS\r\n${tag} OK CAPABILITY completed\r\n` };
      if (/^STARTTLS$/i.test(cmd ?? "")) return { reply: `${tag} OK Begin TLS negotiation now\r\n`, tls: true };
      return null;
    },
  },
  pop3: {
    greeting: "+OK interop POP3 ready\r\n",
    answer: (l) => (/^CAPA$/i.test(l) ? { reply: "+OK\r\nSTLS\r\n.\r\n" } : /^STLS$/i.test(l) ? { reply: "+OK Begin TLS negotiation\r\n", tls: true } : null),
  },
  ftp: {
    greeting: "220 interop FTP ready\r\n",
    answer: (l) => (/^AUTH TLS$/i.test(l) ? { reply: "234 AUTH TLS successful\r\n", tls: true } : null),
  },
};

/** RFC 4511 §4.14.2: ExtendedResponse { resultCode success, matchedDN "", diagnosticMessage "" } for `messageId`. */
function ldapStartTlsResponse(messageId: number): Buffer {
  return Buffer.from([0x30, 0x0c, 0x02, 0x01, messageId, 0x78, 0x07, 0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00]);
}

function serverTls(socket: net.Socket, o: { cert: string; key: string; keylog: string }, counts: Counted["counts"]): void {
  const t = new tls.TLSSocket(socket, { isServer: true, cert: readFileSync(o.cert), key: readFileSync(o.key) });
  t.on("keylog", (line) => appendFileSync(o.keylog, line));
  t.on("secure", () => t.end("hello from the upgraded server\r\n"));
  t.on("data", () => {});
  t.on("error", () => socket.destroy());
  void counts;
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port));
  });
}

function closer(server: net.Server, sockets: Set<net.Socket>): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

export async function upgradeServer(proto: Upgrade, o: { cert: string; key: string; keylog: string }): Promise<Counted> {
  const counts = { read: 0, written: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on("close", () => sockets.delete(sock));
    sock.on("error", () => {});
    counts.read = counts.written = 0;
    const send = (b: string | Buffer) => {
      counts.written += Buffer.byteLength(b);
      sock.write(b);
    };
    let pending = Buffer.alloc(0);
    const upgrade = () => {
      sock.removeAllListeners("data");
      serverTls(sock, o, counts);
    };
    if (proto === "ldap" || proto === "postgres") {
      sock.on("data", (d: Buffer) => {
        counts.read += d.length;
        pending = Buffer.concat([pending, d]);
        if (proto === "postgres" && pending.length >= 8) {
          send("S");
          upgrade();
        } else if (proto === "ldap" && pending.length >= 2 && pending.length >= 2 + pending[1]) {
          // LDAPMessage: SEQUENCE { messageID INTEGER (one byte here), extendedReq ... }
          send(ldapStartTlsResponse(pending[4]));
          upgrade();
        }
      });
      return;
    }
    const dialogue = LINE_DIALOGUES[proto];
    send(dialogue.greeting);
    sock.on("data", (d: Buffer) => {
      counts.read += d.length;
      pending = Buffer.concat([pending, d]);
      let nl: number;
      while ((nl = pending.indexOf(0x0a)) >= 0) {
        const line = pending.subarray(0, nl).toString("latin1").replace(/\r$/, "");
        pending = pending.subarray(nl + 1);
        const a = dialogue.answer(line) ?? { reply: proto === "imap" ? `${line.split(" ")[0]} BAD unknown\r\n` : "500 unknown\r\n" };
        send(a.reply);
        if (a.tls) return upgrade();
      }
    });
  });
  const port = await listen(server);
  return { port, counts, close: closer(server, sockets) };
}

/**
 * A SOCKS 4/4a/5 proxy (RFC 1928 without authentication; SOCKS 4 and 4a) that relays every CONNECT to
 * 127.0.0.1:`upstream` whatever host it names (the cells run on 127.0.0.1 only), then pipes both ways.
 */
export async function socksProxy(upstream: number): Promise<Counted> {
  const counts = { read: 0, written: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on("close", () => sockets.delete(sock));
    sock.on("error", () => {});
    counts.read = counts.written = 0;
    let buf = Buffer.alloc(0);
    let stage: "greeting" | "request" = "greeting";
    const send = (b: Buffer) => {
      counts.written += b.length;
      sock.write(b);
    };
    const relay = (reply: Buffer) => {
      sock.removeAllListeners("data");
      const up = net.connect({ host: "127.0.0.1", port: upstream }, () => {
        send(reply);
        sock.pipe(up);
        up.pipe(sock);
      });
      sockets.add(up);
      up.on("close", () => sockets.delete(up));
      up.on("error", () => sock.destroy());
    };
    sock.on("data", (d: Buffer) => {
      counts.read += d.length;
      buf = Buffer.concat([buf, d]);
      if (buf[0] === 4) {
        // VN CD DSTPORT DSTIP USERID NUL [HOST NUL]
        const userEnd = buf.indexOf(0, 8);
        if (userEnd < 0) return;
        const is4a = buf[4] === 0 && buf[5] === 0 && buf[6] === 0 && buf[7] !== 0;
        if (is4a && buf.indexOf(0, userEnd + 1) < 0) return;
        relay(Buffer.from([0, 0x5a, buf[2], buf[3], buf[4], buf[5], buf[6], buf[7]]));
        return;
      }
      if (stage === "greeting") {
        if (buf.length < 2 || buf.length < 2 + buf[1]) return;
        buf = buf.subarray(2 + buf[1]);
        stage = "request";
        send(Buffer.from([5, 0]));
      }
      if (stage === "request" && buf.length >= 5) {
        const atyp = buf[3];
        const addrLen = atyp === 1 ? 4 : atyp === 4 ? 16 : 1 + buf[4];
        if (buf.length < 4 + addrLen + 2) return;
        relay(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]));
      }
    });
  });
  const port = await listen(server);
  return { port, counts, close: closer(server, sockets) };
}
