// The narrow contract between the pipeline and an output (Beats' batch outcomes).
//
// An output publishes a batch and reports, per event, what happened: it classifies and never
// loops. Retrying, backoff and dead-lettering are the pipeline's job (delivery.ts).

import type { PipelineEvent } from './event.js';

export type ItemOutcome =
  | { kind: 'ok' } // acknowledged: indexed
  | { kind: 'duplicate' } // already there (409 on create with our deterministic id): success
  | { kind: 'retry'; reason: string } // transient (429, 5xx, connection): send again later
  | { kind: 'reject'; code: string; reason: string }; // permanent (mapping conflict…): dead-letter

export interface Output {
  readonly name: string;
  /**
   * Sends `events` (the caller keeps ownership; do not mutate) and resolves with one outcome
   * per event, in order. Never rejects: request-level failures are `retry` outcomes for all.
   */
  publish(events: readonly PipelineEvent[], signal: AbortSignal): Promise<ItemOutcome[]>;
  /** Idempotent; no publish is in progress when it is called. */
  close(): Promise<void>;
}
