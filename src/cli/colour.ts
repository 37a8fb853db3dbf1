/**
 * Colour in the readable output: whether to use it, and the escape sequences of each role. Plain output uses
 * PLAIN, whose every sequence is empty, so the text is byte for byte what it is without colour.
 */
import { isatty } from "node:tty";

export type ColourChoice = "auto" | "always" | "never";

/**
 * `--color` decides when given (always/never). Otherwise FORCE_COLOR forces colour on when set to anything but
 * "" or "0" (and off when "0"), NO_COLOR set to anything but "" turns it off (https://no-color.org), and else
 * colour is on only when standard output is a terminal that is not TERM=dumb.
 */
export function colourWanted(choice: ColourChoice | undefined, env: NodeJS.ProcessEnv, isTty: boolean): boolean {
  if (choice === "always") return true;
  if (choice === "never") return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0";
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return isTty && env.TERM !== "dumb";
}

/** The escape sequences of each role in the output (SGR, ECMA-48 §8.3.117): basic colours every terminal has. */
export interface Style {
  /** The end of any role. */
  readonly off: string;
  /** Connection headings and message names. */
  readonly heading: string;
  /** A field's name, beside its value (which stays uncoloured). */
  readonly field: string;
  /** What the client sends, what the server sends. */
  readonly client: string;
  readonly server: string;
  /** RFC citations, sizes and frame numbers: there to be found, not to be read first. */
  readonly dim: string;
  /** Verified, decrypted, complete. */
  readonly good: string;
  /** Errors, mismatches, failed checks. */
  readonly bad: string;
  /** Alerts and secrets: worth a look. */
  readonly notice: string;
}

export const PLAIN: Style = { off: "", heading: "", field: "", client: "", server: "", dim: "", good: "", bad: "", notice: "" };

const sgr = (n: string) => `\x1b[${n}m`;

export const COLOUR: Style = {
  off: sgr("0"),
  heading: sgr("1"),
  field: sgr("36"),
  client: sgr("34"),
  server: sgr("35"),
  dim: sgr("2"),
  good: sgr("32"),
  bad: sgr("31"),
  notice: sgr("33"),
};

/** The style for text written to standard output under this `--color` choice and environment. */
export function stdoutStyle(choice: ColourChoice | undefined): Style {
  return colourWanted(choice, process.env, isatty(1)) ? COLOUR : PLAIN;
}

/** `s` without the escape sequences COLOUR writes. */
export function stripColour(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;]*m/g, "");
}
