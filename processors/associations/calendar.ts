// Local days in a configured IANA time zone: "Today" in the Associations tab runs from local
// midnight (domain.md §4), so every count is filed under the local day (YYYY-MM-DD) of an instant.
//
// `dayOf` runs once per observation batch entry, so it is cached: the UTC offset of every zone in
// use since 1972 is a multiple of 15 minutes and changes only on a 15-minute boundary, hence all
// instants in one 15-minute UTC bucket share a local day. A miss costs one Intl call.

import { SmfError } from '../../agent/errors.js';

const BUCKET_MS = 15 * 60_000;
const CACHE_LIMIT = 4096;

export class LocalCalendar {
  readonly zone: string;
  readonly #format: Intl.DateTimeFormat;
  readonly #cache = new Map<number, string>();
  #lastBucket = Number.NaN;
  #lastDay = '';

  /** Throws SMF_ERR_CONFIG for a zone the runtime does not know (checked once, at start-up). */
  constructor(zone: string) {
    try {
      this.#format = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hourCycle: 'h23' });
    } catch (cause) {
      throw new SmfError('SMF_ERR_CONFIG', `unknown time zone '${zone}' for associations`, { cause, hint: 'use an IANA zone name such as Europe/Berlin or UTC' });
    }
    this.zone = this.#format.resolvedOptions().timeZone;
  }

  /** The local day (YYYY-MM-DD) of an instant given in epoch milliseconds. */
  dayOf(epochMs: number): string {
    const bucket = Math.floor(epochMs / BUCKET_MS);
    if (bucket === this.#lastBucket) return this.#lastDay;
    let day = this.#cache.get(bucket);
    if (day === undefined) {
      day = this.#compute(bucket * BUCKET_MS);
      if (this.#cache.size >= CACHE_LIMIT) this.#cache.clear();
      this.#cache.set(bucket, day);
    }
    this.#lastBucket = bucket;
    this.#lastDay = day;
    return day;
  }

  #compute(epochMs: number): string {
    let y = '';
    let m = '';
    let d = '';
    for (const p of this.#format.formatToParts(epochMs)) {
      if (p.type === 'year') y = p.value;
      else if (p.type === 'month') m = p.value;
      else if (p.type === 'day') d = p.value;
    }
    return `${y.padStart(4, '0')}-${m}-${d}`;
  }
}

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a civil date "YYYY-MM-DD" (zone-free arithmetic on day labels). */
export function dayNumber(day: string): number {
  const m = DAY_RE.exec(day);
  if (m === null) throw new RangeError(`not a day (YYYY-MM-DD): '${day}'`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000;
}

/** The day label `n` days after `day` (negative n: before). */
export function addDays(day: string, n: number): string {
  return new Date((dayNumber(day) + n) * 86_400_000).toISOString().slice(0, 10);
}

export function isDay(value: string): boolean {
  const m = DAY_RE.exec(value);
  return m !== null && addDays(value, 0) === value;
}
