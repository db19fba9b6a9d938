// Deterministic document ids: the same line always gets the same id, so a replay after a crash
// is answered 409 (duplicate) instead of creating a second document.
// Positional sources (files): hash of file identity + byte offset — two equal lines stay two.
// Sources without positions (network): hash of input name + the line's text.

import { createHash } from 'node:crypto';
import type { RawLine } from './event.js';

export function eventId(line: RawLine, salt = ''): string {
  const h = createHash('sha256');
  if (line.source.identity !== undefined) h.update(`${line.source.identity}\u0000${line.source.offset}${salt}`);
  else h.update(`${line.source.input}\u0000${line.text}${salt}`);
  return h.digest('base64url').slice(0, 22); // 132 bits
}
