// When the nightly job runs, in the local time of agent.timezone. Pure functions of an instant.
//
// A day D is analysed once it has ended and the local clock has reached `run_after` on D + 1:
// its run time is runAt(D + 1). "Reached" is taken literally, which makes DST changes simple:
// runAt(day) is the first instant of `day` at which the local clock reads run_after or later.
//   - spring forward over run_after (02:30 in a 02:00→03:00 gap): the transition instant (03:00);
//   - fall back with run_after in the repeated hour: its first occurrence.
// Days are calendar labels (YYYY-MM-DD); their arithmetic never goes through instants.

import { addDays, daysBetween, zonedWallClock } from '../../processors/anomaly/index.js';

const DAY_MS = 86_400_000;
/** The local wall clock at `instant`, as the epoch ms of the same reading in UTC (second precision). */
export function wallClock(instant: number, zone: string): number {
  return zonedWallClock(instant, zone).ms;
}

/** The local day (YYYY-MM-DD) of an instant. */
export function localDay(instant: number, zone: string): string {
  return new Date(wallClock(instant, zone)).toISOString().slice(0, 10);
}

/** The first instant of `day` at which the local clock reads `hhmm` ("HH:MM") or later. */
export function runAt(day: string, hhmm: string, zone: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const target = Date.parse(`${day}T00:00:00Z`) + (h * 60 + m) * 60_000; // the wanted reading, as UTC ms
  if (Number.isNaN(target)) throw new RangeError(`not a YYYY-MM-DD day: "${day}"`);
  // Offsets (wall − UTC) in force a day either side: at most one change lies between them.
  const offsets = [target - DAY_MS, target + DAY_MS].map((t) => wallClock(t, zone) - t);
  const exact = offsets.map((o) => target - o).filter((t) => wallClock(t, zone) === target);
  if (exact.length > 0) return Math.min(...exact); // one reading, or the first of a repeated one
  // The reading is skipped (a gap): find the change, the first instant whose reading is past it.
  // Between the two candidates the clock only moves forward, so the predicate is monotonic.
  let lo = Math.min(...offsets.map((o) => target - o)); // reads before target
  let hi = Math.max(...offsets.map((o) => target - o)); // reads after target
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallClock(mid, zone) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The newest day whose run time has come at `now`: yesterday once run_after has passed today, else the day before. */
export function latestDueDay(now: number, hhmm: string, zone: string): string {
  const today = localDay(now, zone);
  return addDays(today, now >= runAt(today, hhmm, zone) ? -1 : -2)!;
}

/** The next run time strictly after `now`. */
export function nextRunAt(now: number, hhmm: string, zone: string): number {
  const today = localDay(now, zone);
  const t = runAt(today, hhmm, zone);
  return t > now ? t : runAt(addDays(today, 1)!, hhmm, zone);
}

export interface PendingDays {
  /** Days to analyse, oldest first. */
  days: string[];
  /** Missed days older than the catch-up window, left out (oldest, count). */
  skipped: { from: string; count: number } | undefined;
}

/**
 * Days after `lastDay` up to `latestDue`, keeping only the newest `catchUpDays`. With no
 * `lastDay` (the job has never completed a day on this store) the days start at `firstDataDay`
 * when that is later, so a new store does not produce a week of empty runs; with no data at all
 * nothing runs yet (the first run follows the first day with data).
 */
export function pendingDays(lastDay: string | undefined, latestDue: string, catchUpDays: number, firstDataDay?: string): PendingDays {
  const windowStart = addDays(latestDue, -(catchUpDays - 1))!;
  let from: string;
  if (lastDay !== undefined) from = addDays(lastDay, 1)!;
  else from = firstDataDay !== undefined && firstDataDay > windowStart ? firstDataDay : windowStart;
  if (lastDay === undefined && firstDataDay === undefined) return { days: [], skipped: undefined };
  const days: string[] = [];
  let skipped: PendingDays['skipped'];
  if (from < windowStart) {
    skipped = { from, count: daysBetween(from, windowStart)! };
    from = windowStart;
  }
  for (let d = from; d <= latestDue; d = addDays(d, 1)!) days.push(d);
  return { days, skipped };
}
