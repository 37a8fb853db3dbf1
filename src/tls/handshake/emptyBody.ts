/** Messages whose body is empty by definition: any byte present is a located error. */
import type { Reader } from "../reader";

export function readEmptyMessageBody(r: Reader, what: string): void {
  if (r.remaining() === 0) return;
  const start = r.pos;
  r.rest("unexpected_data");
  r.fail(`${what} must be empty, found ${r.end - start} byte(s)`, "unexpected_data", start);
}
