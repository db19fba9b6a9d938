// The association engine's core: events → observations → counts (domain.md §4).
//
//   observe(defs, event)                    pure, per event, all definitions: which pairs it associates
//   applyObservations(state, obs, ctx)      folds observations into pair / summary / daily records
//
// Day rules (decisions; the manual is silent):
// - An observation is filed under the local day of its *event time* (ctx.calendar's zone), clamped
//   to the local day of ctx.now so a mainframe clock running ahead cannot push a definition into
//   tomorrow. Backfill passes ctx.day and every observation is filed under that day.
// - A definition's current day (SummaryState.day) is the latest day filed. An observation for a
//   later day rolls the definition over: Today counts restart at zero. Pairs roll over lazily: a
//   pair whose `day` is older than the reader's day reads as todayCount 0 (state.ts, pairCountToday).
// - An observation for an older day (a late event after midnight, a replay) counts in History
//   (pair and definition) and in that day's DailyItemStats, never in Today.
// - firstSeen/lastSeen/lastMessage are min/max of event times, whatever the arrival order.
//
// Determinism: the result depends only on the prior state, the observations in order, ctx.now and
// the zone. Splitting a sequence into several calls gives the same state as one call (tested).

import type { EventDoc } from '../schema/event.js';
import { dayNumber, isDay, type LocalCalendar } from './calendar.js';
import type { CompiledDefinition } from './definition.js';
import {
  NEW_VALUES,
  TOP_VALUES,
  dailyKey,
  pairKey,
  type AssocStateAccess,
  type DailyItemStats,
  type PairState,
  type SummaryState,
} from './state.js';
import { parseTimestamp } from './timestamp.js';

/** One message associating value 1 with value 2 under one definition. */
export interface Observation {
  def: string;
  v1: string;
  v2: string;
  /** Event time, epoch milliseconds. */
  time: number;
}

/**
 * Appends the observations of one event to `out` and returns how many were added. Disabled
 * definitions never fire; an event whose @timestamp does not parse yields nothing. Allocates only
 * the observations themselves (and the strings extractions produce).
 */
export function observeInto(defs: readonly CompiledDefinition[], event: EventDoc, out: Observation[]): number {
  let time = Number.NaN;
  let added = 0;
  for (let i = 0; i < defs.length; i++) {
    const d = defs[i] as CompiledDefinition;
    if (!d.enabled) continue;
    if (d.pre !== undefined && !d.pre(event)) continue;
    let v1: string | undefined;
    let v2: string | undefined;
    if (d.value2First) {
      v2 = d.value2(event);
      if (v2 === undefined) continue;
      v1 = d.value1(event);
      if (v1 === undefined) continue;
    } else {
      v1 = d.value1(event);
      if (v1 === undefined) continue;
      v2 = d.value2(event);
      if (v2 === undefined) continue;
    }
    if (d.post !== undefined && !d.post(event)) continue;
    if (added === 0) {
      time = parseTimestamp(event['@timestamp']);
      if (Number.isNaN(time)) return 0;
    }
    out.push({ def: d.id, v1, v2, time });
    added++;
  }
  return added;
}

/** The observations of one event, in definition order. */
export function observe(defs: readonly CompiledDefinition[], event: EventDoc): Observation[] {
  const out: Observation[] = [];
  observeInto(defs, event, out);
  return out;
}

export interface ApplyContext {
  /** Wall-clock time of this run (epoch ms), injected; only used to clamp future event days. */
  now: number;
  calendar: LocalCalendar;
  /** Backfill: file every observation under this local day instead of its event day. */
  day?: string;
}

/** Keys written by one applyObservations call: what the runtime re-indexes. */
export interface ChangedKeys {
  pairs: Set<string>;
  summaries: Set<string>;
  daily: Set<string>;
}

function byCountThenValue(a: [string, number], b: [string, number]): number {
  return b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
}

/**
 * Records a count for v2 in a day's top list. `exact` is the pair's exact count on that day when
 * known (the day is the pair's latest day); otherwise the observation is late and adds one to an
 * entry already listed. Listed counts stay exact: a value enters only while the list has room
 * (so it has been listed since its first message that day) or with its exact count.
 */
function recordTop(top: [string, number][], v2: string, exact: number | undefined): void {
  const at = top.findIndex((e) => e[0] === v2);
  if (at >= 0) {
    (top[at] as [string, number])[1] = exact ?? (top[at] as [string, number])[1] + 1;
  } else if (top.length < TOP_VALUES) {
    top.push([v2, exact ?? 1]);
  } else {
    const last = top[top.length - 1] as [string, number];
    if (exact === undefined || exact <= last[1]) return;
    top[top.length - 1] = [v2, exact];
  }
  top.sort(byCountThenValue);
}

/**
 * Folds observations into the state and returns the keys written. Each record is read at most
 * once and written at most once per call (batch-local copies), so an LMDB-backed state sees one
 * put per touched key per batch.
 */
export function applyObservations(state: AssocStateAccess, observations: readonly Observation[], ctx: ApplyContext): ChangedKeys {
  const pairs = new Map<string, PairState>();
  const sums = new Map<string, SummaryState>();
  const dailies = new Map<string, DailyItemStats>();
  if (ctx.day !== undefined && !isDay(ctx.day)) throw new RangeError(`backfill day must be a date YYYY-MM-DD, got '${ctx.day}'`);
  const today = ctx.calendar.dayOf(ctx.now);

  for (const o of observations) {
    let day = ctx.day ?? ctx.calendar.dayOf(o.time);
    if (day > today) day = today;

    let s = sums.get(o.def);
    if (s === undefined) {
      const stored = state.getSummary(o.def);
      s = stored
        ? { ...stored }
        : { def: o.def, day, lastMessage: o.time, uniqueToday: 0, uniqueHistory: 0, messagesToday: 0, messagesHistory: 0, droppedPairs: 0, droppedMessages: 0 };
      sums.set(o.def, s);
    }
    if (day > s.day) {
      s.day = day;
      s.uniqueToday = 0;
      s.messagesToday = 0;
    }
    const inToday = day === s.day;
    s.messagesHistory++;
    if (inToday) s.messagesToday++;
    if (o.time > s.lastMessage) s.lastMessage = o.time;

    const pk = pairKey(o.def, o.v1, o.v2);
    let p = pairs.get(pk);
    if (p === undefined) {
      const stored = state.getPair(pk);
      if (stored) {
        p = { ...stored };
        pairs.set(pk, p);
      }
    }
    // firstOnDay: first message of this pair on `day` (undefined: cannot tell, see DailyItemStats.approximate).
    let firstOnDay: boolean | undefined;
    const created = p === undefined;
    if (p === undefined) {
      p = { def: o.def, v1: o.v1, v2: o.v2, firstSeen: o.time, lastSeen: o.time, day, todayCount: 1, historyCount: 1, recentDays: 1 };
      pairs.set(pk, p);
      s.uniqueHistory++;
      firstOnDay = true;
    } else {
      p.historyCount++;
      if (o.time < p.firstSeen) p.firstSeen = o.time;
      if (o.time > p.lastSeen) p.lastSeen = o.time;
      if (day === p.day) {
        p.todayCount++;
        firstOnDay = false;
      } else if (day > p.day) {
        const shift = dayNumber(day) - dayNumber(p.day);
        p.recentDays = shift >= 32 ? 1 : ((p.recentDays << shift) | 1) >>> 0;
        p.day = day;
        p.todayCount = 1;
        firstOnDay = true;
      } else {
        const back = dayNumber(p.day) - dayNumber(day);
        if (back < 32) {
          firstOnDay = ((p.recentDays >>> back) & 1) === 0;
          p.recentDays = (p.recentDays | (1 << back)) >>> 0;
        }
      }
    }
    // A pair's day only ever moves to `day`, and day ≤ s.day, so it joins Today exactly here.
    if (inToday && firstOnDay === true) s.uniqueToday++;

    const dk = dailyKey(o.def, day, o.v1);
    let d = dailies.get(dk);
    if (d === undefined) {
      const stored = state.getDaily(dk);
      d = stored
        ? { ...stored, newValues: stored.newValues.map(([v, n]): [string, number] => [v, n]), top: stored.top.map(([v, n]): [string, number] => [v, n]) }
        : { def: o.def, day, v1: o.v1, messages: 0, distinct: 0, newPairs: 0, newValues: [], top: [], approximate: false };
      dailies.set(dk, d);
    }
    d.messages++;
    if (firstOnDay === true) d.distinct++;
    else if (firstOnDay === undefined) d.approximate = true;
    const exact = p.day === day ? p.todayCount : undefined;
    if (created) {
      d.newPairs++;
      if (d.newValues.length < NEW_VALUES) d.newValues.push([o.v2, 1]);
    } else if (d.newPairs > 0) {
      // Later messages of a pair that was new this day keep its listed count exact.
      const entry = d.newValues.find((e) => e[0] === o.v2);
      if (entry !== undefined) entry[1] = exact ?? entry[1] + 1;
    }
    recordTop(d.top, o.v2, exact);
  }

  for (const [k, v] of pairs) state.putPair(k, v);
  for (const [k, v] of sums) state.putSummary(k, v);
  for (const [k, v] of dailies) state.putDaily(k, v);
  return { pairs: new Set(pairs.keys()), summaries: new Set(sums.keys()), daily: new Set(dailies.keys()) };
}
