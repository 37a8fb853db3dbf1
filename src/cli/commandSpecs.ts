/**
 * Every command's options, once: parseCommand (args.ts) parses by these tables and help.ts writes `--help` from
 * them. Kept apart from the commands so `tls-handshake help simulate` does not load the engine.
 */
import type { CommandSpec } from "./args";

const HELP = { short: "h", help: "show this help" } as const;
const LANG = {
  value: "en|ko",
  choices: ["en", "ko"],
  help: "the language of the diagnoses in the text output (default: ko under a Korean locale — LC_ALL, LC_MESSAGES, LANG — else en); the JSON carries both",
} as const;
const COLOR = {
  value: "WHEN",
  choices: ["auto", "always", "never"],
  help: "colour the text output: auto (on a terminal, unless NO_COLOR is set), always, never",
} as const;

export const INSPECT = {
  name: "inspect",
  args: "FILE",
  positionals: 1,
  summary: "decode every TLS connection of a capture or transcript",
  about: [
    "Decode every TLS connection of a .pcap/.pcapng capture, a .tlstrace transcript or OpenSSL s_client -msg",
    "output: a readable field tree by default, or the JSON documents of the schema-1 spec.",
  ],
  options: {
    json: { help: "the JSON document: connections, records, messages with their fields, alerts, errors" },
    summary: { help: "the same document without records and per-message fields: the connection list" },
    keylog: { value: "FILE", help: "decrypt with an NSS key log (SSLKEYLOGFILE); a pcapng's own secrets need no flag" },
    "rsa-key": { value: "PEM", help: "decrypt RSA key-transport connections with the server's private key" },
    brief: { help: "the messages without their field trees" },
    depth: { value: "N", help: "show the field trees N levels deep (default 64)" },
    threads: { value: "N", help: "1 or 2 threads for --json/--summary of a pcap without keys (default 2 from 128/256 MB)" },
    lang: LANG,
    color: COLOR,
    help: HELP,
  },
  examples: [
    "tls-handshake inspect capture.pcap --keylog capture.keylog",
    "tls-handshake inspect capture.pcapng --summary",
    "tls-handshake inspect session.tlstrace --depth 2",
  ],
} as const satisfies CommandSpec;

export const SIMULATE = {
  name: "simulate",
  args: "",
  positionals: 0,
  summary: "run a TLS 1.2 or 1.3 handshake between the engine's own client and server",
  about: ["Run one handshake with real cryptography in this process and list every message, secret and check."],
  options: {
    version: { choices: ["1.2", "1.3"], help: "protocol version (default 1.3)" },
    kx: { value: "ECDHE|DHE|RSA", help: "TLS 1.2 key exchange (default ECDHE)" },
    group: {
      value: "NAME",
      help: "x25519 (default), x448, p256, p384, p521, ffdhe2048…8192, or a post-quantum hybrid (TLS 1.3): X25519MLKEM768 (the browsers' default), SecP256r1MLKEM768, SecP384r1MLKEM1024 (or a code point)",
    },
    suite: { value: "NAME|0xNNNN", help: "cipher suite (IANA name or code point)" },
    sig: { value: "SCHEME", help: "signature scheme (picks an ECDSA or RSA certificate)" },
    hrr: { help: "TLS 1.3: force a HelloRetryRequest" },
    resume: { help: "resume a session from a first handshake (1.2 ticket, 1.3 PSK)" },
    "resume-with": { choices: ["ticket", "session-id"], help: "TLS 1.2 resumption kind" },
    "client-auth": { help: "the server asks for a client certificate" },
    "key-update": { help: "TLS 1.3: KeyUpdate after the handshake" },
    "no-ems": { help: "TLS 1.2: do not offer extended_master_secret" },
    "no-etm": { help: "TLS 1.2: do not offer encrypt_then_mac" },
    "server-name": { value: "NAME", help: "the name the client asks for and the certificate holds (default localhost)" },
    tamper: { value: "STEP:OFFSET", help: "flip one byte of a message's records in transit" },
    seed: { value: "S", help: "deterministic: every byte reproducible" },
    json: { help: 'the inspect JSON document (format "simulated") plus the steps' },
    transcript: { help: "a .tlstrace transcript with its key log (readable by inspect)" },
    lang: LANG,
    color: COLOR,
    help: HELP,
  },
  examples: ["tls-handshake simulate --version 1.2 --kx DHE --seed demo", "tls-handshake simulate --hrr --transcript > hrr.tlstrace"],
} as const satisfies CommandSpec;

export const CONNECT = {
  name: "connect",
  args: "HOST:PORT",
  positionals: 1,
  summary: "a real handshake against a server, decrypted and verified, then GET /",
  about: ["Perform a real TLS handshake against a server with the engine's client, record every step, then send GET /."],
  options: {
    sni: { value: "NAME", help: "server_name to send (default HOST, unless it is an IP address)" },
    alpn: { value: "P1,P2", help: "ALPN protocols to offer (default http/1.1)" },
    version: { choices: ["1.2", "1.3"], help: "offer only this version (default both)" },
    cipher: { value: "SUITE", help: "offer only this cipher suite (IANA name or 0xNNNN)" },
    group: {
      value: "NAME",
      help: "key-share group first (x25519, x448, p256, p384, p521, ffdhe2048…8192, X25519MLKEM768, SecP256r1MLKEM768, SecP384r1MLKEM1024 or a code point)",
    },
    ca: { value: "PEM", help: "trust these certificates (default Node's bundled roots)" },
    cert: { value: "PEM", help: "a client certificate chain (leaf first), sent when the server asks for one" },
    key: { value: "PEM", help: "the private key of --cert (RSA, RSA-PSS, ECDSA P-256/384/521, Ed25519, Ed448)" },
    insecure: { help: "do not verify the server's certificate" },
    "keylog-out": { value: "FILE", help: "append the secrets to an NSS key log" },
    timeout: { value: "MS", help: "give up after MS milliseconds (default 10000)" },
    json: { help: 'the inspect JSON document (format "live") plus appData' },
    steps: { help: "with --json: the steps too" },
    lang: LANG,
    color: COLOR,
    help: HELP,
  },
  examples: [
    "tls-handshake connect example.com:443",
    "tls-handshake connect 127.0.0.1:8443 --ca ca.pem --keylog-out keys.log --json",
    "tls-handshake connect 127.0.0.1:8443 --ca ca.pem --cert client.pem --key client.key",
  ],
} as const satisfies CommandSpec;

export const SERVE = {
  name: "serve",
  args: "--port N",
  positionals: 0,
  summary: "a TLS 1.2/1.3 server that records each client's handshake",
  about: [
    "Accept TLS connections with a certificate chain generated at start, answer HTTP 200 and report each",
    "client's handshake, until SIGINT/SIGTERM or --max-connections. The address goes to stderr.",
  ],
  options: {
    port: { value: "N", help: "the port to listen on (required; 0 picks a free one)" },
    host: { value: "ADDR", help: "the address to listen on (default 127.0.0.1)" },
    "max-connections": { value: "N", help: "stop after N connections" },
    timeout: { value: "MS", help: "give up on a connection after MS milliseconds (default 15000)" },
    json: { help: "one inspect JSON document per connection, one a line" },
    "print-ca": { help: "print the generated root certificate (PEM) on stderr" },
    cert: { value: "PEM", help: "serve this certificate chain (leaf first) instead of the generated ones" },
    key: { value: "PEM", help: "the private key of --cert (RSA, RSA-PSS, ECDSA P-256/384/521, Ed25519, Ed448)" },
    "client-auth": { help: "ask every client for a certificate and refuse the handshake without a valid one" },
    "client-ca": { value: "PEM", help: "with --client-auth: trust client certificates issued by these (default the generated root)" },
    version: { choices: ["1.2", "1.3"], help: "accept only this version (default both)" },
    cipher: { value: "S1,S2", help: "cipher suites in preference order (IANA names or 0xNNNN)" },
    group: { value: "G1,G2", help: "groups in preference order (x25519, x448, p256, p384, p521, ffdhe2048…8192)" },
    lang: LANG,
    color: COLOR,
    help: HELP,
  },
  examples: ["tls-handshake serve --port 8443 --print-ca", "tls-handshake serve --port 8443 --cert p384.pem --key p384.key --client-auth --client-ca ca.pem"],
} as const satisfies CommandSpec;

export const COMMANDS = [INSPECT, SIMULATE, CONNECT, SERVE] as const;

/** Options before a command: `tls-handshake --version`, `tls-handshake --help [COMMAND]`. */
export const GLOBAL = {
  name: "",
  args: "",
  positionals: 1,
  summary: "",
  about: ["Study and inspect TLS handshakes: decode captures and transcripts, or perform handshakes with real cryptography."],
  options: {
    help: { short: "h", help: "show this help (tls-handshake COMMAND --help: the command's)" },
    version: { short: "V", help: "print the version" },
  },
} as const satisfies CommandSpec;
