// Retention: unreferenced associations older than a retention period are dropped (domain.md §4,
// the manual's "Drop Unreferenced Associations Older Than", default 30 days).
//
// Decisions:
// - "Unreferenced" means not observed: a pair expires when its latest event time (lastSeen) is more
//   than retentionDays × 24 h before `now`. Elapsed time, not calendar days, so the rule needs no
//   zone and a DST change shifts it by at most an hour.
// - History is cumulative ("since creation"): dropping a pair does NOT reduce uniqueHistory or
//   messagesHistory. The drop is recorded in droppedPairs / droppedMessages, so live pairs =
//   uniqueHistory − droppedPairs. A dropped pair that is seen again is a new pair (and counts again
//   in uniqueHistory), as it would in the source product, whose table has forgotten it.
// - Today stays exact: if a dropped pair still belonged to the definition's current day (possible
//   only when a definition saw nothing for the whole period), Today is corrected too.
// - DailyItemStats have their own, usually longer, retention (the anomaly baseline): records of days
//   before dailyCutoff(today, days) are deleted.

import { addDays } from './calendar.js';
import { splitKey, type PairState, type SummaryState } from './state.js';

export const DEFAULT_RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;

function checkDays(retentionDays: number): void {
  if (!Number.isInteger(retentionDays) || retentionDays < 1) {
    throw new RangeError(`retention must be a whole number of days ≥ 1, got ${retentionDays}`);
  }
}

export function expired(pair: PairState, now: number, retentionDays: number): boolean {
  checkDays(retentionDays);
  return now - pair.lastSeen > retentionDays * DAY_MS;
}

/** What dropping pairs takes away from one definition's summary. */
export interface SweepCorrection {
  def: string;
  pairs: number;
  messages: number;
  /** Per pair day: pairs and their todayCount, to correct Today when that day is still current. */
  byDay: Map<string, { pairs: number; messages: number }>;
}

export interface PairSweep {
  /** Pair keys to delete, in iteration order. */
  deleteKeys: string[];
  corrections: Map<string, SweepCorrection>;
}

/**
 * Pure sweep over all pairs (the runtime range-scans its pair namespace). Apply the result inside
 * one transaction: delete the keys, then putSummary(correctSummary(...)) for each correction.
 */
export function sweepPairs(entries: Iterable<readonly [string, PairState]>, now: number, retentionDays: number): PairSweep {
  checkDays(retentionDays);
  const limit = retentionDays * DAY_MS;
  const deleteKeys: string[] = [];
  const corrections = new Map<string, SweepCorrection>();
  for (const [key, pair] of entries) {
    if (now - pair.lastSeen <= limit) continue;
    deleteKeys.push(key);
    let c = corrections.get(pair.def);
    if (c === undefined) {
      c = { def: pair.def, pairs: 0, messages: 0, byDay: new Map() };
      corrections.set(pair.def, c);
    }
    c.pairs++;
    c.messages += pair.historyCount;
    const d = c.byDay.get(pair.day) ?? { pairs: 0, messages: 0 };
    d.pairs++;
    d.messages += pair.todayCount;
    c.byDay.set(pair.day, d);
  }
  return { deleteKeys, corrections };
}

/** The summary after a sweep (a new object; History unchanged, drops recorded). */
export function correctSummary(summary: SummaryState, c: SweepCorrection): SummaryState {
  const today = c.byDay.get(summary.day);
  return {
    ...summary,
    droppedPairs: summary.droppedPairs + c.pairs,
    droppedMessages: summary.droppedMessages + c.messages,
    uniqueToday: summary.uniqueToday - (today?.pairs ?? 0),
    messagesToday: summary.messagesToday - (today?.messages ?? 0),
  };
}

/** The first day whose DailyItemStats are kept: `retentionDays` days including `today`. */
export function dailyCutoff(today: string, retentionDays: number): string {
  checkDays(retentionDays);
  const cutoff = addDays(today, -(retentionDays - 1));
  if (cutoff === undefined) throw new RangeError(`not a day (YYYY-MM-DD): '${today}'`);
  return cutoff;
}

/** Daily keys (def \0 day \0 v1) of days before `cutoff`. */
export function expiredDailyKeys(keys: Iterable<string>, cutoff: string): string[] {
  const out: string[] = [];
  for (const k of keys) {
    const day = splitKey(k)[1];
    if (day !== undefined && day < cutoff) out.push(k);
  }
  return out;
}
