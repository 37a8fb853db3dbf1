/**
 * Open enumerations over wire integers (rustls's `enum_builder!` idea, in TypeScript: a number plus a name table,
 * never a closed enum). Each registry file declares each code point once — the constant's name (IANA's spelling),
 * its value, its defining document — and that one declaration gives both
 *
 * - the named constants, `contentTypes.codes.handshake === 22`, exported by each file under the RFC's type name
 *   (`ContentType.handshake`), each a number literal type, so `case ContentType.alert:` narrows like a literal;
 * - the lookup for values read off the wire, `contentTypes.name(v)`, `.display(v)`: unknown code points survive as
 *   numbers and print as `unknown (0x..)`; GREASE values (RFC 8701) print as `GREASE`.
 *
 * ```ts
 * export const contentTypes = new OpenEnum("TLS ContentType", 1, {
 *   alert: { value: 21, rfc: "RFC 8446" },
 *   handshake: { value: 22, rfc: "RFC 8446" },
 * });
 * export const ContentType = contentTypes.codes; // ContentType.handshake: 22
 * export type ContentType = CodePointOf<typeof contentTypes>; // 21 | 22
 * ```
 */
import { hexInt } from "../reader";

/** One code point as a registry file declares it, under the name of its constant. */
export interface CodePoint {
  /** The value on the wire. */
  readonly value: number;
  /** Defining document, e.g. `RFC 8446`. */
  readonly rfc?: string;
  /**
   * The displayed name where IANA's is not an identifier (`TLS 1.2`, `1609Dot2`); otherwise the constant's name is
   * the displayed one.
   */
  readonly name?: string;
}

/** A registry's declarations: constant name → code point. */
export type CodePoints = { readonly [constant: string]: CodePoint };

/** The named constants of a declaration: constant name → its value's literal type. */
export type CodePointConstants<D extends CodePoints> = { readonly [K in keyof D]: D[K]["value"] };

/** The union of a registry's declared values (`CodePointOf<typeof contentTypes>` is `20 | 21 | … | 26`). */
export type CodePointOf<R extends OpenEnum> = R["codes"][keyof R["codes"]];

export interface RegistryEntry {
  name: string;
  /** Defining document, e.g. `RFC 8446`. */
  rfc?: string;
}

/** RFC 8701 §2: 16-bit GREASE values are 0x?A?A with both bytes equal. */
export function isGrease16(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && v >> 8 === (v & 0xff);
}

/** RFC 8701 §2: 8-bit GREASE values (PSK modes) are 0x0B, 0x2A, 0x49, ... (0x0B + 0x1F·n). */
export function isGrease8(v: number): boolean {
  return v <= 0xff && (v - 0x0b) % 0x1f === 0 && v >= 0x0b;
}

export class OpenEnum<const D extends CodePoints = CodePoints> {
  /** The named constants: `codes.handshake === 22`. */
  readonly codes: CodePointConstants<D>;
  private readonly table: Map<number, RegistryEntry>;

  constructor(
    /** Registry title, e.g. `TLS Cipher Suites`. */
    readonly title: string,
    /** Wire width in bytes (for hex display). */
    readonly width: 1 | 2 | 4,
    /** Every code point, once, under the name of its constant. */
    readonly declared: D,
    /** Whether GREASE code points exist in this registry (and at which width). */
    readonly grease: "none" | "16" | "8" = "none",
  ) {
    const codes: Record<string, number> = {};
    const rows: [number, RegistryEntry][] = [];
    for (const [constant, cp] of Object.entries(declared)) {
      codes[constant] = cp.value;
      rows.push([cp.value, cp.rfc === undefined ? { name: cp.name ?? constant } : { name: cp.name ?? constant, rfc: cp.rfc }]);
    }
    // In value order, whatever the order of the declarations (a file may group them, as signatureSchemes does).
    rows.sort((a, b) => a[0] - b[0]);
    this.table = new Map(rows);
    if (this.table.size !== rows.length) {
      const dup = rows.find((r, i) => i > 0 && rows[i - 1][0] === r[0]);
      throw new Error(`${title}: ${hexInt(dup?.[0] ?? 0, width)} is declared twice`);
    }
    this.codes = Object.freeze(codes) as CodePointConstants<D>;
  }

  get(v: number): RegistryEntry | undefined {
    return this.table.get(v);
  }

  has(v: number): boolean {
    return this.table.has(v);
  }

  isGrease(v: number): boolean {
    return this.grease === "16" ? isGrease16(v) : this.grease === "8" ? isGrease8(v) : false;
  }

  /** The registered name, `GREASE`, or `unknown`. */
  name(v: number): string {
    const e = this.table.get(v);
    if (e) return e.name;
    if (this.isGrease(v)) return "GREASE";
    return "unknown";
  }

  /** `NAME (0x....)`, e.g. `TLS_AES_128_GCM_SHA256 (0x1301)`; unknown values as `unknown (0x....)`. */
  display(v: number): string {
    return `${this.name(v)} (${hexInt(v, this.width)})`;
  }

  /** Every entry, in value order. */
  entries(): IterableIterator<[number, RegistryEntry]> {
    return this.table.entries();
  }
}
