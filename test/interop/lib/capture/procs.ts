/**
 * Processes of a capture cell: servers started and waited for, clients run to their end, tcpdump started and
 * stopped — every one bounded in time and killed by its own pid, never by name.
 */
import { spawn, type ChildProcess } from "node:child_process";

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

export function start(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; stdin?: string | "keep"; cwd?: string } = {}): Proc {
  const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "pipe"], env: opts.env ?? process.env, cwd: opts.cwd });
  let out = "";
  const take = (b: Buffer) => {
    out = (out + b.toString("latin1")).slice(-256 * 1024);
  };
  child.stdout!.on("data", take);
  child.stderr!.on("data", take);
  child.stdin!.on("error", () => {});
  if (opts.stdin !== "keep") child.stdin!.end(opts.stdin ?? "");
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

/** Run to the end; killed after `ms`. */
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
