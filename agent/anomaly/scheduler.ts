// Runs the nightly job inside the agent (timing.ts says when).
//
// start(): a first pass at once catches up the days missed while the agent was down: every day
// after anomaly:last_day up to the newest due one, oldest first, at most `catch_up_days` (older
// ones are skipped and logged). Each day is analysed against the store as it is, which is that
// day's own baseline: the reader never looks past the analysed day. Then the scheduler wakes at
// least once a minute, re-reads the clock and runs whatever has become due, so a suspended host
// or a clock jump is noticed within a minute, and the next run time is recomputed with the
// calendar each time (DST-safe) instead of trusting one long timer.
//
// anomaly:last_day moves only after a success or a partial run. A failed day stops the pass
// (later days wait: order matters for last_day) and is retried after a growing delay. One pass
// at a time: a tick while a pass runs joins it. stop() is idempotent and waits for the running
// day; the agent's shutdown timeout aborts that day's writes if it takes too long.

import type { AgentContext } from '../context.js';
import { describeError } from '../errors.js';
import type { AnomaliesConfig } from './config.js';
import type { RunSummary, Trigger } from './job.js';
import { latestDueDay, nextRunAt, pendingDays } from './timing.js';

export const CHECK_INTERVAL_MS = 60_000;
const RETRY_MIN_MS = 10 * 60_000;
const RETRY_MAX_MS = 4 * 3600_000;

export interface SchedulerDeps {
  ctx: Pick<AgentContext, 'logger' | 'clock'>;
  runDay(day: string, trigger: Trigger): Promise<RunSummary>;
  lastDay(): string | undefined;
  markDone(day: string): Promise<void>;
  /** Earliest day with association data in the store (bounds the first catch-up of a new store). */
  firstDataDay(): string | undefined;
  /** How often the clock is re-checked; tests shorten it. */
  checkIntervalMs?: number;
}

export class AnomalyScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private started = false;
  private stopped = false;
  private failures = 0;
  private retryAt = 0;
  private readonly interval: number;

  constructor(
    private readonly config: Pick<AnomaliesConfig, 'run_after' | 'catch_up_days'>,
    private readonly timeZone: string,
    private readonly d: SchedulerDeps,
  ) {
    this.interval = d.checkIntervalMs ?? CHECK_INTERVAL_MS;
  }

  /** Returns at once; the catch-up pass runs in the background. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    void this.pass(true).finally(() => this.arm());
  }

  /** One pass over the days that are due now; joins a pass already running. Never rejects. */
  tick(): Promise<void> {
    return this.pass(false);
  }

  /** The next regular run time after `now` (epoch ms). */
  nextWakeUp(now = this.d.ctx.clock.now()): number {
    return nextRunAt(now, this.config.run_after, this.timeZone);
  }

  /** Idempotent: no further passes; resolves once a running pass has finished its current day. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private arm(): void {
    if (this.stopped) return;
    const now = this.d.ctx.clock.now();
    // Wake at the next run time or after one interval, whichever is first (never a busy loop).
    const delay = Math.max(Math.min(1000, this.interval), Math.min(this.interval, this.nextWakeUp(now) - now));
    this.timer = setTimeout(() => void this.tick().finally(() => this.arm()), delay);
    this.timer.unref();
  }

  private pass(startup: boolean): Promise<void> {
    if (this.running) return this.running;
    if (this.stopped) return Promise.resolve();
    const run = this.runPending(startup)
      .catch((err: unknown) => void this.d.ctx.logger.error(`anomaly scheduler: ${describeError(err)}`))
      .finally(() => (this.running = undefined));
    this.running = run;
    return run;
  }

  private async runPending(startup: boolean): Promise<void> {
    const now = this.d.ctx.clock.now();
    if (now < this.retryAt) return;
    const latest = latestDueDay(now, this.config.run_after, this.timeZone);
    const lastDay = this.d.lastDay();
    const { days, skipped } = pendingDays(lastDay, latest, this.config.catch_up_days, lastDay === undefined ? this.d.firstDataDay() : undefined);
    if (skipped) {
      this.d.ctx.logger.warn(
        `anomalies: ${skipped.count} missed days from ${skipped.from} are older than catch_up_days (${this.config.catch_up_days}) and are not analysed; ` +
          `run them with \`smf-agent anomalies --date YYYY-MM-DD\` if their association data is still kept`,
      );
    }
    if (startup && days.length > 0) this.d.ctx.logger.info(`anomalies: catching up ${days.length} day(s): ${days[0]} … ${days[days.length - 1]}`);
    else if (startup) this.d.ctx.logger.info(`anomalies: nothing to catch up (last day analysed: ${lastDay ?? 'none yet'}); next run ${new Date(this.nextWakeUp(now)).toISOString()}`);
    for (const day of days) {
      if (this.stopped) return;
      const trigger: Trigger = startup || day < latest ? 'catch_up' : 'schedule';
      const s = await this.d.runDay(day, trigger);
      if (s.aborted) return;
      if (s.status === 'failed') {
        this.failures++;
        const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** (this.failures - 1));
        this.retryAt = this.d.ctx.clock.now() + delay;
        this.d.ctx.logger.error(`anomalies: run for ${day} failed; retrying in ${Math.round(delay / 60_000)} min (later days wait for it)`);
        return;
      }
      this.failures = 0;
      this.retryAt = 0;
      await this.d.markDone(day);
    }
  }
}
