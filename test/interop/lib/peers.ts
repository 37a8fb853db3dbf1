/**
 * Real peers as child processes on 127.0.0.1: servers started and waited for (bounded), clients run to their end
 * (bounded); every process is killed by its own pid, never by name.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { freePort, PortTakenError, waitListening } from "../../support/ports";

export interface Peer {
  child: ChildProcess;
  output(): string;
  stop(): void;
}

/** Start a process, collecting its stdout and stderr (bounded to 256 KiB). */
export function start(cmd: string, args: string[], opts: { stdin?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Peer {
  const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "pipe"], env: opts.env ?? process.env, cwd: opts.cwd });
  let out = "";
  const take = (b: Buffer) => {
    if (out.length < 262_144) out += b.toString("latin1");
  };
  child.stdout!.on("data", take);
  child.stderr!.on("data", take);
  child.stdin!.on("error", () => {});
  if (opts.stdin !== undefined) child.stdin!.end(opts.stdin);
  return {
    child,
    output: () => out,
    stop: () => {
      if (child.pid && child.exitCode === null && child.signalCode === null) process.kill(child.pid, "SIGKILL");
    },
  };
}

/** Run a client to its exit (killed after `ms`); its exit code and output. */
export function runClient(
  cmd: string,
  args: string[],
  opts: { stdin?: string; env?: NodeJS.ProcessEnv; ms?: number } = {},
): Promise<{ code: number | null; out: string }> {
  const p = start(cmd, args, opts);
  return new Promise((resolve) => {
    const timer = setTimeout(() => p.stop(), opts.ms ?? 15_000);
    p.child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out: p.output() });
    });
    p.child.on("error", (e) => {
      clearTimeout(timer);
      resolve({ code: -1, out: `${p.output()}\n${e.message}` });
    });
  });
}

/**
 * A server peer on a free port: started, waited for (its own listening socket, see test/support/ports.ts), and
 * stopped. A port another process took in the meantime is retried on a new one (bounded).
 */
export async function withServer<T>(
  make: (port: number) => { cmd: string; args: string[]; stdin?: string; env?: NodeJS.ProcessEnv },
  fn: (port: number, peer: Peer) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const spec = make(port);
    const peer = start(spec.cmd, spec.args, { env: spec.env });
    if (spec.stdin !== undefined) peer.child.stdin!.write(spec.stdin);
    try {
      try {
        await waitListening(port, peer.child);
      } catch (e) {
        if (e instanceof PortTakenError && attempt < 3) continue;
        throw e;
      }
      return await fn(port, peer);
    } catch (e) {
      throw new Error(`${(e as Error).message}\n--- ${spec.cmd} output ---\n${peer.output().slice(-3000)}`, { cause: e });
    } finally {
      peer.stop();
    }
  }
}

/** Polls `cond` every 50 ms; rejects naming `what` after `ms`. */
export async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`waited ${ms} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
