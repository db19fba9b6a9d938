// Simulated days in an IANA time zone, and the time formatting every writer needs, without Intl per
// line. Intl is asked once per local hour of each simulated day for the zone's UTC offset; after that
// a local wall-clock time converts to UTC with one subtraction, and the writers format wall or UTC
// milliseconds with integer arithmetic and small caches.
//
// The zone arithmetic itself is processors/time/zone.ts.
//
// Conventions: "wall ms" is the local wall-clock time written as if it were UTC epoch ms (so
// `new Date(wallMs).getUTCHours()` is the local hour); `offsetMin` is local minus UTC in minutes.

import { Zone } from '../time/zone.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export interface SimDay {
  /** 0-based position in the simulated range. */
  readonly index: number;
  /** Local date, YYYY-MM-DD. */
  readonly date: string;
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
  readonly weekend: boolean;
  /** Local midnight as wall ms. */
  readonly wallStart: number;
  /** UTC offset in minutes for each local hour 0..23. */
  readonly offsets: readonly number[];
  /**
   * Per local hour, ms to move a wall time forward because the hour does not exist (the gap of a
   * spring-forward change); 0 for every ordinary hour. A repeated hour (fall back) keeps its first
   * occurrence, which is a valid reading of the wall time.
   */
  readonly gaps: readonly number[];
  /** UTC epoch ms of local midnight, and of the next local midnight. */
  readonly utcStart: number;
  readonly utcEnd: number;
}

/** The zone's offset (minutes) at a UTC instant. */
export type OffsetFn = (utcMs: number) => number;

/** Throws RangeError when the zone is unknown to this Node.js. */
export function offsetFunction(timezone: string): OffsetFn {
  const zone = new Zone(timezone);
  return (utcMs) => Math.round(zone.offsetAt(utcMs) / 60_000);
}

/** `count` consecutive local days from `start` (YYYY-MM-DD). */
export function buildDays(start: string, count: number, timezone: string): SimDay[] {
  const offsetAt = offsetFunction(timezone);
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  const days: SimDay[] = [];
  let guess = offsetAt(Date.UTC(y, m - 1, d));
  for (let i = 0; i < count; i++) {
    const wallStart = Date.UTC(y, m - 1, d + i);
    const offsets: number[] = [];
    const gaps: number[] = [];
    for (let h = 0; h < 24; h++) {
      // An offset is right for a wall hour when the UTC instant it gives has that same offset. Try the
      // previous hour's offset, then the one in force at that instant; if neither holds, the hour
      // falls in a gap and its times move forward by the jump.
      const wall = wallStart + h * HOUR_MS;
      const next = offsetAt(wall - guess * 60_000);
      const consistent = [guess, next].find((o) => offsetAt(wall - o * 60_000) === o);
      gaps.push(consistent === undefined ? Math.max(0, next - guess) * 60_000 : 0);
      guess = consistent ?? next;
      offsets.push(guess);
    }
    const weekday = new Date(wallStart).getUTCDay();
    days.push({
      index: i,
      date: new Date(wallStart).toISOString().slice(0, 10),
      weekday,
      weekend: weekday === 0 || weekday === 6,
      wallStart,
      offsets,
      gaps,
      utcStart: wallStart - (offsets[0] ?? 0) * 60_000,
      utcEnd: wallStart + DAY_MS - offsetAt(wallStart + DAY_MS - (offsets[23] ?? 0) * 60_000) * 60_000,
    });
  }
  return days;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const PAD2 = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

interface DateStrings {
  iso: string; // 2025-03-03
  bsd: string; // "Mar  3"
  zsecure: string; // "Mar 3 2025"
}

/**
 * Formats wall or UTC epoch ms. One instance per writer: it caches the date part of the last day
 * seen (records arrive in time order, so nearly every call is a hit) and offset strings.
 */
export class TimeFormat {
  private lastDay = Number.NaN;
  private lastDate: DateStrings = { iso: '', bsd: '', zsecure: '' };
  private readonly offsets = new Map<number, [string, string]>();

  private date(ms: number): DateStrings {
    const day = Math.floor(ms / DAY_MS);
    if (day !== this.lastDay) {
      const t = new Date(day * DAY_MS);
      const month = MONTHS[t.getUTCMonth()] ?? '';
      const dom = t.getUTCDate();
      this.lastDay = day;
      this.lastDate = {
        iso: t.toISOString().slice(0, 10),
        bsd: `${month} ${dom < 10 ? ' ' : ''}${dom}`,
        zsecure: `${month} ${dom} ${t.getUTCFullYear()}`,
      };
    }
    return this.lastDate;
  }

  /** ["+0100", "+01:00"] */
  private offset(offsetMin: number): [string, string] {
    let s = this.offsets.get(offsetMin);
    if (s === undefined) {
      const a = Math.abs(offsetMin);
      const sign = offsetMin < 0 ? '-' : '+';
      const hh = PAD2[Math.floor(a / 60)] ?? '00';
      const mm = PAD2[a % 60] ?? '00';
      s = [`${sign}${hh}${mm}`, `${sign}${hh}:${mm}`];
      this.offsets.set(offsetMin, s);
    }
    return s;
  }

  /** hh:mm:ss, plus "." and `digits` (2 or 3) fraction digits when asked. */
  private clock(ms: number, digits: 0 | 2 | 3, padHour = true): string {
    const t = ms - Math.floor(ms / DAY_MS) * DAY_MS;
    const h = Math.floor(t / HOUR_MS);
    const m = Math.floor(t / 60_000) % 60;
    const s = Math.floor(t / 1000) % 60;
    const base = `${padHour ? PAD2[h] : h}:${PAD2[m]}:${PAD2[s]}`;
    if (digits === 0) return base;
    const frac = t % 1000;
    return digits === 3 ? `${base}.${PAD3[frac]}` : `${base}.${PAD2[Math.floor(frac / 10)]}`;
  }

  /** 2025-03-03T08:04:05.123Z */
  isoUtc(utcMs: number): string {
    return `${this.date(utcMs).iso}T${this.clock(utcMs, 3)}Z`;
  }

  /** 2025-03-03T09:04:05.123+01:00 */
  isoOffset(wallMs: number, offsetMin: number): string {
    return `${this.date(wallMs).iso}T${this.clock(wallMs, 3)}${this.offset(offsetMin)[1]}`;
  }

  /** RFC 3164: "Mar  3 09:04:05" (no year, no zone). */
  bsd(wallMs: number): string {
    return `${this.date(wallMs).bsd} ${this.clock(wallMs, 0)}`;
  }

  /** zSecure devTime: "Mar 3 2025 9:04:05.123 +0100" (single-digit day and hour, +hhmm offset). */
  zsecure(wallMs: number, offsetMin: number): string {
    return `${this.date(wallMs).zsecure} ${this.clock(wallMs, 3, false)} ${this.offset(offsetMin)[0]}`;
  }

  /** EasySMF smfDateTime: local, hundredths, no zone: "2025-03-03T09:04:05.12". */
  smfLocal(wallMs: number): string {
    return `${this.date(wallMs).iso}T${this.clock(wallMs, 2)}`;
  }

  /** "2025-03-03" (local). */
  dateOnly(wallMs: number): string {
    return this.date(wallMs).iso;
  }

  /** "09:04:05.12" (local, hundredths as in the SMF header). */
  timeHundredths(wallMs: number): string {
    return this.clock(wallMs, 2);
  }
}
