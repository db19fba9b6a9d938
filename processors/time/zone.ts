// Time zones and calendar days, in one place: IANA zone arithmetic with Intl only (no dependency),
// cheap enough to run per event, and the arithmetic of local-day labels ("YYYY-MM-DD").
//
// Used by normalization (wall-clock times without an offset → UTC), the simulator (local days and
// hours), associations ("Today" runs from local midnight) and the nightly job (which day ended,
// when to run). One definition of "the local day of an instant" for all of them.
//
// Offsets are computed with one Intl.DateTimeFormat per Zone and cached per 15-minute bucket of
// UTC time: every tzdb transition since 1970 falls on a quarter hour of UTC, so an offset is
// constant within a bucket. Events arrive roughly in time order, so nearly every lookup is a hit on
// the last bucket or the map.
//
// Conventions: "wall ms" is a local wall-clock reading written as if it were UTC epoch ms (so
// `new Date(wall).getUTCHours()` is the local hour); an offset is wall − UTC in milliseconds.
// A day is a calendar date, not an instant: day arithmetic is done on UTC midnights, where every
// day has 24 hours.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const DAY_MS = 24 * HOUR;
const BUCKET = 15 * MINUTE;
const CACHE_LIMIT = 20_000;

const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/GMT']);

export class Zone {
  /** The zone's canonical name as this runtime resolves it. */
  readonly name: string;
  private readonly format: Intl.DateTimeFormat | undefined; // undefined: UTC, offset always 0
  private readonly cache = new Map<number, number>();
  private lastBucket = Number.NaN;
  private lastOffset = 0;
  private lastDayBucket = Number.NaN;
  private lastDay = '';

  /** @throws RangeError when `name` is not a time zone this Node.js knows. */
  constructor(name: string) {
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    const resolved = format.resolvedOptions().timeZone;
    this.name = resolved;
    this.format = UTC_NAMES.has(resolved) ? undefined : format;
  }

  /** Milliseconds to add to a UTC instant to get the wall-clock time in this zone (whole seconds). */
  offsetAt(utcMs: number): number {
    if (this.format === undefined) return 0;
    const bucket = Math.floor(utcMs / BUCKET);
    if (bucket === this.lastBucket) return this.lastOffset;
    let offset = this.cache.get(bucket);
    if (offset === undefined) {
      offset = this.computeOffset(bucket * BUCKET);
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(bucket, offset);
    }
    this.lastBucket = bucket;
    this.lastOffset = offset;
    return offset;
  }

  /**
   * The UTC instant of a wall-clock time in this zone. Ambiguity is resolved as Temporal's
   * 'compatible' does: a time repeated when clocks go back takes the earlier instant; a time
   * skipped when clocks go forward is moved forward by the gap (02:30 on a spring-forward night
   * becomes 03:30 new time).
   */
  toUtc(wallMs: number): number {
    const before = this.offsetAt(wallMs - DAY_MS);
    const after = this.offsetAt(wallMs + DAY_MS);
    if (before === after) return wallMs - before;
    const early = wallMs - before;
    const late = wallMs - after;
    const earlyValid = this.offsetAt(early) === before;
    const lateValid = this.offsetAt(late) === after;
    if (earlyValid && lateValid) return Math.min(early, late);
    if (earlyValid) return early;
    if (lateValid) return late;
    return early; // in the gap: the offset before the transition pushes the time past it
  }

  /** The wall-clock time of a UTC instant (wall ms). */
  toWall(utcMs: number): number {
    return utcMs + this.offsetAt(utcMs);
  }

  /** The local day (YYYY-MM-DD) of an instant. All instants of one 15-minute UTC bucket share it. */
  dayOf(utcMs: number): string {
    const bucket = Math.floor(utcMs / BUCKET);
    if (bucket !== this.lastDayBucket) {
      this.lastDayBucket = bucket;
      this.lastDay = dayLabel(this.toWall(bucket * BUCKET));
    }
    return this.lastDay;
  }

  private computeOffset(utcMs: number): number {
    const format = this.format;
    if (format === undefined) return 0;
    let year = 0;
    let month = 1;
    let day = 1;
    let hour = 0;
    let minute = 0;
    let second = 0;
    for (const part of format.formatToParts(utcMs)) {
      switch (part.type) {
        case 'year':
          year = Number(part.value);
          break;
        case 'month':
          month = Number(part.value);
          break;
        case 'day':
          day = Number(part.value);
          break;
        case 'hour':
          hour = Number(part.value);
          break;
        case 'minute':
          minute = Number(part.value);
          break;
        case 'second':
          second = Number(part.value);
          break;
        default:
          break;
      }
    }
    // Date.UTC reads years 0–99 as 1900–1999; setUTCFullYear does not.
    const wall = new Date(Date.UTC(2000, month - 1, day, hour, minute, second)).setUTCFullYear(year);
    return wall - Math.floor(utcMs / 1000) * 1000;
  }
}

/** Validate a zone name without keeping anything: the reason text when invalid, undefined when fine. */
export function checkZone(name: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

const zones = new Map<string, Zone>(); // memo only: a Zone's answers never change

/** The shared Zone for a name (created on first use). @throws RangeError for an unknown zone. */
export function zoneOf(name: string): Zone {
  let z = zones.get(name);
  if (z === undefined) {
    z = new Zone(name);
    zones.set(name, z);
  }
  return z;
}

// Calendar days.

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "YYYY-MM-DD" of wall ms (or of a UTC instant, for the UTC day). */
export function dayLabel(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** UTC midnight of the date in ms, or undefined when `day` is not a real YYYY-MM-DD date. */
function utcMidnight(day: string): number | undefined {
  const m = DAY_RE.exec(day);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(2000, mo - 1, d)).setUTCFullYear(y);
  const back = new Date(t);
  // Rejects 2024-02-30 and friends, which Date.UTC would silently roll over.
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d ? t : undefined;
}

export function isDay(day: string): boolean {
  return utcMidnight(day) !== undefined;
}

/** Days since 1970-01-01 of a day label. @throws RangeError when `day` is not a real YYYY-MM-DD date. */
export function dayNumber(day: string): number {
  const t = utcMidnight(day);
  if (t === undefined) throw new RangeError(`not a day (YYYY-MM-DD): '${day}'`);
  return t / DAY_MS;
}

/** The day `n` days after `day` (negative: before); undefined when `day` is not a day. */
export function addDays(day: string, n: number): string | undefined {
  const t = utcMidnight(day);
  return t === undefined ? undefined : dayLabel(t + n * DAY_MS);
}

/** Days from `from` to `to` (positive when `to` is later); undefined when either is not a day. */
export function daysBetween(from: string, to: string): number | undefined {
  const a = utcMidnight(from);
  const b = utcMidnight(to);
  return a === undefined || b === undefined ? undefined : Math.round((b - a) / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday, like Date.prototype.getDay. */
export function dayOfWeek(day: string): number | undefined {
  const t = utcMidnight(day);
  return t === undefined ? undefined : new Date(t).getUTCDay();
}

/** The local wall clock at `instant` in the named zone: its day, and the reading as wall ms (second precision). */
export function wallClock(instant: number, zoneName: string): { day: string; ms: number } {
  const wall = zoneOf(zoneName).toWall(instant);
  const ms = Math.floor(wall / 1000) * 1000;
  return { day: dayLabel(ms), ms };
}

/**
 * The first instant of `day` in the named zone, as an ISO string (UTC, milliseconds). Normally
 * local midnight; where a DST change skips midnight (e.g. America/Sao_Paulo in 2018) the first
 * existing local time of that day. Throws RangeError for a bad day or an unknown time zone.
 */
export function dayStart(day: string, zoneName: string): string {
  const midnight = utcMidnight(day);
  if (midnight === undefined) throw new RangeError(`not a YYYY-MM-DD day: "${day}"`);
  const zone = zoneOf(zoneName);
  // toUtc moves a skipped reading forward by the gap; the first existing instant of the day is
  // the transition itself, where the day's readings begin.
  let t = zone.toUtc(midnight);
  const wall = zone.toWall(t);
  if (wall > midnight) {
    // Midnight was skipped: step back to the transition (the first instant whose reading is on `day`).
    let lo = t - DAY_MS / 4;
    let hi = t;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (zone.toWall(mid) >= midnight) hi = mid;
      else lo = mid;
    }
    t = hi;
  }
  return new Date(t).toISOString();
}
