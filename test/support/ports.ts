/**
 * Ports for the servers tests start on 127.0.0.1, and waiting until the server a test started — not some other
 * process — listens on its port.
 *
 * Why not `listen(0)` and close: the kernel hands the same free port to the next `listen(0)` as readily as to the
 * first, so two cells running at once (in one process or in two test files) could both draw it. The second
 * server then failed to bind and exited, while its cell's readiness probe reached the first cell's server and the
 * cell talked to a stranger (seen in CI: "no more data from the server", s_server's bind error in its output).
 * So ports come from below the kernel's ephemeral range (which neither `listen(0)` nor outgoing connections use),
 * are never handed out twice by one process, and readiness asks /proc whether the listening socket belongs to the
 * child we started.
 */
import { readFileSync, readdirSync, readlinkSync } from "node:fs";
import * as net from "node:net";

const handedOut = new Set<number>();

/** The kernel's ephemeral range (Linux: /proc/sys/net/ipv4/ip_local_port_range); ports below it are ours to pick. */
function ephemeralLow(): number {
  try {
    const [lo] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
    return Number.isInteger(lo) ? lo : 32768;
  } catch {
    return 32768;
  }
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once("error", () => resolve(false));
    s.listen({ port, host: "127.0.0.1", exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/** A TCP port on 127.0.0.1 that nothing holds now and that this process has not handed out before. */
export async function freePort(): Promise<number> {
  const hi = ephemeralLow();
  const lo = Math.max(1024, hi - 12_000);
  // Bounded: a busy machine may hold some ports, never all of 12,000.
  for (let i = 0; i < 200; i++) {
    const port = lo + Math.floor(Math.random() * (hi - lo));
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port found in ${lo}–${hi - 1} after 200 tries`);
}

/** Inodes of the sockets listening on TCP `port` (any address, IPv4 or IPv6), from /proc/net/tcp{,6}. */
function listeningInodes(port: number): Set<string> | null {
  const want = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set<string>();
  let readAny = false;
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
      readAny = true;
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode; st 0A is LISTEN.
      if (f.length > 9 && f[3] === "0A" && f[1].endsWith(`:${want}`)) inodes.add(f[9]);
    }
  }
  return readAny ? inodes : null;
}

/** `pid` and its descendants (a server may fork a worker, or run under a wrapper). Bounded depth. */
function family(pid: number, depth = 3): number[] {
  const out = [pid];
  if (depth === 0) return out;
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const t of tasks) {
    let kids: string[];
    try {
      kids = readFileSync(`/proc/${pid}/task/${t}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
    } catch {
      continue;
    }
    for (const k of kids) out.push(...family(Number(k), depth - 1));
  }
  return out;
}

function ownsSocket(pid: number, inodes: Set<string>): boolean {
  for (const p of family(pid)) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${p}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${p}/fd/${fd}`));
        if (m && inodes.has(m[1])) return true;
      } catch {
        // the descriptor closed while we looked
      }
    }
  }
  return false;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on("error", () => resolve(false));
  });
}

/** What waitListening needs of the process it waits for. */
export interface Listener {
  pid?: number;
  exitCode: number | null;
}

/** Thrown when another process holds the port (the peer then fails to bind): the caller may retry on a new port. */
export class PortTakenError extends Error {}

/**
 * Resolves once `child` (when given) listens on `port`; throws when it exits first (a PortTakenError when another
 * process holds the port) or after `ms`. Without a child (or without /proc), resolves once anything accepts a TCP
 * connection on the port.
 */
export async function waitListening(port: number, child?: Listener, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const inodes = child?.pid !== undefined ? listeningInodes(port) : null;
    const ours = inodes !== null && inodes.size > 0 && ownsSocket(child!.pid!, inodes);
    if (ours) return;
    const foreign = inodes !== null && inodes.size > 0;
    if (child && child.exitCode !== null) {
      const why = `the peer exited (${child.exitCode}) before listening on ${port}`;
      throw foreign ? new PortTakenError(`${why}: another process holds the port`) : new Error(why);
    }
    if (inodes === null && (await accepts(port))) return;
    if (Date.now() > deadline)
      throw foreign ? new PortTakenError(`port ${port} is held by another process`) : new Error(`nothing listening on ${port} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
