/**
 * Contracts of the capture layer: file readers push packets, link/IP decoding finds TCP segments, and the TCP
 * reassembler pushes ordered stream bytes. Push-style callbacks with views (no per-packet objects retained) keep
 * a 1 GB capture streaming at memory that does not grow with the file.
 */

/** A pcapng Decryption Secrets Block (pcapng §4.7): secrets type 0x544c534b = TLS key log. */
export interface DecryptionSecrets {
  secretsType: number;
  /** The secrets (for TLS: NSS key log text as UTF-8). A copy owned by the receiver. */
  data: Uint8Array;
  /** 1-based number of the packet that preceded the block + 1 (the frame number the block sits before). */
  beforeFrame: number;
}

export interface CaptureError {
  /** 1-based packet number, if the problem is inside a packet. */
  frame?: number;
  /** Byte offset in the file. */
  offset?: number;
  message: string;
}

/** Receives what a capture file reader finds, in file order. */
export interface PacketSink {
  /**
   * One packet. `buf.subarray(off, off + len)` is the captured data; the view is valid only during the call.
   * `linkType` is the LINKTYPE_* of the packet's interface; `tsMicros` the timestamp in microseconds since epoch.
   */
  packet(frame: number, linkType: number, buf: Uint8Array, off: number, len: number, tsMicros: number): void;
  secrets?(s: DecryptionSecrets): void;
  error(e: CaptureError): void;
}

export interface CaptureInfo {
  format: "pcap" | "pcapng";
  packets: number;
  /** LINKTYPE of each interface (pcap: one). */
  linkTypes: number[];
}

/** Direction within a TCP connection: 0 = initiator (SYN sender, else the first packet's sender) → responder. */
export type TcpDir = 0 | 1;

export interface TcpEndpoint {
  ip: string;
  port: number;
}

/** A TCP connection as the reassembler sees it. */
export interface TcpConnection {
  /** 0-based, in order of first packet (like tshark's tcp.stream). */
  id: number;
  /** Initiator: the side that sent the SYN; without a SYN, the sender of the first packet seen. */
  a: TcpEndpoint;
  /** Responder. */
  b: TcpEndpoint;
  /** Whether the three-way handshake's SYN was seen (else the connection started mid-stream). */
  synSeen: boolean;
  firstFrame: number;
  lastFrame: number;
  /** Free slot for the layer above (the TLS stream state). */
  user: unknown;
}

/** Receives ordered stream bytes from the TCP reassembler. */
export interface StreamSink {
  open(conn: TcpConnection): void;
  /**
   * In-order payload bytes of one direction. The view is valid only during the call. `frame` is the packet whose
   * arrival made these bytes available in order (so a message completed by a late out-of-order segment gets the
   * late segment's frame, as tshark reports it).
   */
  data(conn: TcpConnection, dir: TcpDir, data: Uint8Array, frame: number): void;
  /**
   * When present, takes the place of `data` for bytes delivered straight from a packet: they are
   * `buf[start..end)`, valid only during the call. Saves a view object per segment (millions on a large capture).
   */
  dataRange?(conn: TcpConnection, dir: TcpDir, buf: Uint8Array, start: number, end: number, frame: number): void;
  /** `bytes` bytes of one direction are missing (never captured) before the next data; `frame` where noticed. */
  gap(conn: TcpConnection, dir: TcpDir, bytes: number, frame: number): void;
  /** The connection ended (FIN both ways, RST, or end of file); no more calls for it. */
  close(conn: TcpConnection, frame: number): void;
  /** A located problem in link/IP/TCP decoding of a packet (malformed header, bad length...). */
  error(e: CaptureError): void;
}
