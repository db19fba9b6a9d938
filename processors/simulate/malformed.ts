// Broken copies of good lines, as feeds really deliver them. Each is derived from the line just
// written (so it sits at the same time) and is structurally invalid for its format:
// - truncated: cut where the format cannot recover (inside the LEEF/CEF header, inside the RFC 5424
//   structured data, inside the RFC 3164 timestamp, anywhere in JSON; a CSV row cut inside a quoted cell);
// - binary: a raw SMF record leaked into the text stream: a 4-byte RDW (with NULs) and the text in
//   EBCDIC code points read as Latin-1;
// - wrong header: an unsupported LEEF/CEF/syslog version, an out-of-range PRI, a JSON array instead
//   of an object, a CSV row with more cells than the header.
// Lines never contain CR or LF.

import type { ConcreteFormat } from './options.js';
import type { Rng } from './random.js';

export type BreakKind = 'truncated' | 'binary' | 'wrong-header';

export function breakLine(text: string, format: ConcreteFormat, rng: Rng): { text: string; how: BreakKind } {
  const u = rng.next();
  if (u < 0.45) return { text: truncate(text, format, rng), how: 'truncated' };
  if (u < 0.7) return { text: binary(text), how: 'binary' };
  return { text: wrongHeader(text, format, rng), how: 'wrong-header' };
}

function truncate(text: string, format: ConcreteFormat, rng: Rng): string {
  const at = (marker: string, from: number, to: number): string => {
    const i = text.indexOf(marker);
    return text.slice(0, (i < 0 ? 0 : i) + rng.range(from, to));
  };
  switch (format) {
    case 'leef':
      return at('LEEF:', 6, 16);
    case 'cef':
      return at('CEF:', 5, 22);
    case 'rfc5424':
      return at('[', 3, 30);
    case 'rfc3164':
      return at('>', 3, 12);
    case 'json':
    case 'easysmf':
      return text.slice(0, rng.range(5, Math.max(6, text.length - 2)));
    case 'csv': {
      const cut = rng.range(1, Math.max(2, text.length - 1));
      return `${text.slice(0, cut)},"${text.slice(cut, cut + 6)}`;
    }
  }
}

/** ASCII → EBCDIC (code page 037) for the characters the writers produce; others become 0x6F ('?'). */
const EBCDIC: Readonly<Record<string, number>> = (() => {
  const table: Record<string, number> = { ' ': 0x40, '.': 0x4b, '<': 0x4c, '(': 0x4d, '+': 0x4e, '|': 0x4f, '&': 0x50, '!': 0x5a, $: 0x5b, '*': 0x5c };
  Object.assign(table, { ')': 0x5d, ';': 0x5e, '-': 0x60, '/': 0x61, ',': 0x6b, '%': 0x6c, _: 0x6d, '>': 0x6e, '?': 0x6f, ':': 0x7a, '#': 0x7b });
  Object.assign(table, { '@': 0x7c, "'": 0x7d, '=': 0x7e, '"': 0x7f, '{': 0xc0, '}': 0xd0, '\\': 0xe0, '[': 0xba, ']': 0xbb, '^': 0xb0, '\t': 0x05 });
  const ranges: [string, number][] = [['abcdefghi', 0x81], ['jklmnopqr', 0x91], ['stuvwxyz', 0xa2], ['ABCDEFGHI', 0xc1], ['JKLMNOPQR', 0xd1], ['STUVWXYZ', 0xe2], ['0123456789', 0xf0]];
  for (const [chars, base] of ranges) for (let i = 0; i < chars.length; i++) table[chars[i] as string] = base + i;
  return table;
})();

function binary(text: string): string {
  const len = text.length + 4;
  const safe = (b: number): number => (b === 0x0a || b === 0x0d ? 0x0b : b);
  let out = String.fromCharCode(safe((len >> 8) & 0xff), safe(len & 0xff), 0, 0);
  for (let i = 0; i < text.length; i++) out += String.fromCharCode(EBCDIC[text[i] as string] ?? 0x6f);
  return out;
}

function wrongHeader(text: string, format: ConcreteFormat, rng: Rng): string {
  switch (format) {
    case 'leef':
      return text.replace(/LEEF:[12]\.0/, rng.chance(0.5) ? 'LEEF:3.0' : 'LEEF:');
    case 'cef':
      return text.replace('CEF:0|', 'CEF:X|');
    case 'rfc5424':
      return text.replace(/^<(\d+)>1 /, '<$1>2 ');
    case 'rfc3164':
      return text.replace(/^<\d+>/, `<${rng.range(192, 999)}>`);
    case 'json':
    case 'easysmf':
      return `[${text}]`;
    case 'csv':
      return `${text},X,Y,Z`;
  }
}
