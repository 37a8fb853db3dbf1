/**
 * Colour in the readable output: when it is on (--color, FORCE_COLOR, NO_COLOR, a terminal), and that it only
 * adds escape sequences — without them every fixture's text is exactly the plain text.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { COLOUR, colourWanted, PLAIN, stripColour } from "../../../src/cli/colour";
import { stepsText } from "../../../src/cli/stepsText";
import { connectionText, errorsText } from "../../../src/cli/textOutput";
import { simulate } from "../../../src/engine/simulate";
import type { SimulationOptions } from "../../../src/engine/steps";
import { inspectStream } from "../../../src/inspect/inspect";
import { cli, root } from "./run";

const fixtures = path.resolve(root, "../shared/fixtures");
const ESC = "\x1b[";

test("the decision: --color, then FORCE_COLOR, then NO_COLOR, then whether stdout is a terminal", () => {
  const cases: [Parameters<typeof colourWanted>[0], NodeJS.ProcessEnv, boolean, boolean][] = [
    [undefined, {}, true, true],
    [undefined, {}, false, false],
    ["auto", {}, true, true],
    ["auto", {}, false, false],
    // https://no-color.org: present and not empty turns colour off; empty is as if unset.
    [undefined, { NO_COLOR: "1" }, true, false],
    [undefined, { NO_COLOR: "" }, true, true],
    // FORCE_COLOR (anything but "" or "0") turns it on, even piped and even with NO_COLOR; "0" turns it off.
    [undefined, { FORCE_COLOR: "1" }, false, true],
    [undefined, { FORCE_COLOR: "true" }, false, true],
    [undefined, { FORCE_COLOR: "3", NO_COLOR: "1" }, false, true],
    [undefined, { FORCE_COLOR: "0" }, true, false],
    [undefined, { FORCE_COLOR: "" }, false, false],
    [undefined, { TERM: "dumb" }, true, false],
    // --color decides over every variable.
    ["always", { NO_COLOR: "1" }, false, true],
    ["always", { FORCE_COLOR: "0" }, false, true],
    ["never", { FORCE_COLOR: "1" }, true, false],
    ["never", {}, true, false],
  ];
  for (const [choice, env, tty, want] of cases) assert.equal(colourWanted(choice, env, tty), want, `${choice} ${JSON.stringify(env)} tty=${tty}`);
});

/** Every capture, transcript and OpenSSL -msg output of the fixtures and samples, with its key log if any. */
function inputs(): { file: string; keylog?: string }[] {
  assert.ok(fs.existsSync(fixtures), `${fixtures} is missing (the shared fixtures)`);
  const files = [
    ...fs.readdirSync(fixtures).map((f) => path.join(fixtures, f)),
    ...fs.readdirSync(path.join(root, "samples")).map((f) => path.join(root, "samples", f)),
  ].filter((f) => /\.(pcap|pcapng|tlstrace|openssl-msg\.txt)$/.test(f));
  assert.ok(files.length > 20, `fixtures found: ${files.length}`);
  return files.map((file) => {
    const k = file.replace(/\.(pcap|pcapng|tlstrace|openssl-msg\.txt)$/, ".keylog");
    return { file, keylog: fs.existsSync(k) ? fs.readFileSync(k, "utf8") : undefined };
  });
}

test("colour adds only escape sequences: stripped, every fixture's field tree is the plain text", () => {
  let coloured = 0;
  for (const { file, keylog } of inputs()) {
    for (const k of keylog ? [undefined, keylog] : [undefined]) {
      const plain: string[] = [];
      const colour: string[] = [];
      const r = inspectStream(file, file, {
        keylog: k,
        detail: "full",
        onConnection: (c) => {
          plain.push(connectionText(c, { fieldsDepth: 64 }));
          colour.push(connectionText(c, { fieldsDepth: 64, style: COLOUR }));
        },
      });
      plain.push(errorsText(r.errors));
      colour.push(errorsText(r.errors, COLOUR));
      assert.ok(!plain.join("").includes(ESC), file);
      assert.equal(stripColour(colour.join("")), plain.join(""), file);
      if (colour.join("").includes(ESC)) coloured++;
    }
  }
  assert.ok(coloured > 20, `coloured outputs: ${coloured}`);
});

test("colour adds only escape sequences to the step lists too (checks passed and failed)", () => {
  // A byte flipped in EncryptedExtensions fails record protection: a failed check (✗) and a failed result.
  const ee = simulate({ version: "1.3", seed: "colour" }).steps.find((s) => s.kind === "message" && s.title === "EncryptedExtensions");
  assert.ok(ee);
  const runs: SimulationOptions[] = [
    { version: "1.3", seed: "colour" },
    { version: "1.3", seed: "colour", helloRetry: true, clientAuth: true },
    { version: "1.2", seed: "colour", keyExchange: "DHE" },
    { version: "1.3", seed: "colour", tamper: { step: ee.index, offset: 10 } },
  ];
  for (const o of runs) {
    const r = simulate(o);
    const plain = stepsText(r.steps);
    assert.equal(plain, stepsText(r.steps, PLAIN));
    assert.ok(!plain.includes(ESC));
    const colour = stepsText(r.steps, COLOUR);
    if (o.tamper) assert.ok(colour.includes(`${ESC}31m✗${ESC}0m`), "✗ in red");
    assert.ok(colour.includes(ESC));
    assert.equal(stripColour(colour), plain, JSON.stringify(o));
  }
});

test("end to end: piped output is plain; FORCE_COLOR and --color=always colour it; NO_COLOR and --color=never do not", () => {
  const tls13 = path.join(fixtures, "tls13-x25519-aes128gcm.pcap");
  const keylog = path.join(fixtures, "tls13-x25519-aes128gcm.keylog");
  const plain = cli(["inspect", tls13, "--keylog", keylog]);
  assert.equal(plain.status, 0, plain.stderr);
  assert.ok(!plain.stdout.includes(ESC), "piped: no colour");
  const forced = cli(["inspect", tls13, "--keylog", keylog], { FORCE_COLOR: "1" });
  assert.ok(forced.stdout.includes(`${ESC}32mverify_data OK`), "FORCE_COLOR=1: coloured");
  assert.equal(stripColour(forced.stdout), plain.stdout);
  assert.equal(cli(["inspect", tls13, "--keylog", keylog, "--color=always"], { NO_COLOR: "1" }).stdout, forced.stdout);
  assert.equal(cli(["inspect", tls13, "--keylog", keylog, "--color", "never"], { FORCE_COLOR: "1" }).stdout, plain.stdout);
  assert.equal(cli(["inspect", tls13, "--keylog", keylog], { NO_COLOR: "1" }).stdout, plain.stdout);
  assert.equal(cli(["inspect", tls13, "--keylog", keylog], { FORCE_COLOR: "0" }).stdout, plain.stdout);
  // The documents are never coloured.
  assert.equal(cli(["inspect", tls13, "--json"], { FORCE_COLOR: "1" }).stdout, cli(["inspect", tls13, "--json"]).stdout);
  const sim = cli(["simulate", "--seed", "colour"], { FORCE_COLOR: "1" });
  assert.equal(sim.status, 0, sim.stderr);
  assert.ok(sim.stdout.includes(`${ESC}32m✓${ESC}0m`), "✓ in green");
  assert.equal(stripColour(sim.stdout), cli(["simulate", "--seed", "colour"]).stdout);
  assert.equal(
    cli(["simulate", "--seed", "colour", "--transcript"], { FORCE_COLOR: "1" }).stdout,
    cli(["simulate", "--seed", "colour", "--transcript"]).stdout,
  );
});
