// CEF, as BMC AMI Datastream / Defender and ArcSight feeds write it:
//   CEF:0|vendor|product|version|signatureId|name|severity|key=value key=value …
//
// Header: seven fields separated by "|"; `\|` and `\\` are escapes, any other backslash is literal.
// A missing last "|" (no extension at all) is tolerated.
// Extension: a key is a KEY word followed by an unescaped "=" and preceded by a space (key-scan.ts),
// so values may contain spaces; values are trimmed of surrounding spaces and then unescaped:
// `\=` `\\` `\|` → the character, `\n` `\r` → LF, CR; any other backslash is kept. Text before the
// first key becomes `text`. Times (`rt`, `end`) stay as written (epoch ms); normalization converts.

import type { ParseResult, ParsedRecord } from '../schema/record.js';
import { keyEnd, nextBar, nextKey, skipSpace, sliceTrimmed } from './key-scan.js';
import { accept, clip, putField, reject, type Fields, type Header } from './outcome.js';

const HEADER_KEYS = ['version', 'vendor', 'product', 'productVersion', 'eventId', 'name', 'severity'] as const;

export function parseCef(payload: string): ParseResult {
  const start = skipSpace(payload, 0);
  if (!payload.startsWith('CEF:', start)) return reject('bad_cef', `payload does not start with "CEF:": "${clip(payload.slice(start))}"`);

  const header: Header = {};
  let pos = start + 4;
  let extension = -1;
  for (let n = 0; n < HEADER_KEYS.length; n++) {
    const bar = nextBar(payload, pos);
    if (bar < 0 && n < HEADER_KEYS.length - 1) {
      return reject('bad_cef', `CEF header has ${n + 1} of its 7 fields (version|vendor|product|device version|signatureId|name|severity)`);
    }
    const end = bar < 0 ? payload.length : bar;
    const value = unescapeHeader(payload.slice(pos, end));
    if (value !== '') header[HEADER_KEYS[n] as (typeof HEADER_KEYS)[number]] = value;
    pos = end + 1;
    if (bar >= 0 && n === HEADER_KEYS.length - 1) extension = pos;
  }
  if (header.version === undefined || !/^\d+(?:\.\d+)?$/.test(header.version)) {
    return reject('bad_cef', `CEF version "${clip(header.version ?? '')}" is not a number`);
  }

  const fields: Fields = {};
  let text: string | undefined;
  if (extension >= 0) text = parseExtension(payload, extension, fields);
  const record: ParsedRecord = { format: 'cef', header, fields };
  if (text) record.text = text;
  return accept(record);
}

/** Reads `key=value` pairs from `start`; returns free text found before the first key. */
function parseExtension(s: string, start: number, fields: Fields): string {
  let key = nextKey(s, start, start, true);
  const text = sliceTrimmed(s, start, key < 0 ? s.length : key);
  while (key >= 0) {
    const eq = keyEnd(s, key);
    const next = nextKey(s, eq + 1, start, true);
    const end = next < 0 ? s.length : next;
    putField(fields, s.slice(key, eq), unescapeValue(sliceTrimmed(s, eq + 1, end)));
    key = next;
  }
  return text;
}

function unescapeHeader(raw: string): string {
  if (!raw.includes('\\')) return raw;
  return unescape(raw, (c) => (c === '|' || c === '\\' ? c : undefined));
}

function unescapeValue(raw: string): string {
  if (!raw.includes('\\')) return raw;
  return unescape(raw, (c) => {
    if (c === '=' || c === '\\' || c === '|') return c;
    if (c === 'n') return '\n';
    if (c === 'r') return '\r';
    return undefined;
  });
}

/** Replaces `\c` by map(c); when map returns undefined the backslash stays and c is read normally. */
function unescape(raw: string, map: (c: string) => string | undefined): string {
  let out = '';
  let i = 0;
  for (;;) {
    const b = raw.indexOf('\\', i);
    if (b < 0 || b === raw.length - 1) return out + raw.slice(i);
    const replacement = map(raw[b + 1] ?? '');
    if (replacement === undefined) {
      out += raw.slice(i, b + 1);
      i = b + 1;
    } else {
      out += raw.slice(i, b) + replacement;
      i = b + 2;
    }
  }
}
