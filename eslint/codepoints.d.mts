// Types for eslint/codepoints.mjs (its unit test imports it from TypeScript).
import type { Rule } from "eslint";

export declare const CODE_POINT_WORDS: ReadonlySet<string>;
export declare function nameWords(name: string): string[];
export declare function codePointName(node: unknown): string | undefined;
export declare const codePointsRule: Rule.RuleModule;
