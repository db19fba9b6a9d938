// How every parser in this folder builds its answer: accepted records, rejections with a stable
// code, and field maps that are safe against hostile keys.

import type { ParseResult, ParsedRecord, RejectCode } from '../schema/record.js';

export type Rejection = Extract<ParseResult, { ok: false }>;
export type Accepted = Extract<ParseResult, { ok: true; record: ParsedRecord }>;
export type Fields = ParsedRecord['fields'];
export type Header = NonNullable<ParsedRecord['header']>;

export function reject(code: RejectCode, reason: string): Rejection {
  return { ok: false, code, reason };
}

export function accept(record: ParsedRecord): Accepted {
  return { ok: true, record };
}

/** Longest excerpt of input quoted in a reason: enough to find the spot, never a whole line. */
export function clip(text: string, max = 40): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/**
 * Sets an own property even when the key is "__proto__": a plain assignment would either drop the
 * value or, for object values, replace the prototype. Keys come from untrusted input.
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/**
 * Records a field. Contract shared by all formats: a present field never holds the empty string and
 * never has an empty name (an empty value means absent, as CSV empty cells and JSON nulls do).
 * A repeated key keeps the last value.
 */
export function putField(fields: Fields, key: string, value: string | number | boolean): void {
  if (value === '' || key === '') return;
  setOwn(fields, key, value);
}

/** The object stored under `key`, created on first use (prototype-safe, see setOwn). */
export function ownChild<T>(target: Record<string, T>, key: string, make: () => T): T {
  if (Object.hasOwn(target, key)) return target[key] as T;
  const child = make();
  setOwn(target, key, child);
  return child;
}
