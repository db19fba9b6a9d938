// The contract every input keeps (file, syslog, stdin).
//
// An input reads its source in the background and hands complete lines to the sink. The sink's
// promise is the pipeline's backpressure: an input must not read further until it resolves
// (a file stops reading, a TCP connection is paused; UDP, which cannot push back, spools).

import type { RawLine } from '../pipeline/event.js';

export type LineSink = (lines: RawLine[]) => Promise<void>;

export interface Input {
  readonly name: string;
  /** Starts reading in the background; returns quickly (errors after start are logged, not thrown). */
  start(sink: LineSink): void | Promise<void>;
  /** Stops reading; resolves when no emit is in progress. Idempotent. */
  stop(): Promise<void>;
  /**
   * For positional sources: the record the pipeline stores for a cursor key once everything
   * before `offset` is delivered, or undefined when that position belongs to a file identity the
   * input no longer reads (truncated and re-read from the start): then nothing is written.
   */
  cursorValue?(key: string, identity: string | undefined, offset: number): unknown;
}
