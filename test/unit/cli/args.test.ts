/** Option parsing (util.parseArgs, strict, from the command tables): what is accepted and how refusals read. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { closest, editDistance, intOption, parseCommand, UsageError } from "../../../src/cli/args";
import { CONNECT, INSPECT, SERVE, SIMULATE } from "../../../src/cli/commandSpecs";

/** The one-line message parseCommand refuses `argv` with. */
function refusal(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    assert.ok(e instanceof UsageError, `a UsageError, not ${String(e)}`);
    assert.ok(!e.message.includes("\n"), `one line: ${e.message}`);
    return e.message;
  }
  assert.fail("accepted");
}

test("values are typed by the table: strings for options with a value, true for flags", () => {
  const { values, positionals } = parseCommand(INSPECT, ["--json", "--keylog", "k.log", "--depth=3", "--", "-odd-name.pcap"]);
  assert.deepEqual(positionals, ["-odd-name.pcap"]);
  assert.equal(values.json, true);
  assert.equal(values.keylog, "k.log");
  assert.equal(values.depth, "3");
  assert.equal(values.summary, undefined);
  // The last of a repeated option wins, as with the hand-written parser before.
  assert.equal(parseCommand(SIMULATE, ["--seed", "a", "--seed", "b"]).values.seed, "b");
});

test("-h and --help are asked for on every command, before anything else is checked", () => {
  for (const spec of [INSPECT, SIMULATE, CONNECT, SERVE]) {
    assert.equal(parseCommand(spec, ["-h"]).values.help, true, spec.name);
    assert.equal(parseCommand(spec, ["--help", "too", "many", "args"]).values.help, true, spec.name);
  }
});

test("an unknown option is named, with the closest known one", () => {
  assert.equal(
    refusal(() => parseCommand(INSPECT, ["f", "--jsno"])),
    "unknown option --jsno (did you mean --json?)",
  );
  assert.equal(
    refusal(() => parseCommand(INSPECT, ["f", "--sum"])),
    "unknown option --sum (did you mean --summary?)",
  );
  assert.equal(
    refusal(() => parseCommand(INSPECT, ["f", "-json"])),
    "unknown option -json (did you mean --json?)",
  );
  assert.equal(
    refusal(() => parseCommand(SIMULATE, ["--client-auht"])),
    "unknown option --client-auht (did you mean --client-auth?)",
  );
  assert.equal(
    refusal(() => parseCommand(CONNECT, ["h:1", "--keylog=x"])),
    "unknown option --keylog (did you mean --keylog-out?)",
  );
  assert.equal(
    refusal(() => parseCommand(INSPECT, ["f", "--bogus"])),
    "unknown option --bogus (tls-handshake inspect --help lists the options)",
  );
  assert.equal(
    refusal(() => parseCommand(SERVE, ["-x"])),
    "unknown option -x (tls-handshake serve --help lists the options)",
  );
});

test("a missing value, a value given to a flag, a value outside the choices", () => {
  assert.equal(
    refusal(() => parseCommand(INSPECT, ["f", "--keylog"])),
    "--keylog needs a value",
  );
  assert.equal(
    refusal(() => parseCommand(INSPECT, ["f", "--keylog", "--json"])),
    '--keylog needs a value (one that starts with "-" is written --keylog=--json)',
  );
  assert.equal(parseCommand(SIMULATE, ["--seed=-1"]).values.seed, "-1");
  assert.equal(
    refusal(() => parseCommand(INSPECT, ["f", "--json=yes"])),
    "--json takes no value",
  );
  assert.equal(
    refusal(() => parseCommand(SIMULATE, ["--version", "1.4"])),
    "--version must be 1.2 or 1.3",
  );
  assert.equal(
    refusal(() => parseCommand(SIMULATE, ["--resume-with", "psk"])),
    "--resume-with must be ticket or session-id",
  );
  assert.equal(
    refusal(() => parseCommand(INSPECT, ["f", "--color", "sometimes"])),
    "--color must be auto, always or never",
  );
});

test("positional arguments beyond the command's", () => {
  assert.equal(
    refusal(() => parseCommand(INSPECT, ["a", "b"])),
    'unexpected argument "b" (inspect takes one FILE)',
  );
  assert.equal(
    refusal(() => parseCommand(SIMULATE, ["extra"])),
    'unexpected argument "extra"',
  );
});

test("whole-number options", () => {
  assert.equal(intOption("depth", undefined, 0), undefined);
  assert.equal(intOption("depth", "0", 0), 0);
  assert.equal(intOption("port", "65535", 0, 65535), 65535);
  assert.equal(
    refusal(() => intOption("depth", "abc", 0)),
    '--depth takes a whole number ≥ 0, got "abc"',
  );
  assert.equal(
    refusal(() => intOption("depth", "-1", 0)),
    '--depth takes a whole number ≥ 0, got "-1"',
  );
  assert.equal(
    refusal(() => intOption("port", "65536", 0, 65535)),
    '--port takes a whole number from 0 to 65535, got "65536"',
  );
  assert.equal(
    refusal(() => intOption("timeout", "1.5", 1)),
    '--timeout takes a whole number ≥ 1, got "1.5"',
  );
});

test("closest: a prefix it begins, else a few edits, else nothing", () => {
  assert.equal(editDistance("json", "jsno"), 1);
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(closest("brie", ["brief", "json"]), "brief");
  assert.equal(closest("re", ["resume", "resume-with"]), undefined, "two options begin with it: no guess");
  assert.equal(closest("simulte", ["inspect", "simulate"]), "simulate");
  assert.equal(closest("zzz", ["inspect", "simulate"]), undefined);
});
