// Field lists without a format header, as BMC AMI Datastream writes them after an RFC 3164 header.
//
// key=value (`User=IBMUSER Jobname=PAYROLL Desc="Logon accepted"`):
// - a key is a KEY word (letters, digits, "_", ".", "-", starting with a letter or "_") followed by
//   "=" and preceded by whitespace or the start of the list (key-scan.ts);
// - a value in double or single quotes ends at the matching quote followed by whitespace or the end;
//   inside it `\"` (or `\'`) and `\\` are escapes, other backslashes are literal. A quote that does
//   not close that way is an ordinary character;
// - an unquoted value runs to the next key and is trimmed, so it may contain spaces and "=" (which
//   also means free words after the last pair end up in the last value);
// - text before the first key, and between a quoted value and the next key, becomes `text`.
//
// Tag: value (`User: IBMUSER Jobname: TSOAPPL Terminal ID: TCP00042`): tag names may contain spaces,
// so the rule that finds them is the one thing to know about this format:
// - a tag ends at ":" followed by whitespace or the end of the line (so "09:04:05" and "::FFFF:…"
//   never end one), and its last word starts with a letter and holds only letters, digits, "_", "-",
//   ".", "/";
// - the tag extends backwards over at most two more words, as far as a Title-case word
//   ("Terminal", "Data", "Remote"), through short capital acronyms ("IP", "ID", "LU") between;
//   all-capital words longer than three letters, and words with digits or punctuation, are never
//   absorbed, because that is what z/OS values look like (IBMUSER, TSOAPPL, SYS1.PARMLIB);
// - a tag never takes the last word of the previous tag's value.
// So `Jobname: TSOAPPL Terminal ID: T1` gives Jobname=TSOAPPL and "Terminal ID"=T1, and
// `Remote IP address: 10.1.2.3` gives "Remote IP address". A Title-case word at the end of a free
// text value is the known ambiguity: `Message: Logon Failed User: X` reads "Failed User" as the tag.
// Values are trimmed; text before the first tag becomes `text`.

import type { ParseResult, ParsedRecord } from '../schema/record.js';
import { isSpace, keyEnd, nextKey, skipSpace, sliceTrimmed } from './key-scan.js';
import { accept, clip, putField, reject, type Fields } from './outcome.js';

const MAX_TAG_WORDS = 3;

export function parseKv(payload: string): ParseResult {
  const start = skipSpace(payload, 0);
  let key = nextKey(payload, start, start, false);
  if (key < 0) return reject('bad_kv', `no key=value pair in "${clip(payload.slice(start))}"`);
  const fields: Fields = {};
  let text = sliceTrimmed(payload, start, key);
  while (key >= 0) {
    const eq = keyEnd(payload, key);
    const name = payload.slice(key, eq);
    const v = eq + 1;
    const quote = payload.charCodeAt(v);
    if (quote === 0x22 || quote === 0x27) {
      const close = closingQuote(payload, v + 1, quote);
      if (close >= 0 && (close + 1 === payload.length || isSpace(payload.charCodeAt(close + 1)))) {
        putField(fields, name, unescapeQuoted(payload.slice(v + 1, close), quote));
        const next = nextKey(payload, close + 1, start, false);
        const between = sliceTrimmed(payload, close + 1, next < 0 ? payload.length : next);
        if (between) text = text ? `${text} ${between}` : between;
        key = next;
        continue;
      }
    }
    const next = nextKey(payload, v, start, false);
    putField(fields, name, sliceTrimmed(payload, v, next < 0 ? payload.length : next));
    key = next;
  }
  const record: ParsedRecord = { format: 'kv', fields };
  if (text) record.text = text;
  return accept(record);
}

export function parseTagged(payload: string): ParseResult {
  const start = skipSpace(payload, 0);
  const fields: Fields = {};
  let text = '';
  let tag: string | undefined;
  let valueStart = start; // where the current value (or the leading text) begins
  let search = start;
  for (;;) {
    const colon = payload.indexOf(':', search);
    if (colon < 0) break;
    search = colon + 1;
    const after = payload.charCodeAt(colon + 1);
    if (!(colon + 1 === payload.length || isSpace(after))) continue;
    const word = lastWordStart(payload, colon, valueStart);
    if (word < 0) continue;
    const tagStart = extendTag(payload, word, valueStart, tag !== undefined);
    if (tag === undefined) text = sliceTrimmed(payload, start, tagStart);
    else putField(fields, tag, sliceTrimmed(payload, valueStart, tagStart));
    tag = payload.slice(tagStart, colon);
    valueStart = colon + 1;
  }
  if (tag === undefined) return reject('bad_kv', `no "Tag: value" pair in "${clip(payload.slice(start))}"`);
  putField(fields, tag, sliceTrimmed(payload, valueStart, payload.length));
  const record: ParsedRecord = { format: 'tagged', fields };
  if (text) record.text = text;
  return accept(record);
}

/** Start of the tag word ending at `colon`, or -1 when the text before the colon is not one. */
function lastWordStart(s: string, colon: number, floor: number): number {
  let w = colon;
  while (w > floor && isTagWordChar(s.charCodeAt(w - 1))) w--;
  if (w === colon || !isLetter(s.charCodeAt(w))) return -1;
  if (w > floor && !isSpace(s.charCodeAt(w - 1))) return -1;
  return w;
}

/** Moves the tag start back over earlier words by the rule in the file comment. */
function extendTag(s: string, word: number, floor: number, keepOneWord: boolean): number {
  let tagStart = word;
  let cursor = word;
  for (let words = 1; words < MAX_TAG_WORDS; words++) {
    let end = cursor;
    while (end > floor && isSpace(s.charCodeAt(end - 1))) end--;
    if (end === cursor || end === floor) break;
    let begin = end;
    while (begin > floor && !isSpace(s.charCodeAt(begin - 1))) begin--;
    if (keepOneWord && !hasNonSpace(s, floor, begin)) break;
    const kind = wordKind(s, begin, end);
    if (kind === 'other') break;
    cursor = begin;
    if (kind === 'title') tagStart = begin;
  }
  return tagStart;
}

/** "title": capital then letters with a lower-case one; "acronym": 2–3 capitals; else "other". */
function wordKind(s: string, start: number, end: number): 'title' | 'acronym' | 'other' {
  const first = s.charCodeAt(start);
  if (!(first >= 0x41 && first <= 0x5a)) return 'other';
  let lower = false;
  for (let i = start + 1; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) lower = true;
    else if (!(c >= 0x41 && c <= 0x5a)) return 'other';
  }
  if (lower) return 'title';
  return end - start >= 2 && end - start <= 3 ? 'acronym' : 'other';
}

function isLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

function isTagWordChar(c: number): boolean {
  return isLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2d || c === 0x2e || c === 0x2f;
}

function hasNonSpace(s: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isSpace(s.charCodeAt(i))) return true;
  return false;
}

/** Index of the closing `quote` from `from`, skipping ones escaped by an odd run of backslashes. */
function closingQuote(s: string, from: number, quote: number): number {
  const ch = quote === 0x22 ? '"' : "'";
  let q = s.indexOf(ch, from);
  while (q >= 0) {
    let n = 0;
    for (let j = q - 1; j >= from && s.charCodeAt(j) === 0x5c; j--) n++;
    if ((n & 1) === 0) return q;
    q = s.indexOf(ch, q + 1);
  }
  return -1;
}

function unescapeQuoted(raw: string, quote: number): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    const n = raw.charCodeAt(i + 1);
    if (c === 0x5c && (n === quote || n === 0x5c)) {
      out += raw[i + 1];
      i++;
    } else {
      out += raw[i];
    }
  }
  return out;
}
