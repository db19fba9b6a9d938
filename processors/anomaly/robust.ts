// Robust scoring: modified z-scores of log1p-transformed counts, against the day's population
// and, to confirm, against the item's own recent history.
//
// Why log1p: association counts are heavy-tailed (a few service accounts dwarf everyone), and
// on a log scale "ten times more" is the same distance whatever the size; log1p keeps 0 finite.
// Why median/MAD: one huge item moves them by at most one rank, where it inflates σ without bound.
// Why a floor: when most items have the same count the MAD is 0 and any difference would score
// infinity; scale = max(MAD, minScale) turns that into "at least a fixed fold change".
//
// History, when enabled, is a confirmation, not a second alarm: an item the population flags is
// reported only if it is also unusual for *itself* (given ≥ minDays active days of history in the
// window). This silences the service account that is large every day and keeps new or rarely
// active items judged by the population alone. The document shows both scores.

import { daysBetween, dayOfWeek } from '../time/zone.js';
import { describe, median, mad, modifiedZ } from './stats.js';
import type { AnomalySettings } from './config.js';
import type { CountKind, HistoryCheck, HistoryDay, ItemCounts, LogScale } from './types.js';

export function metricOf(kind: CountKind, item: ItemCounts): number {
  return kind === 'association_count' ? item.distinct : item.messages;
}

/** Robust centre and floored scale of log1p(values); undefined for no values. */
export function logScale(values: readonly number[], minScale: number): LogScale | undefined {
  const ys = values.map((v) => Math.log1p(v));
  const center = median(ys);
  const spread = mad(ys);
  if (center === undefined || spread === undefined) return undefined;
  return { median: center, mad: spread, scale: Math.max(spread, minScale) };
}

export function robustScore(value: number, scale: LogScale): number {
  return modifiedZ(Math.log1p(value), scale.median, scale.scale);
}

/** Per-item counts on the item's active days in the baseline window, oldest first. */
export interface ItemHistory {
  windowDays: number;
  baselineDays: 'all' | 'same-kind';
  byItem: Map<string, ItemCounts[]>;
  /** History days that could not be used: malformed, on/after the analysed day, or duplicates. */
  ignoredDays: number;
}

/**
 * Selects the history the per-item baselines use: days in [day − windowDays, day − 1], of the
 * same kind (weekday/weekend) when configured, a duplicated day counted once (the last wins).
 * Days on or after `day` are ignored: the baseline is the state as it stood before the day.
 */
export function selectHistory(day: string, history: readonly HistoryDay[], settings: AnomalySettings): ItemHistory {
  const { window_days: windowDays, baseline_days: baselineDays, weekend_days: weekendDays } = settings.robust.history;
  const weekend = new Set(weekendDays);
  const isWeekend = (d: string) => weekend.has(dayOfWeek(d) ?? -1);
  const latest = new Map<string, HistoryDay>();
  let ignoredDays = 0;
  for (const h of history) {
    const age = daysBetween(h.day, day);
    if (age === undefined || age < 1) ignoredDays++;
    else {
      if (latest.has(h.day)) ignoredDays++;
      latest.set(h.day, h);
    }
  }
  const byItem = new Map<string, ItemCounts[]>();
  if (!settings.robust.history.enabled) return { windowDays, baselineDays, byItem, ignoredDays };
  const days = [...latest.values()].sort((a, b) => (a.day < b.day ? -1 : 1));
  for (const h of days) {
    const age = daysBetween(h.day, day) as number;
    if (age > windowDays) continue;
    if (baselineDays === 'same-kind' && isWeekend(h.day) !== isWeekend(day)) continue;
    const seen = new Set<string>();
    for (const it of h.items) {
      // Active days only: an item absent on a day says nothing about its usual size when active.
      if (!isUsableCounts(it) || it.messages <= 0 || seen.has(it.item)) continue;
      seen.add(it.item);
      const list = byItem.get(it.item);
      if (list) list.push(it);
      else byItem.set(it.item, [it]);
    }
  }
  return { windowDays, baselineDays, byItem, ignoredDays };
}

/** The item's history check for one metric, or undefined when it has fewer than minDays active days. */
export function historyCheck(
  kind: CountKind,
  item: ItemCounts,
  history: ItemHistory,
  settings: AnomalySettings,
): HistoryCheck | undefined {
  const past = history.byItem.get(item.item);
  if (!settings.robust.history.enabled || !past || past.length < settings.robust.history.min_days) return undefined;
  const values = past.map((p) => metricOf(kind, p));
  const stats = describe(values);
  const scale = logScale(values, settings.robust.min_scale);
  if (!stats || !scale) return undefined;
  return {
    days: past.length,
    windowDays: history.windowDays,
    baselineDays: history.baselineDays,
    stats,
    log1p: scale,
    score: robustScore(metricOf(kind, item), scale),
  };
}

/**
 * True for counts the statistics can use: a string key and counts in [0, 2^53 − 1]. Larger
 * numbers cannot be exact counts, and bounding them keeps every sum and square finite.
 */
export function isUsableCounts(it: ItemCounts): boolean {
  return typeof it?.item === 'string' && isCount(it.distinct) && isCount(it.messages);
}

export function isCount(x: unknown): x is number {
  return typeof x === 'number' && x >= 0 && x <= Number.MAX_SAFE_INTEGER;
}
