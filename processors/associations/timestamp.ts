// Reading EventDoc @timestamp fast: observe parses one per associated event.

const D0 = 48; // '0'

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - D0;
    if (d < 0 || d > 9) return Number.NaN;
    v = v * 10 + d;
  }
  return v;
}

/**
 * Epoch ms of an EventDoc @timestamp. The schema writes "YYYY-MM-DDTHH:MM:SS.sssZ"; that shape is
 * read digit by digit (Date.parse costs ~0.4 µs, a fifth of observe's time with all defaults);
 * anything else falls back to Date.parse. Same result as Date.parse (tested), NaN for non-times.
 */
export function parseTimestamp(s: string): number {
  if (s.length !== 24 || s.charCodeAt(23) !== 90 /* Z */ || s.charCodeAt(10) !== 84 /* T */ || s.charCodeAt(19) !== 46 /* . */) return Date.parse(s);
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const sec = digits(s, 17, 2);
  const ms = digits(s, 20, 3);
  // Years below 100 are read as 19yy by Date.UTC; leave them (and out-of-range fields) to Date.parse.
  if (y < 100 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59) return Date.parse(s);
  const t = Date.UTC(y, mo - 1, d, h, mi, sec, ms);
  return Number.isNaN(t) ? Date.parse(s) : t;
}
