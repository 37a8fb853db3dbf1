/**
 * What the connection analyzer asks of a decryptor: whether a direction's records can be opened, opening them,
 * and being told every handshake message (the decryptor keeps the transcript and switches keys on its own).
 */
import type { DecodedHandshake, Direction } from "../tls/handshake/types";
import type { KeyPhase, SecretInfo } from "../model";

export type OpenResult = { ok: true; type: number; plaintext: Uint8Array; phase: KeyPhase } | { ok: false; error: string };

export interface ConnectionDecryptor {
  /** Keys are installed for this direction's next protected record. */
  canOpen(dir: Direction): boolean;
  /** Open a protected record (advances that direction's sequence number). */
  open(dir: Direction, type: number, version: number, fragment: Uint8Array): OpenResult;
  /** A TLS 1.2 ChangeCipherSpec was received in `dir`: the next records in `dir` use the pending keys. */
  changeCipherSpec(dir: Direction): void;
  /**
   * A complete handshake message (plaintext or decrypted). Returns, for Finished, whether verify_data matched
   * (null when it cannot be checked).
   */
  message(dir: Direction, msg: DecodedHandshake, negotiated: { version: number | null; cipherSuite: number | null }): boolean | null;
  /** Whether any record of the connection was decrypted. */
  readonly decrypted: boolean;
  secrets(): SecretInfo[];
}
