// RFC 5424 header and structured data, read strictly: a malformed header is `bad_envelope`, never
// guessed at. IBM zSecure Alert writes this form:
//   <116>1 2025-03-03T09:04:05.123+01:00 MVS1 zSecure - C2P0815 [C2P0815 whoUSERID="IBMUSER" …] text
//
// Deliberate leniencies, each unambiguous: up to 9 fraction digits in TIMESTAMP (the RFC says 6;
// some senders write nanoseconds); an unescaped "]" inside a quoted PARAM-VALUE; a repeated SD-ID
// (its params are merged, later ones win).

import type { SyslogEnvelope } from '../schema/record.js';
import { clip, ownChild, reject, setOwn, type Rejection } from './outcome.js';

export interface Split {
  envelope?: SyslogEnvelope;
  payload: string;
}

/** Header fields after TIMESTAMP, with the RFC's maximum lengths. */
const HEADER_TOKENS = [
  ['hostname', 255],
  ['appName', 48],
  ['procId', 128],
  ['msgId', 32],
] as const;

/**
 * Parses from VERSION (at `pos`, just after `<PRI>`) to the end of the line. MSG becomes the
 * payload, without a leading BOM.
 */
export function parse5424(line: string, pos: number, priority: number): Split | Rejection {
  const envelope: SyslogEnvelope = { kind: 'rfc5424', priority };
  let end = line.indexOf(' ', pos);
  if (end !== pos + 1 || line.charCodeAt(pos) !== 0x31) {
    return bad(`unsupported syslog VERSION "${clip(line.slice(pos, end < 0 ? undefined : end))}"`);
  }
  pos = end + 1;

  end = line.indexOf(' ', pos);
  if (end < 0) return bad('header ends after TIMESTAMP');
  if (!(end === pos + 1 && line.charCodeAt(pos) === 0x2d)) {
    const ts = line.slice(pos, end);
    if (!isRfc3339(ts, 0, ts.length)) return bad(`TIMESTAMP "${clip(ts)}" is not an RFC 3339 date-time`);
    envelope.timestamp = ts;
  }
  pos = end + 1;

  for (const [key, max] of HEADER_TOKENS) {
    end = line.indexOf(' ', pos);
    if (end < 0) return bad(`header ends before ${key === 'msgId' ? 'STRUCTURED-DATA' : 'all fields'}`);
    if (end === pos || end - pos > max || !isPrintableAscii(line, pos, end)) {
      return bad(`${key} "${clip(line.slice(pos, end))}" must be 1 to ${max} printable ASCII characters`);
    }
    if (!(end === pos + 1 && line.charCodeAt(pos) === 0x2d)) envelope[key] = line.slice(pos, end);
    pos = end + 1;
  }

  if (line.charCodeAt(pos) === 0x2d) {
    pos++;
  } else if (line.charCodeAt(pos) === 0x5b) {
    const sd: Record<string, Record<string, string>> = {};
    const after = parseStructuredData(line, pos, sd);
    if (typeof after !== 'number') return after;
    envelope.structuredData = sd;
    pos = after;
  } else {
    return bad('STRUCTURED-DATA must be "-" or start with "["');
  }

  if (pos === line.length) return { envelope, payload: '' };
  if (line.charCodeAt(pos) !== 0x20) return bad(`expected a space after STRUCTURED-DATA, found "${clip(line.slice(pos), 10)}"`);
  pos++;
  if (line.charCodeAt(pos) === 0xfeff) pos++;
  return { envelope, payload: line.slice(pos) };
}

/** Reads SD-ELEMENTs from `pos` (a "["); returns the index after the last "]". */
function parseStructuredData(line: string, pos: number, sd: Record<string, Record<string, string>>): number | Rejection {
  while (line.charCodeAt(pos) === 0x5b) {
    pos++;
    const idEnd = scanSdName(line, pos);
    if (idEnd === pos || idEnd - pos > 32) return bad(`SD-ID "${clip(line.slice(pos, idEnd))}" must be 1 to 32 characters`);
    const id = line.slice(pos, idEnd);
    const params = ownChild(sd, id, () => ({}) as Record<string, string>);
    pos = idEnd;
    for (;;) {
      const c = line.charCodeAt(pos);
      if (c === 0x5d) {
        pos++;
        break;
      }
      if (c !== 0x20) return bad(`SD element [${clip(id)}: expected " " or "]"`);
      pos++;
      const nameEnd = scanSdName(line, pos);
      if (nameEnd === pos || nameEnd - pos > 32) {
        return bad(`PARAM-NAME "${clip(line.slice(pos, nameEnd))}" in [${clip(id)}] must be 1 to 32 characters`);
      }
      if (line.charCodeAt(nameEnd) !== 0x3d || line.charCodeAt(nameEnd + 1) !== 0x22) {
        return bad(`PARAM-NAME "${clip(line.slice(pos, nameEnd))}" in [${clip(id)}] is not followed by ="`);
      }
      const valueStart = nameEnd + 2;
      const close = closingQuote(line, valueStart);
      if (close < 0) return bad(`PARAM-VALUE of ${clip(line.slice(pos, nameEnd))} in [${clip(id)}] has no closing quote`);
      setOwn(params, line.slice(pos, nameEnd), unescapeParamValue(line, valueStart, close));
      pos = close + 1;
    }
  }
  return pos;
}

/** Index of the first `"` at or after `from` not escaped by an odd run of backslashes, or -1. */
function closingQuote(line: string, from: number): number {
  let search = from;
  for (;;) {
    const q = line.indexOf('"', search);
    if (q < 0) return -1;
    let slashes = 0;
    for (let j = q - 1; j >= from && line.charCodeAt(j) === 0x5c; j--) slashes++;
    if ((slashes & 1) === 0) return q;
    search = q + 1;
  }
}

/** RFC 5424 §6.3.3: `\"`, `\\` and `\]` are escapes; a backslash before anything else is literal. */
function unescapeParamValue(line: string, start: number, end: number): string {
  const raw = line.slice(start, end);
  if (!raw.includes('\\')) return raw;
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const b = raw.indexOf('\\', i);
    if (b < 0 || b === raw.length - 1) {
      out += raw.slice(i);
      break;
    }
    const next = raw.charCodeAt(b + 1);
    if (next === 0x22 || next === 0x5c || next === 0x5d) {
      out += raw.slice(i, b) + raw[b + 1];
      i = b + 2;
    } else {
      out += raw.slice(i, b + 1);
      i = b + 1;
    }
  }
  return out;
}

/** SD-NAME: printable US-ASCII except "=", SP, "]" and '"'. Returns the index of the first other char. */
function scanSdName(line: string, pos: number): number {
  for (;;) {
    const c = line.charCodeAt(pos);
    if (!(c > 0x20 && c < 0x7f) || c === 0x3d || c === 0x5d || c === 0x22) return pos;
    pos++;
  }
}

function isPrintableAscii(line: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = line.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

/**
 * RFC 3339 date-time as RFC 5424 restricts it: YYYY-MM-DDThh:mm:ss[.f{1,9}](Z|±hh:mm), upper-case
 * T and Z, fields in range (calendar validity, e.g. 31 February, is the normalizer's concern).
 */
export function isRfc3339(s: string, start: number, end: number): boolean {
  if (end - start < 20) return false;
  const p = start;
  if (
    !(digits(s, p, 4) && s.charCodeAt(p + 4) === 0x2d && digits(s, p + 5, 2) && s.charCodeAt(p + 7) === 0x2d) ||
    !(digits(s, p + 8, 2) && s.charCodeAt(p + 10) === 0x54 && digits(s, p + 11, 2) && s.charCodeAt(p + 13) === 0x3a) ||
    !(digits(s, p + 14, 2) && s.charCodeAt(p + 16) === 0x3a && digits(s, p + 17, 2))
  ) {
    return false;
  }
  const month = num(s, p + 5, 2);
  const day = num(s, p + 8, 2);
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  if (num(s, p + 11, 2) > 23 || num(s, p + 14, 2) > 59 || num(s, p + 17, 2) > 60) return false;
  let i = p + 19;
  if (s.charCodeAt(i) === 0x2e) {
    const f = ++i;
    while (i < end && isDigit(s.charCodeAt(i))) i++;
    if (i === f || i - f > 9) return false;
  }
  const z = s.charCodeAt(i);
  if (z === 0x5a) return i + 1 === end;
  if (z !== 0x2b && z !== 0x2d) return false;
  return (
    i + 6 === end && digits(s, i + 1, 2) && s.charCodeAt(i + 3) === 0x3a && digits(s, i + 4, 2) &&
    num(s, i + 1, 2) <= 23 && num(s, i + 4, 2) <= 59
  );
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function digits(s: string, at: number, n: number): boolean {
  for (let i = at; i < at + n; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

function num(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) v = v * 10 + s.charCodeAt(i) - 0x30;
  return v;
}

function bad(reason: string): Rejection {
  return reject('bad_envelope', `RFC 5424: ${reason}`);
}
