// Finding `key=` in text where values may contain spaces and "=" (CEF extensions, key=value lists).
//
// A key starts a new field only when it is a KEY word directly followed by "=" and preceded by
// whitespace or by the start of the list; any other "=" belongs to the value around it. Scanning
// jumps between "=" with indexOf and looks back over the key characters only, so the total work is
// linear in the line length (runs looked back over are disjoint).

/** Key characters: letters, digits, "_", ".", "-"; a key starts with a letter or "_". */
export function isKeyChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2e || c === 0x2d;
}

function isKeyStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}

export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/**
 * Start index of the next key at or after `from`, or -1; its "=" is at `keyEnd(s, start)`.
 * `listStart` is where the list begins (a key may start there without a space before it).
 * With `escapes`, an "=" preceded by an odd run of backslashes is a literal (CEF `\=`).
 */
export function nextKey(s: string, from: number, listStart: number, escapes: boolean): number {
  let eq = s.indexOf('=', from);
  while (eq >= 0) {
    if (!(escapes && oddBackslashesBefore(s, eq, from))) {
      let k = eq;
      while (k > from && isKeyChar(s.charCodeAt(k - 1))) k--;
      if (k < eq && isKeyStart(s.charCodeAt(k)) && (k === listStart || isSpace(s.charCodeAt(k - 1)))) return k;
    }
    eq = s.indexOf('=', eq + 1);
  }
  return -1;
}

/** Index of the "=" ending the key that starts at `start` (which nextKey returned). */
export function keyEnd(s: string, start: number): number {
  let i = start;
  while (isKeyChar(s.charCodeAt(i))) i++;
  return i;
}

function oddBackslashesBefore(s: string, at: number, floor: number): boolean {
  let n = 0;
  for (let j = at - 1; j >= floor && s.charCodeAt(j) === 0x5c; j--) n++;
  return (n & 1) === 1;
}

/** Start index of the first non-space (SP/TAB) character at or after `i`. */
export function skipSpace(s: string, i: number): number {
  while (isSpace(s.charCodeAt(i))) i++;
  return i;
}

/** `s.slice(start, end)` without surrounding SP/TAB. */
export function sliceTrimmed(s: string, start: number, end: number): string {
  while (start < end && isSpace(s.charCodeAt(start))) start++;
  while (end > start && isSpace(s.charCodeAt(end - 1))) end--;
  return s.slice(start, end);
}

/** Index of the next "|" not escaped by an odd run of backslashes, or -1 (CEF and LEEF headers). */
export function nextBar(s: string, from: number): number {
  let bar = s.indexOf('|', from);
  while (bar >= 0) {
    let n = 0;
    for (let j = bar - 1; j >= from && s.charCodeAt(j) === 0x5c; j--) n++;
    if ((n & 1) === 0) return bar;
    bar = s.indexOf('|', bar + 1);
  }
  return -1;
}
