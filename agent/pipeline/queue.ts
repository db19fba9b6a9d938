// A bounded FIFO between inputs and the processing loop. `push` waits while the queue is over
// its event or byte bound: that wait is the backpressure that stops inputs from reading further
// than the agent can hold (memory bounded by configuration, not by input size).

import type { Gauge } from 'prom-client';
import type { RawLine } from './event.js';

export class LineQueue {
  private items: RawLine[] = [];
  private head = 0;
  private bytes = 0;
  private spaceWaiters: (() => void)[] = [];
  private dataWaiter: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly maxEvents: number,
    private readonly maxBytes: number,
    private readonly gauges?: { events: Gauge; bytes: Gauge },
  ) {}

  get size(): number {
    return this.items.length - this.head;
  }

  /** Resolves once the lines are queued. A single push larger than the bounds waits for an empty queue, then enters whole. */
  async push(lines: RawLine[]): Promise<void> {
    let add = 0;
    for (const l of lines) add += l.bytes;
    while (!this.closed && this.size > 0 && (this.size + lines.length > this.maxEvents || this.bytes + add > this.maxBytes)) {
      await new Promise<void>((r) => this.spaceWaiters.push(r));
    }
    if (this.closed) throw new Error('queue closed');
    for (const l of lines) this.items.push(l);
    this.bytes += add;
    this.report();
    this.dataWaiter?.();
  }

  /**
   * Takes up to `max` lines, waiting up to `maxWaitMs` for the batch to fill once the first
   * line is there. Returns [] only when the queue is closed and empty, or `signal` aborted.
   */
  async take(max: number, maxWaitMs: number, signal?: AbortSignal): Promise<RawLine[]> {
    while (this.size === 0 && !this.closed && !signal?.aborted) await this.waitForData(signal);
    if (this.size > 0 && this.size < max && !this.closed) await this.waitForData(signal, maxWaitMs, max);
    const n = Math.min(max, this.size);
    const out = this.items.slice(this.head, this.head + n);
    this.head += n;
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    for (const l of out) this.bytes -= l.bytes;
    this.report();
    const waiters = this.spaceWaiters;
    this.spaceWaiters = [];
    for (const w of waiters) w();
    return out;
  }

  /** No more pushes; `take` drains what is left, then returns []. */
  close(): void {
    this.closed = true;
    this.dataWaiter?.();
    for (const w of this.spaceWaiters.splice(0)) w();
  }

  private waitForData(signal?: AbortSignal, timeoutMs?: number, fill?: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.dataWaiter = undefined;
        resolve();
      };
      this.dataWaiter = fill === undefined ? done : () => (this.size >= fill || this.closed ? done() : undefined);
      if (timeoutMs !== undefined) timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  private report(): void {
    this.gauges?.events.set(this.size);
    this.gauges?.bytes.set(this.bytes);
  }
}
