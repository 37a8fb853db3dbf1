/**
 * Emits connections in id order (order of first packet) as soon as every earlier connection has ended, so a
 * large capture streams out with only the still-open connections held in memory.
 */
export class OrderedEmitter<T> {
  private readonly pending = new Map<number, T | null>();
  private next = 0;

  constructor(private readonly emit: (item: T) => void) {}

  /** A connection with this id exists (ids are assigned consecutively from 0). */
  open(id: number): void {
    if (!this.pending.has(id)) this.pending.set(id, undefined as unknown as null);
  }

  /** The connection ended: `item` to emit, or null to skip it (not TLS). */
  resolve(id: number, item: T | null): void {
    this.pending.set(id, item);
    this.flush();
  }

  private flush(): void {
    // Bounded by the number of pending entries.
    while (this.pending.has(this.next)) {
      const v = this.pending.get(this.next);
      if (v === undefined) return;
      this.pending.delete(this.next);
      this.next++;
      if (v !== null) this.emit(v);
    }
  }

  /** Ids still open (for diagnostics). */
  get openCount(): number {
    return this.pending.size;
  }
}
