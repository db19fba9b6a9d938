// Delivery: turns an output's per-event outcomes into a final fate for every event.
//
// - ok / duplicate        → delivered (duplicate = already indexed by an earlier attempt)
// - retry                 → only those events are sent again, with backoff, without end; a
//                           server's Retry-After (RetryOutcome.retryAfterMs) lengthens the wait,
//                           up to retryMaxMs
// - reject                → handed to the dead-letter sink with the reason
// It resolves when every event has a final fate; if the agent is stopping (signal aborted) it
// rejects with AbortedDelivery and the batch is never committed, so it is re-read next start.

import type { Logger } from '../telemetry/logger.js';
import type { Metrics } from '../telemetry/metrics.js';
import { backoffDelay, wait } from './backoff.js';
import type { DeadLetter, PipelineEvent } from './event.js';
import type { ItemOutcome, Output } from './outcome.js';

/** A `retry` outcome may carry how long the server asked us to wait (an HTTP Retry-After). */
export type RetryOutcome = Extract<ItemOutcome, { kind: 'retry' }> & { retryAfterMs?: number };

export class AbortedDelivery extends Error {
  constructor() {
    super('delivery aborted: the agent is stopping');
    this.name = 'AbortedDelivery';
  }
}

export interface DeliveryOptions {
  retryInitialMs: number;
  retryMaxMs: number;
}

export interface DeliveryResult {
  delivered: number;
  duplicates: number;
  deadLetters: DeadLetter[];
}

export async function deliver(
  output: Output,
  events: readonly PipelineEvent[],
  opts: DeliveryOptions,
  deps: { logger: Logger; metrics: Metrics; signal: AbortSignal },
): Promise<DeliveryResult> {
  const result: DeliveryResult = { delivered: 0, duplicates: 0, deadLetters: [] };
  let pending = events;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (deps.signal.aborted) throw new AbortedDelivery();
    const outcomes = await output.publish(pending, deps.signal);
    const again: PipelineEvent[] = [];
    const reasons = new Map<string, number>();
    let retryAfter = 0;
    outcomes.forEach((o, i) => {
      const ev = pending[i]!;
      switch (o.kind) {
        case 'ok':
          result.delivered++;
          break;
        case 'duplicate':
          result.duplicates++;
          break;
        case 'retry':
          again.push(ev);
          reasons.set(o.reason, (reasons.get(o.reason) ?? 0) + 1);
          retryAfter = Math.max(retryAfter, (o as RetryOutcome).retryAfterMs ?? 0);
          break;
        case 'reject':
          result.deadLetters.push({ stage: 'output', code: o.code, reason: o.reason, line: ev.line, document: ev.json });
          break;
      }
    });
    if (again.length > 0) {
      for (const [reason, n] of reasons) deps.metrics.eventsRetried.inc({ output: output.name, reason }, n);
      const delay = Math.max(backoffDelay(attempt, opts.retryInitialMs, opts.retryMaxMs), Math.min(retryAfter, opts.retryMaxMs));
      const level = attempt >= 3 ? 'warn' : 'debug';
      deps.logger.log(level, `${again.length} of ${pending.length} events to retry in ${delay} ms`, {
        output: output.name,
        attempt: attempt + 1,
        reasons: Object.fromEntries(reasons),
      });
      if (!(await wait(delay, deps.signal))) throw new AbortedDelivery();
    }
    pending = again;
  }
  deps.metrics.eventsPublished.inc({ output: output.name, outcome: 'indexed' }, result.delivered);
  deps.metrics.eventsPublished.inc({ output: output.name, outcome: 'duplicate' }, result.duplicates);
  deps.metrics.eventsPublished.inc({ output: output.name, outcome: 'dead_letter' }, result.deadLetters.length);
  return result;
}
