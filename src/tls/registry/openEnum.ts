/**
 * Open enumerations over wire integers (rustls's idea, in TypeScript: a number plus a name table, never a closed
 * enum). Unknown code points survive as numbers and print as such; GREASE values (RFC 8701) print as GREASE.
 */
import { hexInt } from "../reader";

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

export class OpenEnum {
  private readonly table: Map<number, RegistryEntry>;

  constructor(
    /** Registry title, e.g. `TLS Cipher Suites`. */
    readonly title: string,
    /** Wire width in bytes (for hex display). */
    readonly width: 1 | 2 | 4,
    entries: Record<number, RegistryEntry | string>,
    /** Whether GREASE code points exist in this registry (and at which width). */
    readonly grease: "none" | "16" | "8" = "none",
  ) {
    this.table = new Map();
    for (const [k, v] of Object.entries(entries)) this.table.set(Number(k), typeof v === "string" ? { name: v } : v);
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

  entries(): IterableIterator<[number, RegistryEntry]> {
    return this.table.entries();
  }
}
