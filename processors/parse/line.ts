// Checks every line passes before any format is tried: length, line terminator, BOM, emptiness and
// binary content. Cheap on the common path (one native regex test for a clean line).

import { reject, type Rejection } from './outcome.js';

/** Characters that do not belong in a text log line: C0 controls except TAB/LF/CR, DEL, C1, U+FFFD. */
const SUSPECT = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]/;
const SUSPECT_ALL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]/g;

/**
 * Share of suspect characters above which a line is binary. A few stray control characters (an ESC
 * from a console message) are tolerated; EBCDIC read as text or a spanned SMF record is not.
 */
const BINARY_SHARE = 0.1;

/**
 * Returns the line ready for parsing, or why it is refused.
 * - longer than `maxLength` (measured before anything is stripped) → `too_long`;
 * - one trailing LF and one trailing CR are stripped (a splitter may leave them), as is a leading BOM;
 * - nothing but whitespace → `empty`;
 * - any NUL, or more than 10 % suspect characters → `binary`.
 */
export function prepareLine(line: string, maxLength: number): string | Rejection {
  if (line.length > maxLength) {
    return reject('too_long', `line has ${line.length} characters, more than maxLineLength ${maxLength}`);
  }
  let end = line.length;
  if (line.charCodeAt(end - 1) === 0x0a) end--;
  if (line.charCodeAt(end - 1) === 0x0d) end--;
  const start = line.charCodeAt(0) === 0xfeff ? 1 : 0;
  const text = start === 0 && end === line.length ? line : line.slice(start, end);

  if (text.length === 0 || (isSpace(text.charCodeAt(0)) && text.trim().length === 0)) {
    return reject('empty', 'line is empty or whitespace only');
  }
  if (SUSPECT.test(text)) {
    if (text.includes('\0')) return reject('binary', 'line contains NUL characters');
    const suspect = text.match(SUSPECT_ALL)?.length ?? 0;
    if (suspect > text.length * BINARY_SHARE) {
      return reject('binary', `${suspect} of ${text.length} characters are control characters or U+FFFD`);
    }
  }
  return text;
}

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0xfeff || c > 0x1fff;
}
