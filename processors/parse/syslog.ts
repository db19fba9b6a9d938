// The optional syslog envelope in front of every payload, detected on every line whatever the
// configured format (an explicit payload format may still arrive behind a syslog header).
//
// Forms recognised:
// - `<PRI>1 …`                         RFC 5424, strict (rfc5424.ts);
// - `<PRI>Mmm dd hh:mm:ss host tag: …` RFC 3164 as BMC AMI Datastream writes it;
// - the same without `<PRI>` (syslog files); the day may be written " 3", "03" or "3";
// - the same with an RFC 3339 timestamp instead (rsyslog's file format), kept as written;
// - in all 3164 forms HOSTNAME and TAG may be missing: a word that is clearly payload (`key=…`,
//   `{`, `LEEF:`, `CEF:`) is never taken for either, and a first word ending in ":" is the TAG;
// - `<PRI>` directly followed by `LEEF:`/`CEF:` (a bare PRI in front of a QRadar/ArcSight payload).
// A line starting with `<digits>` commits to syslog: if the rest does not parse it is `bad_envelope`.
// A line starting with a timestamp but no PRI is only taken as syslog if the header parses.
//
// RFC 3164 timestamps stay strings, with no year and no zone (the normalizer applies both). They are
// written canonically as "Mmm dd hh:mm:ss[.fff]" with the day padded by a space, as the RFC does.

import type { SyslogEnvelope } from '../schema/record.js';
import { clip, reject, type Rejection } from './outcome.js';
import { isRfc3339, parse5424, type Split } from './rfc5424.js';

export type { Split } from './rfc5424.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A syslog TAG is at most this long; a longer first word is content, not a tag. */
const MAX_TAG = 48;

/** Splits a syslog header off `line`; the line is returned whole as the payload when it has none. */
export function splitEnvelope(line: string): Split | Rejection {
  const first = line.charCodeAt(0);
  if (first === 0x3c) {
    let i = 1;
    while (isDigit(line.charCodeAt(i)) && i < 8) i++;
    if (i === 1 || line.charCodeAt(i) !== 0x3e) return { payload: line }; // "<" but no PRI: not syslog
    const digitsText = line.slice(1, i);
    const priority = Number(digitsText);
    if (digitsText.length > 3 || priority > 191) {
      return reject('bad_envelope', `PRI <${clip(digitsText, 10)}> is outside 0..191`);
    }
    const pos = i + 1;
    const v = line.charCodeAt(pos);
    if (v >= 0x31 && v <= 0x39) {
      let j = pos + 1;
      while (isDigit(line.charCodeAt(j))) j++;
      if (line.charCodeAt(j) === 0x20) return parse5424(line, pos, priority);
    }
    return parse3164(line, pos, priority) ?? reject('bad_envelope', `RFC 3164: no "Mmm dd hh:mm:ss " or RFC 3339 timestamp after <${priority}>`);
  }
  if (isMonthStart(first) || isDigit(first)) return parse3164(line, 0, undefined) ?? { payload: line };
  return { payload: line };
}

/** True when `s` starts, at `at`, with a LEEF or CEF header marker. */
export function isLeefOrCefAt(s: string, at: number): boolean {
  return s.startsWith('LEEF:', at) || s.startsWith('CEF:', at);
}

/**
 * RFC 3164 from `pos` (after `<PRI>`, or 0). Returns undefined when no timestamp is found there
 * (and the line does not continue with LEEF/CEF after a PRI).
 */
function parse3164(line: string, pos: number, priority: number | undefined): Split | undefined {
  const envelope: SyslogEnvelope = { kind: 'rfc3164' };
  if (priority !== undefined) envelope.priority = priority;

  const bsd = readBsdTimestamp(line, pos);
  let end: number;
  if (bsd) {
    envelope.timestamp = bsd.text;
    end = bsd.end;
  } else {
    end = line.indexOf(' ', pos);
    if (end < 0) end = line.length;
    if (!isRfc3339(line, pos, end)) {
      if (priority !== undefined && isLeefOrCefAt(line, pos)) return { envelope, payload: line.slice(pos) };
      return undefined;
    }
    envelope.timestamp = line.slice(pos, end);
  }
  if (end === line.length) return { envelope, payload: '' };
  if (line.charCodeAt(end) !== 0x20) return undefined;
  pos = skipSpaces(line, end);

  // HOSTNAME, unless the next word is already the tag or the payload (some senders omit it): a
  // word with "=", or starting a JSON object, LEEF or CEF, is payload.
  let wordEnd = wordEndAt(line, pos);
  if (!isPayloadStart(line, pos) && !isTag(line, pos, wordEnd) && !hasChar(line, pos, wordEnd, 0x3d)) {
    if (wordEnd > pos) envelope.hostname = line.slice(pos, wordEnd);
    pos = skipSpaces(line, wordEnd);
    wordEnd = wordEndAt(line, pos);
  }
  // TAG[pid]: — absent when the content starts right away (with LEEF/CEF, or with no "word:").
  if (!isPayloadStart(line, pos) && isTag(line, pos, wordEnd)) {
    let tagEnd = line.charCodeAt(wordEnd - 1) === 0x3a ? wordEnd - 1 : wordEnd;
    if (line.charCodeAt(tagEnd - 1) === 0x5d) {
      const open = line.lastIndexOf('[', tagEnd - 1);
      if (tagEnd - open > 2) envelope.procId = line.slice(open + 1, tagEnd - 1);
      tagEnd = open;
    }
    envelope.appName = line.slice(pos, tagEnd);
    pos = wordEnd < line.length ? wordEnd + 1 : wordEnd;
  }
  return { envelope, payload: pos === 0 ? line : line.slice(pos) };
}

function isPayloadStart(s: string, at: number): boolean {
  return s.charCodeAt(at) === 0x7b || isLeefOrCefAt(s, at);
}

/**
 * A TAG word: `name:`, `name[pid]:` or `name[pid]`, name 1..48 characters without "=", ":", "[",
 * "]" or quotes (so `User=IBMUSER` and `10:04:05` are never tags).
 */
function isTag(line: string, start: number, end: number): boolean {
  let nameEnd = end;
  if (line.charCodeAt(nameEnd - 1) === 0x3a) nameEnd--;
  const colon = nameEnd !== end;
  if (line.charCodeAt(nameEnd - 1) === 0x5d) {
    const open = line.lastIndexOf('[', nameEnd - 1);
    if (open <= start || hasChar(line, open + 1, nameEnd - 1, 0x5b)) return false;
    nameEnd = open;
  } else if (!colon) {
    return false;
  }
  if (nameEnd === start || nameEnd - start > MAX_TAG) return false;
  for (let i = start; i < nameEnd; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x3d || c === 0x3a || c === 0x5b || c === 0x5d || c === 0x22 || c === 0x27) return false;
  }
  return true;
}

/**
 * `Mmm dd hh:mm:ss[.fraction]` at `p`, the day written " 3", "03", "13" or "3". Returns the index just
 * after it and the canonical form (day padded with a space), or undefined.
 */
function readBsdTimestamp(s: string, p: number): { end: number; text: string } | undefined {
  const month = monthAt(s, p);
  if (month < 0 || s.charCodeAt(p + 3) !== 0x20) return undefined;
  let q = p + 4;
  const d1 = s.charCodeAt(q);
  const d2 = s.charCodeAt(q + 1);
  let day: number;
  if (d1 === 0x20 && isDigit(d2)) {
    day = d2 - 0x30;
    q += 2;
  } else if (isDigit(d1) && isDigit(d2)) {
    day = (d1 - 0x30) * 10 + d2 - 0x30;
    q += 2;
  } else if (isDigit(d1) && d2 === 0x20) {
    day = d1 - 0x30;
    q += 1;
  } else {
    return undefined;
  }
  if (day < 1 || day > 31 || s.charCodeAt(q) !== 0x20) return undefined;
  const time = ++q;
  for (let k = 0; k < 8; k++) {
    const c = s.charCodeAt(q + k);
    if (k === 2 || k === 5 ? c !== 0x3a : !isDigit(c)) return undefined;
  }
  if (two(s, q) > 23 || two(s, q + 3) > 59 || two(s, q + 6) > 60) return undefined;
  q += 8;
  if (s.charCodeAt(q) === 0x2e && isDigit(s.charCodeAt(q + 1))) {
    q += 2;
    while (isDigit(s.charCodeAt(q))) q++;
  }
  // Already canonical (day " 3" or "13") in the common case: one slice, no rebuilding.
  const canonical = d1 === 0x20 || (d1 !== 0x30 && isDigit(d2));
  const text = canonical ? s.slice(p, q) : `${MONTHS[month] ?? ''} ${day < 10 ? ' ' : ''}${day} ${s.slice(time, q)}`;
  return { end: q, text };
}

function monthAt(s: string, p: number): number {
  if (!isMonthStart(s.charCodeAt(p))) return -1;
  for (let m = 0; m < 12; m++) if (s.startsWith(MONTHS[m] as string, p)) return m;
  return -1;
}

/** First letters of the English month abbreviations: J F M A S O N D. */
function isMonthStart(c: number): boolean {
  return c === 0x4a || c === 0x46 || c === 0x4d || c === 0x41 || c === 0x53 || c === 0x4f || c === 0x4e || c === 0x44;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function two(s: string, at: number): number {
  return (s.charCodeAt(at) - 0x30) * 10 + s.charCodeAt(at + 1) - 0x30;
}

function skipSpaces(s: string, i: number): number {
  while (s.charCodeAt(i) === 0x20) i++;
  return i;
}

function wordEndAt(s: string, i: number): number {
  const e = s.indexOf(' ', i);
  return e < 0 ? s.length : e;
}

function hasChar(s: string, start: number, end: number, c: number): boolean {
  for (let i = start; i < end; i++) if (s.charCodeAt(i) === c) return true;
  return false;
}
