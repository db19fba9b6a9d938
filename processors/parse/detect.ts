// Payload format detection for `format: 'auto'`, per line, after the syslog envelope is split off
// (syslog.ts detects the envelope for every format). Cheap checks at the start of the payload, in
// order; the first that matches decides:
//   1. "{"                                   → json
//   2. "LEEF:"                               → leef
//   3. "CEF:"                                → cef
//   4. first word is `key=`                  → kv
//   5. first word is `Word:` + space/end     → tagged
//   6. at least two ` key=` further on       → kv
//   7. at least two ` Word: ` further on     → tagged
//   8. nothing                               → undefined (text behind an envelope, else unknown_format)
// CSV is never guessed: a comma-separated line is only CSV when the stream is configured as csv.

import type { PayloadFormat } from '../schema/record.js';
import { isKeyChar, isSpace, keyEnd, nextKey, skipSpace } from './key-scan.js';

export function detectPayload(payload: string): PayloadFormat | undefined {
  const i = skipSpace(payload, 0);
  const c = payload.charCodeAt(i);
  if (c === 0x7b) return 'json';
  if (c === 0x4c && payload.startsWith('LEEF:', i)) return 'leef';
  if (c === 0x43 && payload.startsWith('CEF:', i)) return 'cef';

  let w = i;
  while (isKeyChar(payload.charCodeAt(w))) w++;
  if (w > i && isLetterOrUnderscore(c)) {
    const after = payload.charCodeAt(w);
    if (after === 0x3d) return 'kv';
    if (after === 0x3a && (w + 1 === payload.length || isSpace(payload.charCodeAt(w + 1)))) return 'tagged';
  }

  const first = nextKey(payload, i, i, false);
  if (first >= 0 && nextKey(payload, keyEnd(payload, first) + 1, i, false) >= 0) return 'kv';
  if (countTagEnds(payload, i, 2) >= 2) return 'tagged';
  return undefined;
}

/** Counts (up to `limit`) colons that end a letter-led word and are followed by whitespace or the end. */
function countTagEnds(s: string, from: number, limit: number): number {
  let count = 0;
  let colon = s.indexOf(':', from);
  while (colon >= 0 && count < limit) {
    const after = s.charCodeAt(colon + 1);
    if (colon + 1 === s.length || isSpace(after)) {
      let w = colon;
      while (w > from && isKeyChar(s.charCodeAt(w - 1))) w--;
      if (w < colon && isLetterOrUnderscore(s.charCodeAt(w)) && (w === from || isSpace(s.charCodeAt(w - 1)))) count++;
    }
    colon = s.indexOf(':', colon + 1);
  }
  return count;
}

function isLetterOrUnderscore(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}
