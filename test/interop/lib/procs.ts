/**
 * Real peers as child processes on 127.0.0.1, for every interop cell (engine as a peer, and captures of two
 * peers): servers started and waited for (their own listening socket, test/support/ports.ts), clients run to their
 * end, tcpdump started and stopped — every one bounded in time and killed by its own pid, never by name.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { freePort, PortTakenError, waitListening } from "../../support/ports";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Proc {
  child: ChildProcess;
  /** stdout and stderr so far (the last 256 KiB). */
  output(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  /** SIGKILL (or `signal`) to this pid if it still runs. */
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Start a process, collecting its stdout and stderr (the last 256 KiB). `stdin`: bytes written and then ended, or
 * "keep" (the default) to leave it open for the caller (a server, or a client driven line by line).
 */
export function start(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; stdin?: string | "keep"; cwd?: string } = {}): Proc {
  const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "pipe"], env: opts.env ?? process.env, cwd: opts.cwd });
  let out = "";
  const take = (b: Buffer) => {
    out = (out + b.toString("latin1")).slice(-256 * 1024);
  };
  child.stdout!.on("data", take);
  child.stderr!.on("data", take);
  child.stdin!.on("error", () => {});
  if (opts.stdin !== undefined && opts.stdin !== "keep") child.stdin!.end(opts.stdin);
  const exited = new Promise<number | null>((resolve) => {
    child.on("close", (code) => resolve(code));
    child.on("error", (e) => {
      out += `\n${e.message}`;
      resolve(-1);
    });
  });
  return {
    child,
    output: () => out,
    exited,
    kill: (signal = "SIGKILL") => {
      if (child.pid && child.exitCode === null && child.signalCode === null) process.kill(child.pid, signal);
    },
  };
}

/** Run a client to its end (killed after `ms`, 15 s by default); its exit code and output. */
export async function run(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; stdin?: string | "keep"; ms?: number } = {},
): Promise<{ code: number | null; out: string }> {
  const p = start(cmd, args, opts);
  const timer = setTimeout(() => p.kill(), opts.ms ?? 15_000);
  const code = await p.exited;
  clearTimeout(timer);
  return { code, out: p.output() };
}

/** Resolves once `text` appears in the process's output; throws after `ms` or when it ends first. */
export async function waitOutput(p: Proc, text: string | RegExp, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms;
  const seen = () => (typeof text === "string" ? p.output().includes(text) : text.test(p.output()));
  while (Date.now() < deadline) {
    if (seen()) return;
    if (p.child.exitCode !== null) throw new Error(`exited (${p.child.exitCode}) before printing ${text}:\n${p.output().slice(-2000)}`);
    await sleep(25);
  }
  if (seen()) return;
  throw new Error(`no ${text} after ${ms} ms:\n${p.output().slice(-2000)}`);
}

/**
 * tcpdump on the loopback interface, only the given TCP ports, written packet by packet (-U; --immediate-mode, or
 * the kernel ring holds packets back until a block fills, and an interrupt then loses them). `stop` ends it by
 * its pid with SIGINT (it then flushes and closes the file) and waits for it.
 */
export async function tcpdump(file: string, ports: number[]): Promise<{ stop(): Promise<void> }> {
  const filter = ports.map((p) => `tcp port ${p}`).join(" or ");
  const p = start("tcpdump", ["-i", "lo", "-n", "-s", "0", "-U", "--immediate-mode", "-w", file, filter], { stdin: "keep" });
  await waitOutput(p, "listening on", 30_000);
  return {
    async stop() {
      // Let the last segments reach the capture before it ends.
      await sleep(150);
      p.kill("SIGINT");
      const timer = setTimeout(() => p.kill(), 5000);
      await p.exited;
      clearTimeout(timer);
    },
  };
}

/**
 * A server peer on a free port: started, waited for (its own listening socket), given to `fn`, and stopped. A port
 * another process took in the meantime is retried on a new one (bounded). Its output is added to a failure.
 */
export async function withServer<T>(
  make: (port: number) => { cmd: string; args: string[]; stdin?: string; env?: NodeJS.ProcessEnv },
  fn: (port: number, peer: Proc) => Promise<T>,
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
      peer.kill();
    }
  }
}

/** Polls `cond` every 50 ms; rejects naming `what` after `ms`. */
export async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`waited ${ms} ms for ${what}`);
    await sleep(50);
  }
}
