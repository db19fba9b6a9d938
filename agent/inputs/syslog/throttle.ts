// Rate limit for log lines about events that can repeat thousands of times a second (refused
// connections, dropped datagrams, TLS handshake failures): the first is logged, then at most one
// per interval, saying how many were not logged in between. Counts belong in metrics, not logs.

import type { Clock } from '../../context.js';

export class LogThrottle {
  private last = Number.NEGATIVE_INFINITY;
  private suppressed = 0;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs = 10_000,
  ) {}

  /** Calls `log` with the number of occurrences not logged since the last call that logged, or counts this one. */
  hit(log: (suppressed: number) => void): void {
    const now = this.clock.now();
    if (now - this.last < this.intervalMs) {
      this.suppressed++;
      return;
    }
    this.last = now;
    const n = this.suppressed;
    this.suppressed = 0;
    log(n);
  }
}

/** " (N more since the last report)" or "". */
export function more(suppressed: number): string {
  return suppressed > 0 ? ` (${suppressed} more since the last report)` : '';
}
