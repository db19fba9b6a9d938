// Named pattern lists (PII, honeypot, sensitive data sets …) and their data set name masks.
//
// A list file holds one mask per line; blank lines and lines whose first non-blank character is
// '#' are ignored. '#' is not an end-of-line comment, because '#' is a valid character in z/OS
// data set names (SYS1.#CUST.LOAD).
//
// Masks follow RACF generic-profile conventions rather than file-system globs, because the values
// are data set names whose separator is '.':
//   %    exactly one character other than '.'
//   *    zero or more characters within one qualifier (never crosses a '.')
//   **   zero or more characters across qualifiers; a trailing ".**" also matches the bare prefix,
//        so PAYROLL.** matches PAYROLL, PAYROLL.MASTER and PAYROLL.A.B
// Every other character is literal. Matching is case-insensitive (names are upper case on z/OS,
// lists are often typed in lower case) and anchored at both ends.

/** Splits a list file's text into masks (trimmed, blank and comment lines dropped). */
export function parsePatternList(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line !== '' && !line.startsWith('#')) out.push(line);
  }
  return out;
}

const SPECIAL = /[\\^$.|?*+()[\]{}]/g;

/** The regular-expression source (unanchored) for one mask. */
export function maskSource(mask: string): string {
  let src = '';
  let i = 0;
  while (i < mask.length) {
    const ch = mask.charAt(i);
    if (mask.startsWith('.**', i) && i + 3 === mask.length) {
      src += '(?:\\..*)?';
      i += 3;
    } else if (mask.startsWith('**', i)) {
      src += '.*';
      i += 2;
    } else if (ch === '*') {
      src += '[^.]*';
      i += 1;
    } else if (ch === '%') {
      src += '[^.]';
      i += 1;
    } else {
      src += ch.replace(SPECIAL, '\\$&');
      i += 1;
    }
  }
  return src;
}

/** A compiled list: one anchored alternation, built once and shared by every definition using it. */
export interface CompiledPatternList {
  readonly name: string;
  readonly patterns: readonly string[];
  test(value: string): boolean;
}

export function compilePatternList(name: string, patterns: readonly string[]): CompiledPatternList {
  const frozen = Object.freeze([...patterns]);
  if (frozen.length === 0) return { name, patterns: frozen, test: () => false };
  const re = new RegExp(`^(?:${frozen.map(maskSource).join('|')})$`, 'i');
  return { name, patterns: frozen, test: (value) => re.test(value) };
}
