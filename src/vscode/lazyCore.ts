/**
 * Loads dist/core.js (see core.ts) on first use. VS Code counts the time to load an extension's main script as
 * part of its activation; keeping the decoders and the engine out of dist/extension.js keeps that script small.
 */
import type * as CoreModule from "./core";

export type Core = typeof CoreModule;

let loaded: Core | undefined;

export function core(): Core {
  // esbuild leaves this require alone (see esbuild.mjs): it resolves next to dist/extension.js at run time.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require("./core.js") as Core;
  return loaded;
}
