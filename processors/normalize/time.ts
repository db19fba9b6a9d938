// Lenient time parsing: every shape the feeds write → epoch milliseconds (UTC).
//
// Supported, decided by shape (no format configuration needed):
// - ISO 8601 / RFC 3339 `YYYY-MM-DD[(T| )hh:mm[:ss[.f…]]][Z|±hh|±hhmm|±hh:mm|ABBR]`, also with `/`
//   between date parts; a fraction of any length (EasySMF's hundredths `.45` = 450 ms).
// - Month-name forms: RFC 3164 `Mmm dd hh:mm:ss` (no year) and zSecure / ArcSight
//   `Mmm d yyyy h:mm:ss[.fff] [±hhmm|±hh:mm|ABBR]`.
// - Epoch numbers or numeric strings, unit by magnitude: < 1e11 seconds, < 1e14 milliseconds,
//   < 1e17 microseconds, else nanoseconds (a fraction is allowed).
// - Date + time-of-day pairs (CDP/SMF columns, see parseDatePair).
// Zone-less times are wall-clock times in the configured zone. Zone abbreviations are fixed
// offsets from a small table (CST is US Central; ambiguous IST is not accepted). A year-less
// RFC 3164 time takes the latest year that does not put it more than a day after receipt
// (so a December event received in January is last year's). Results outside 1971–2199 are refused.

import { DAY_MS as DAY, type Zone } from '../time/zone.js';

export interface TimeContext {
  zone: Zone;
  /** When the line was received (epoch ms); anchors year-less times. */
  receivedAtMs: number;
}

const MIN_MS = Date.UTC(1971, 0, 1);
const MAX_MS = Date.UTC(2200, 0, 1);

const ISO = /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?:[Tt ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?|[A-Za-z]{2,5})?$/;
const MONTH_NAME =
  /^([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?(?:\s+(\d{4}))?\s+(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?:\s*(Z|[+-]\d{2}(?::?\d{2})?|[A-Za-z]{2,5}))?$/;
const EPOCH = /^\d{9,19}(?:\.\d{1,9})?$/;

// Maps, not object literals: keys come from input and must never reach Object.prototype.
const MONTHS: ReadonlyMap<string, number> = new Map(
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((m, i) => [m, i]),
);

/** Zone abbreviations as fixed offsets in minutes. */
const ABBREVIATIONS: ReadonlyMap<string, number> = new Map(
  Object.entries({
    UTC: 0, UT: 0, GMT: 0, Z: 0, WET: 0, WEST: 60, BST: 60, CET: 60, CEST: 120, MEZ: 60, MESZ: 120,
    EET: 120, EEST: 180, MSK: 180, EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360,
    PST: -480, PDT: -420, AKST: -540, AKDT: -480, HST: -600, JST: 540, KST: 540, AWST: 480,
    ACST: 570, AEST: 600, AEDT: 660, NZST: 720, NZDT: 780,
  }),
);

/** Parse one time value. Undefined when the shape is unknown, a part is out of range, or the result is outside 1971–2199. */
export function parseTime(value: string | number, ctx: TimeContext): number | undefined {
  if (typeof value === 'number') return inRange(fromEpoch(value));
  const s = value.trim();
  const first = s.charCodeAt(0);
  if (first >= 48 && first <= 57) {
    if (EPOCH.test(s)) return inRange(fromEpoch(Number(s)));
    const m = ISO.exec(s);
    return m === null ? undefined : inRange(fromParts(m, 1, 3, 4, 5, ctx));
  }
  const m = MONTH_NAME.exec(s);
  if (m === null) return undefined;
  const month = MONTHS.get((m[1] ?? '').toLowerCase());
  if (month === undefined) return undefined;
  if (m[3] === undefined) return inRange(yearless(month, m, ctx));
  return inRange(wallToUtc(Number(m[3]), month, Number(m[2]), m[4], m[5], m[6], m[7], m[8], ctx));
}

const DATE_YMD = /^(\d{4})[-/.]?(\d{2})[-/.]?(\d{2})$/;
const DATE_CYYDDD = /^0([0-2])(\d{2})(\d{3})$/; // SMF packed date 0cyydddF as digits, c=1 → 20yy
const DATE_YYYYDDD = /^(\d{4})\.?(\d{3})$/;
const TIME_OF_DAY = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?$/;
const HUNDREDTHS = /^\d{1,7}$/;

/**
 * A date and a time of day from separate fields, as wall time in the configured zone.
 * Date: `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYYMMDD`, `YYYYDDD` / `YYYY.DDD` (Julian), or SMF `0cyyddd`.
 * Time: `hh:mm[:ss[.f…]]`, or an integer (number or digits) of hundredths of a second since
 * midnight, as in the SMF header.
 */
export function parseDatePair(date: string | number, time: string | number, ctx: TimeContext): number | undefined {
  const d = String(date).trim();
  let y: number;
  let dayOfYear = 0;
  let month = 0;
  let day = 1;
  let m = DATE_CYYDDD.exec(d);
  if (m !== null) {
    y = 1900 + 100 * Number(m[1]) + Number(m[2]);
    dayOfYear = Number(m[3]);
  } else if ((m = DATE_YMD.exec(d)) !== null) {
    y = Number(m[1]);
    month = Number(m[2]) - 1;
    day = Number(m[3]);
  } else if ((m = DATE_YYYYDDD.exec(d)) !== null) {
    y = Number(m[1]);
    dayOfYear = Number(m[2]);
  } else {
    return undefined;
  }
  if (dayOfYear !== 0) {
    if (dayOfYear > (isLeap(y) ? 366 : 365)) return undefined;
    const jan1 = Date.UTC(y, 0, 1) + (dayOfYear - 1) * DAY;
    const asDate = new Date(jan1);
    month = asDate.getUTCMonth();
    day = asDate.getUTCDate();
  }
  const t = typeof time === 'number' ? String(time) : time.trim();
  if (HUNDREDTHS.test(t)) {
    const hundredths = Number(t);
    if (hundredths >= 8_640_000 || !validDate(y, month, day)) return undefined;
    return inRange(ctx.zone.toUtc(Date.UTC(y, month, day) + hundredths * 10));
  }
  const tm = TIME_OF_DAY.exec(t);
  if (tm === null) return undefined;
  return inRange(wallToUtc(y, month, day, tm[1], tm[2], tm[3], tm[4], undefined, ctx));
}

function fromEpoch(v: number): number {
  if (!(v > 0)) return Number.NaN;
  if (v < 1e11) return Math.round(v * 1000);
  if (v < 1e14) return Math.round(v);
  if (v < 1e17) return Math.round(v / 1000);
  return Math.round(v / 1e6);
}

function fromParts(m: RegExpExecArray, yi: number, mi: number, di: number, hi: number, ctx: TimeContext): number {
  return wallToUtc(Number(m[yi]), Number(m[mi]) - 1, Number(m[di]), m[hi], m[hi + 1], m[hi + 2], m[hi + 3], m[hi + 4], ctx);
}

/** Month is 0-based. Time parts are the regex captures (absent = 0). NaN when a part is out of range. */
function wallToUtc(
  year: number,
  month: number,
  day: number,
  hh: string | undefined,
  mm: string | undefined,
  ss: string | undefined,
  fraction: string | undefined,
  zone: string | undefined,
  ctx: TimeContext,
): number {
  const hour = hh === undefined ? 0 : Number(hh);
  const minute = mm === undefined ? 0 : Number(mm);
  const second = ss === undefined ? 0 : Number(ss);
  if (!validDate(year, month, day) || hour > 23 || minute > 59 || second > 60) return Number.NaN;
  const wall = Date.UTC(year, month, day, hour, minute, second, fractionMs(fraction));
  if (zone === undefined) return ctx.zone.toUtc(wall);
  const offset = zoneOffsetMinutes(zone);
  return offset === undefined ? Number.NaN : wall - offset * 60_000;
}

/** RFC 3164: no year. Take the latest of next, this and last year (in the zone, relative to receipt) not more than a day ahead of receipt. */
function yearless(month: number, m: RegExpExecArray, ctx: TimeContext): number {
  const year = new Date(ctx.zone.toWall(ctx.receivedAtMs)).getUTCFullYear();
  const limit = ctx.receivedAtMs + DAY;
  for (const y of [year + 1, year, year - 1]) {
    const t = wallToUtc(y, month, Number(m[2]), m[4], m[5], m[6], m[7], m[8], ctx);
    if (t <= limit) return t; // NaN (Feb 29 in a common year) compares false: next candidate
  }
  return Number.NaN;
}

function fractionMs(fraction: string | undefined): number {
  if (fraction === undefined) return 0;
  return Number(fraction.length >= 3 ? fraction.slice(0, 3) : fraction.padEnd(3, '0'));
}

/**
 * A zone suffix as the time regexes capture it (±hh, ±hhmm, ±hh:mm, Z, or letters) → minutes east
 * of UTC; undefined when out of range or an unknown abbreviation. Read by hand: it runs per event.
 */
function zoneOffsetMinutes(zone: string): number | undefined {
  const sign = zone.charCodeAt(0);
  if (sign !== 43 && sign !== 45) return zone === 'Z' || zone === 'z' ? 0 : ABBREVIATIONS.get(zone.toUpperCase());
  const hours = twoDigits(zone, 1);
  const minutes = zone.length <= 3 ? 0 : twoDigits(zone, zone.length - 2);
  if (!(hours <= 18 && minutes <= 59)) return undefined; // also false for NaN
  return (sign === 45 ? -1 : 1) * (hours * 60 + minutes);
}

function twoDigits(s: string, at: number): number {
  const a = s.charCodeAt(at) - 48;
  const b = s.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : Number.NaN;
}

function inRange(ms: number): number | undefined {
  return ms >= MIN_MS && ms < MAX_MS ? ms : undefined;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDate(y: number, month: number, day: number): boolean {
  if (month < 0 || month > 11 || day < 1) return false;
  const max = month === 1 && isLeap(y) ? 29 : (MONTH_DAYS[month] ?? 0);
  return day <= max;
}
