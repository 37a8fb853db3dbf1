/**
 * The capture layer's one entry point for the layer above: file reader → link layer → IP → TCP reassembly,
 * pushing connections and ordered stream bytes into a StreamSink.
 */
import type { CaptureError, CaptureInfo, DecryptionSecrets, PacketSink, StreamSink } from "./types";
import { readCapture, readCaptureBytes, type ProgressOptions } from "./readFile";
import { ipOffset, NOT_IP, TOO_SHORT } from "./link";
import { IpDecoder, type FragmentLimits } from "./ip";
import { TcpReassembler, type TcpLimits } from "./tcp";
import { UdpDecoder, type UdpDatagram } from "./udp";

export { NotACaptureError, readCapture, readCaptureBytes, readHead, sniffFormat } from "./readFile";

export type TcpStreamSink = StreamSink & {
  secrets?(s: DecryptionSecrets): void;
  /** File-level problems (truncation, broken framing); without it they go to `error`. */
  captureError?(e: CaptureError): void;
  /** UDP datagrams (for QUIC); without it UDP is not decoded at all. */
  datagram?(d: UdpDatagram): void;
  /** Set to each packet's timestamp (µs since the epoch) before it is processed (as PipelineOptions.clock). */
  readonly clock?: { micros: number };
};

export interface PipelineOptions extends ProgressOptions {
  tcpLimits?: Partial<TcpLimits>;
  fragmentLimits?: Partial<FragmentLimits>;
  /** Set to each packet's timestamp (µs since the epoch) before it is processed. */
  clock?: { micros: number };
}

/** Reads a capture (path or bytes) and reassembles its TCP streams into `sink`. Throws NotACaptureError. */
export function readTcpStreams(input: string | Uint8Array, sink: TcpStreamSink, opts?: PipelineOptions): CaptureInfo {
  const tcp = new TcpReassembler(sink, opts?.tcpLimits);
  const udp = sink.datagram ? new UdpDecoder({ datagram: (d) => sink.datagram!(d), error: (e) => sink.error(e) }, () => tcp.allocateId()) : undefined;
  const ip = new IpDecoder(tcp, (frame, message) => sink.error({ frame, message }), opts?.fragmentLimits, udp);
  const reported = new Set<number>();
  const clock = opts?.clock ?? sink.clock;
  let lastFrame = 0;
  const packets: PacketSink = {
    packet(frame, linkType, buf, off, len, tsMicros) {
      lastFrame = frame;
      if (udp) udp.tsMicros = tsMicros;
      if (clock) clock.micros = tsMicros;
      const end = off + len;
      const p = ipOffset(linkType, buf, off, end);
      if (p >= 0) ip.packet(frame, buf, p, end);
      else if (p === TOO_SHORT) sink.error({ frame, message: `link header (type ${linkType}) truncated: ${len} bytes` });
      else if (p !== NOT_IP && !reported.has(linkType)) {
        // Unsupported link type: say so once per type rather than once per packet.
        reported.add(linkType);
        sink.error({ frame, message: `link type ${linkType} not supported: its packets are skipped` });
      }
    },
    secrets: sink.secrets ? (s) => sink.secrets!(s) : undefined,
    error: (e) => (sink.captureError ? sink.captureError(e) : sink.error(e)),
  };
  const info = typeof input === "string" ? readCapture(input, packets, opts) : readCaptureBytes(input, packets, opts);
  tcp.finish(lastFrame);
  return info;
}
