// Calendar days ("YYYY-MM-DD", the local day in the configured time zone) and their arithmetic.
// A day is a calendar date, not an instant: arithmetic is done on UTC midnights, where every
// day has 24 hours, and only `dayStart` needs the time zone.

const DAY_MS = 86_400_000;
const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** UTC midnight of the date in ms, or undefined when `day` is not a real YYYY-MM-DD date. */
function utcMidnight(day: string): number | undefined {
  const m = DAY_RE.exec(day);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  // Rejects 2024-02-30 and friends, which Date.UTC would silently roll over.
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d ? t : undefined;
}

export function isDay(day: string): boolean {
  return utcMidnight(day) !== undefined;
}

/** Days from `from` to `to` (positive when `to` is later); undefined when either is not a day. */
export function daysBetween(from: string, to: string): number | undefined {
  const a = utcMidnight(from);
  const b = utcMidnight(to);
  return a === undefined || b === undefined ? undefined : Math.round((b - a) / DAY_MS);
}

export function addDays(day: string, n: number): string | undefined {
  const t = utcMidnight(day);
  return t === undefined ? undefined : new Date(t + n * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday, like Date.prototype.getDay. */
export function dayOfWeek(day: string): number | undefined {
  const t = utcMidnight(day);
  return t === undefined ? undefined : new Date(t).getUTCDay();
}

const formatters = new Map<string, Intl.DateTimeFormat>(); // memo only: formatters are immutable

/** The local wall clock at `instant`: its day, and the same reading as epoch ms in UTC (second precision). */
export function wallClock(instant: number, timeZone: string): { day: string; ms: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(new Date(instant))) p[part.type] = part.value;
  const day = `${p.year}-${p.month}-${p.day}`;
  const ms = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return { day, ms };
}

/**
 * The first instant of `day` in `timeZone`, as an ISO string (UTC, milliseconds). Normally local
 * midnight; where a DST change skips midnight (e.g. America/Sao_Paulo in 2018) the first existing
 * local time of that day. Throws RangeError for an unknown time zone (the agent config validates it at load).
 */
export function dayStart(day: string, timeZone: string): string {
  const midnight = utcMidnight(day);
  if (midnight === undefined) throw new RangeError(`not a YYYY-MM-DD day: "${day}"`);
  // Offset = wall clock − UTC. Two rounds settle it across one DST change.
  let t = midnight - (wallClock(midnight, timeZone).ms - midnight);
  t = midnight - (wallClock(t, timeZone).ms - t);
  // Where local midnight does not exist (a DST gap), t lands on the previous day's evening in the
  // old offset; advancing by the wall-clock distance to midnight reaches the transition instant,
  // the first existing local time of `day`.
  const wall = wallClock(t, timeZone);
  if (wall.day < day) t += midnight - wall.ms;
  return new Date(t).toISOString();
}
