/**
 * Capture-layer benchmark: runs file reader → link → IP → TCP reassembly with a null sink over a capture and
 * prints time and throughput. Usage: npx tsx scripts/bench-capture.ts FILE.pcap [runs]
 */
import * as fs from "node:fs";
import { readTcpStreams } from "../src/capture/pipeline";
import type { TcpConnection, TcpDir } from "../src/capture/types";

const file = process.argv[2];
if (!file) {
  console.error("usage: bench-capture FILE [runs]");
  process.exit(2);
}
const runs = Math.max(1, Number(process.argv[3] ?? 3));
const size = fs.statSync(file).size;

for (let r = 0; r < runs; r++) {
  let conns = 0,
    bytes = 0,
    gaps = 0,
    errors = 0;
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const info = readTcpStreams(file, {
    open: () => void conns++,
    data: (_c: TcpConnection, _d: TcpDir, data: Uint8Array) => void (bytes += data.length),
    gap: () => void gaps++,
    close: () => {},
    error: () => void errors++,
  });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  console.log(
    `${file}: ${secs.toFixed(3)} s (cpu ${((cpu.user + cpu.system) / 1e6).toFixed(3)} s), ${(size / 1e6 / secs).toFixed(0)} MB/s — ${info.packets} packets, ${conns} connections, ` +
      `${bytes} stream bytes, ${gaps} gaps, ${errors} errors, rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`,
  );
}
