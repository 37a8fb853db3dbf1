/**
 * The shape of a tshark oracle document: what `tshark-oracle.py` (the shared fixtures' `*.tshark.json`, and
 * test/tools/tshark-oracle.py for captures recorded at test time) reduces tshark's decode of a capture to — one
 * entry per TCP stream with its records, handshake messages (frame, length, fields) and alerts.
 */
export interface OracleStream {
  stream: number;
  client: { ip: string; port: number };
  server: { ip: string; port: number };
  version: number | null;
  cipherSuite: number | null;
  sni: string | null;
  alpn: string | null;
  decrypted: boolean;
  messages: { dir: string; type: number; name: string; length: number; frame: number; encrypted: boolean; fields: Record<string, unknown> }[];
  /** `type` and `encrypted` are null where tshark could not tell (an undecrypted TLS 1.3 record's inner type). */
  records: { dir: string; type: number | null; version: number; length: number; frame: number; encrypted: boolean | null; innerType?: number }[];
  alerts: { dir: string; level: number | null; description: number | null; frame: number; encrypted: boolean }[];
  /** Decrypted application data, one entry per record as tshark shows it (`hex` cut to 4096 bytes). */
  appData?: { dir: string; frame: number; length: number; hex: string; truncatedTo?: number }[];
}
