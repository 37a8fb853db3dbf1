/** `--help` for every command, written from the table the parser reads; `--version`; exit codes of bad usage. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseCommand, takesValue, UsageError, type CommandSpec } from "../../../src/cli/args";
import { COMMANDS, GLOBAL, INSPECT } from "../../../src/cli/commandSpecs";
import { commandHelp, mainHelp } from "../../../src/cli/help";
import { cli, root } from "./run";

/** The option names an `options:` section of a help text lists, as `[short, long, takes a value]`. */
function listedOptions(help: string): [string | undefined, string, boolean][] {
  const section = help.split("\noptions:\n")[1].split("\n\n")[0];
  return section.split("\n").map((line) => {
    const m = /^ {2}(?:-(\w), | {4})--([\w-]+)( \S+)? {2}/.exec(line);
    assert.ok(m, `an option line: ${JSON.stringify(line)}`);
    return [m[1], m[2], m[3] !== undefined];
  });
}

test("each command's help lists exactly the options its parser accepts, as the parser takes them", () => {
  const specs: CommandSpec[] = [...COMMANDS, GLOBAL];
  for (const spec of specs) {
    const help = spec === GLOBAL ? mainHelp() : commandHelp(spec);
    const listed = listedOptions(help);
    assert.deepEqual(
      listed.map(([, long]) => long),
      Object.keys(spec.options),
      spec.name,
    );
    for (const [short, long, value] of listed) {
      const o = spec.options[long];
      assert.equal(value, takesValue(o), `--${long}`);
      // Accepted as listed: with a value (one of its choices) when it takes one.
      const v = o.choices?.[0] ?? "1";
      const argv = value ? [`--${long}`, v] : [`--${long}`];
      assert.doesNotThrow(() => parseCommand(spec, argv), `${spec.name} --${long}`);
      if (short) assert.doesNotThrow(() => parseCommand(spec, value ? [`-${short}`, v] : [`-${short}`]), `${spec.name} -${short}`);
    }
    assert.throws(() => parseCommand(spec, ["--not-listed"]), UsageError);
  }
});

test("CMD --help, CMD -h and help CMD print that command's help and exit 0", () => {
  for (const spec of COMMANDS) {
    const want = commandHelp(spec);
    assert.match(want, new RegExp(`^usage: tls-handshake ${spec.name}`));
    for (const argv of [
      [spec.name, "--help"],
      [spec.name, "-h"],
      ["help", spec.name],
      ["--help", spec.name],
    ]) {
      const r = cli(argv);
      assert.equal(r.status, 0, `${argv.join(" ")}: ${r.stderr}`);
      assert.equal(r.stdout, want, argv.join(" "));
      assert.equal(r.stderr, "");
    }
  }
});

test("tls-handshake --help, -h and help list every command; no arguments prints it with exit 2", () => {
  const want = mainHelp();
  for (const name of COMMANDS.map((c) => c.name)) assert.match(want, new RegExp(`^  ${name}\\b`, "m"));
  for (const argv of [["--help"], ["-h"], ["help"]]) {
    const r = cli(argv);
    assert.equal(r.status, 0, argv.join(" "));
    assert.equal(r.stdout, want);
  }
  const none = cli([]);
  assert.equal(none.status, 2);
  assert.equal(none.stdout, want);
});

test("--version and -V print the package's version (compiled into the bundle)", () => {
  const { version } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string };
  for (const flag of ["--version", "-V"]) {
    const r = cli([flag]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `tls-handshake ${version}\n`);
  }
  // The bundle needs no package.json beside it: the version is a constant in dist/cli.js.
  const bundle = path.join(root, "dist/cli.js");
  assert.ok(fs.existsSync(bundle), "dist/cli.js is built (npm run build)");
  assert.ok(fs.readFileSync(bundle, "utf8").includes(JSON.stringify(version)));
  assert.ok(!fs.readFileSync(bundle, "utf8").includes("package.json"), "no run-time read of package.json");
});

test("bad usage: exit 2, one line on stderr naming the problem, nothing on stdout, no stack trace", () => {
  const tls13 = path.resolve(root, "../shared/fixtures/tls13-x25519-aes128gcm.pcap");
  assert.ok(fs.existsSync(tls13), `${tls13} is missing (the shared fixtures)`);
  const cases: [string[], RegExp][] = [
    [["inspect", tls13, "--jsno"], /^tls-handshake inspect: unknown option --jsno \(did you mean --json\?\)$/],
    [["inspect", tls13, "--keylog"], /^tls-handshake inspect: --keylog needs a value$/],
    [["inspect", tls13, "--depth", "deep"], /^tls-handshake inspect: --depth takes a whole number ≥ 0, got "deep"$/],
    [["inspect", tls13, "--color=sometimes"], /^tls-handshake inspect: --color must be auto, always or never$/],
    [["simulate", "--hrr=yes"], /^tls-handshake simulate: --hrr takes no value$/],
    [["simulate", "--version", "1.4"], /^tls-handshake simulate: --version must be 1.2 or 1.3$/],
    [["connect", "127.0.0.1:1", "--insecur"], /^tls-handshake connect: unknown option --insecur \(did you mean --insecure\?\)$/],
    [["serve", "--prot", "0"], /^tls-handshake serve: unknown option --prot \(did you mean --port\?\)$/],
    [["serve"], /^tls-handshake serve: serve needs --port N/],
    [["inspcet", tls13], /^tls-handshake: unknown command "inspcet" \(did you mean "inspect"\?/],
    [["help", "nope"], /^tls-handshake: unknown command "nope"/],
    [["--json", "x"], /^tls-handshake: --json goes after the command/],
    [["--bogus"], /^tls-handshake: unknown option --bogus/],
  ];
  for (const [argv, message] of cases) {
    const r = cli(argv);
    assert.equal(r.status, 2, `${argv.join(" ")}: ${r.stderr}`);
    assert.equal(r.stdout, "", argv.join(" "));
    assert.equal(r.stderr.split("\n").length, 2, `one line: ${r.stderr}`);
    assert.match(r.stderr.trimEnd(), message);
  }
});

test("the README's inspect --help is the real one", () => {
  const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
  const m = /\$ tls-handshake inspect --help\n([\s\S]*?)\.\.\.\n```/.exec(readme);
  assert.ok(m, "README shows `tls-handshake inspect --help`");
  assert.ok(commandHelp(INSPECT).startsWith(m[1]), "README's copy is the start of the help text");
});
