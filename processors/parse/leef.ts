// LEEF, as IBM zSecure writes it for QRadar:
//   LEEF:1.0|IBM|z/OS|<version>|<EventID>|key=value<TAB>key=value …
//   LEEF:2.0|IBM|z/OS|<version>|<EventID>|<delimiter>|key=value<delimiter>key=value …
//
// Header fields are separated by "|" (`\|` and `\\` are honoured as escapes). In 2.0 the delimiter
// field is one character, or its code in hex as `x5E`, `0x5E` or `\x5E`; empty means TAB. A 2.0
// header without a delimiter field (the sixth field already holds "key=") falls back to TAB.
// Attributes: split on the delimiter, then on the FIRST "=" (values contain spaces and "=").
// Values are kept verbatim, spaces included (RACF's fixed-width `job=` depends on it: the normalizer
// reads the jobname by column). A segment that is not `key=…` (no "=", or whitespace in the key)
// continues the previous value, delimiter included, since the producer did not escape the delimiter;
// before the first key such segments become `text`. Empty segments (doubled or trailing delimiters)
// are skipped.

import type { ParseResult, ParsedRecord } from '../schema/record.js';
import { nextBar, skipSpace } from './key-scan.js';
import { accept, clip, putField, reject, type Fields, type Header } from './outcome.js';

export function parseLeef(payload: string): ParseResult {
  const start = skipSpace(payload, 0);
  if (!payload.startsWith('LEEF:', start)) return reject('bad_leef', `payload does not start with "LEEF:": "${clip(payload.slice(start))}"`);

  const parts: string[] = [];
  let pos = start + 5;
  while (parts.length < 5) {
    const bar = nextBar(payload, pos);
    if (bar < 0) {
      if (parts.length === 4) {
        // "LEEF:1.0|v|p|ver|eventId" with no attributes and no closing bar.
        parts.push(payload.slice(pos));
        pos = payload.length;
        break;
      }
      return reject('bad_leef', `LEEF header has ${parts.length + 1} of its 5 fields (LEEF version|vendor|product|product version|eventId)`);
    }
    parts.push(payload.slice(pos, bar));
    pos = bar + 1;
  }
  const [version = '', vendor = '', product = '', productVersion = '', eventId = ''] = parts.map(unescapeHeader);
  const major = version.charCodeAt(0);
  if (!(major === 0x31 || major === 0x32) || !(version.length === 1 || version.charCodeAt(1) === 0x2e)) {
    return reject('bad_leef', `unsupported LEEF version "${clip(version)}"`);
  }

  let delimiter = '\t';
  if (major === 0x32 && pos < payload.length) {
    const bar = nextBar(payload, pos);
    const declared = bar < 0 ? undefined : parseDelimiter(unescapeHeader(payload.slice(pos, bar)));
    if (declared !== undefined) {
      delimiter = declared;
      pos = bar + 1;
    } else if (bar >= 0 && !payload.slice(pos, bar).includes('=')) {
      return reject('bad_leef', `LEEF 2.0 delimiter "${clip(payload.slice(pos, bar))}" is neither one character nor hex`);
    }
  }

  const header: Header = {};
  if (version) header.version = version;
  if (vendor) header.vendor = vendor;
  if (product) header.product = product;
  if (productVersion) header.productVersion = productVersion;
  if (eventId) header.eventId = eventId;
  const fields: Fields = {};
  const record: ParsedRecord = { format: 'leef', header, fields };
  const text = parseAttributes(payload, pos, delimiter, fields);
  if (text) record.text = text;
  return accept(record);
}

/** Splits attributes; returns text found before the first key (see the file comment). */
function parseAttributes(s: string, pos: number, delimiter: string, fields: Fields): string {
  let text = '';
  let key: string | undefined;
  let value = '';
  let eq = -1; // next "=" at or after pos, found once per "=" so that the scan stays linear
  while (pos < s.length) {
    let end = s.indexOf(delimiter, pos);
    if (end < 0) end = s.length;
    if (end > pos) {
      if (eq < pos) {
        eq = s.indexOf('=', pos);
        if (eq < 0) eq = Infinity;
      }
      if (eq > pos && eq < end && !hasSpace(s, pos, eq)) {
        if (key !== undefined) putField(fields, key, value);
        key = s.slice(pos, eq);
        value = s.slice(eq + 1, end);
      } else if (key !== undefined) {
        value += delimiter + s.slice(pos, end);
      } else {
        text += (text ? delimiter : '') + s.slice(pos, end);
      }
    }
    pos = end + delimiter.length;
  }
  if (key !== undefined) putField(fields, key, value);
  return text.trim();
}

/** `^` → "^"; `x09`, `0x09`, `\x09` → TAB; empty → TAB; anything else → undefined. */
function parseDelimiter(spec: string): string | undefined {
  if (spec.length === 0) return '\t';
  if (spec.length === 1) return spec;
  const hex = spec.startsWith('0x') || spec.startsWith('\\x') ? spec.slice(2) : spec[0] === 'x' || spec[0] === 'X' ? spec.slice(1) : '';
  if (hex.length < 1 || hex.length > 4) return undefined;
  for (let i = 0; i < hex.length; i++) {
    const c = hex.charCodeAt(i) | 0x20;
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return undefined;
  }
  const code = parseInt(hex, 16);
  return code === 0 ? undefined : String.fromCharCode(code);
}

function unescapeHeader(raw: string): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    const n = raw[i + 1];
    if (c === '\\' && (n === '|' || n === '\\')) {
      out += n;
      i++;
    } else {
      out += c;
    }
  }
  return out;
}

function hasSpace(s: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x20 || c === 0x09) return true;
  }
  return false;
}
