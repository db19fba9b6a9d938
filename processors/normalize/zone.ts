// IANA time-zone arithmetic with Intl only (no dependency), cheap enough to run per event.
//
// One Zone per normalizer (no module-level state). Offsets are computed with one shared
// Intl.DateTimeFormat and cached per 15-minute bucket of UTC time: every tzdb transition since
// 1970 falls on a quarter hour of UTC, so an offset is constant within a bucket. Events arrive
// roughly in time order, so nearly every lookup is a hit on the last bucket or the map.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
const BUCKET = 15 * MINUTE;
const CACHE_LIMIT = 20_000;

export class Zone {
  readonly name: string;
  private readonly format: Intl.DateTimeFormat | undefined; // undefined: UTC, offset always 0
  private readonly cache = new Map<number, number>();
  private lastBucket = Number.NaN;
  private lastOffset = 0;

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
    this.format = resolved === 'UTC' || resolved === 'Etc/UTC' || resolved === 'Etc/GMT' ? undefined : format;
  }

  /** Milliseconds to add to a UTC instant to get the wall-clock time in this zone. */
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
   * The UTC instant of a wall-clock time in this zone. `wallMs` is the wall time written as if it
   * were UTC (Date.UTC of its fields). Ambiguity is resolved as Temporal's 'compatible' does: a time
   * repeated when clocks go back takes the earlier instant; a time skipped when clocks go forward
   * is moved forward by the gap (02:30 on a spring-forward night becomes 03:30 new time).
   */
  toUtc(wallMs: number): number {
    const before = this.offsetAt(wallMs - DAY);
    const after = this.offsetAt(wallMs + DAY);
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

  /** The wall-clock time of a UTC instant, as milliseconds usable with the Date getUTC* methods. */
  toWall(utcMs: number): number {
    return utcMs + this.offsetAt(utcMs);
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
    const wall = Date.UTC(year, month - 1, day, hour, minute, second);
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
