// JSON objects, flat or nested (Ironstream, BMC JSON, EasySMF-JSON, snake_case converters).
//
// - The top level must be an object; anything else is `bad_json`.
// - Nested objects are flattened to dotted keys: {"identificationSection":{"smf30jbn":"X"}} →
//   "identificationSection.smf30jbn". A key that already contains dots is kept as is; if it collides
//   with a flattened one, the later one in the text wins.
// - Arrays of scalars become one comma-joined string (["A","B"] → "A,B"; lossy if an element contains
//   a comma, but alias maps can address it); arrays holding any object or array are indexed instead
//   ("sections.0.name"). Empty arrays are absent.
// - null, "" and empty objects are absent; numbers and booleans keep their JSON type, strings stay
//   strings even when they hold numbers (normalization converts). Integers beyond 2^53 lose precision
//   as JSON.parse reads them.
// - Nesting deeper than MAX_DEPTH is `bad_json` (flattening is recursive; the bound keeps it total).

import type { ParseResult, ParsedRecord } from '../schema/record.js';
import { accept, putField, reject, type Fields } from './outcome.js';

const MAX_DEPTH = 64;

export function parseJson(payload: string): ParseResult {
  let value: unknown;
  try {
    // JSON.parse is the only parser here that reports bad input by throwing.
    value = JSON.parse(payload);
  } catch (err) {
    return reject('bad_json', `invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    return reject('bad_json', `top-level JSON value is ${kind}, not an object`);
  }
  const fields: Fields = {};
  if (!flattenObject(value as Record<string, unknown>, '', fields, 1)) {
    return reject('bad_json', `JSON nesting is deeper than ${MAX_DEPTH} levels`);
  }
  const record: ParsedRecord = { format: 'json', fields };
  return accept(record);
}

/** Returns false when the nesting bound is exceeded. */
function flattenObject(obj: Record<string, unknown>, prefix: string, fields: Fields, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  for (const key of Object.keys(obj)) {
    if (!flattenValue(obj[key], prefix + key, fields, depth)) return false;
  }
  return true;
}

function flattenValue(value: unknown, path: string, fields: Fields, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      putField(fields, path, value);
      return true;
    case 'object':
      if (value === null) return true;
      if (Array.isArray(value)) return flattenArray(value, path, fields, depth + 1);
      return flattenObject(value as Record<string, unknown>, `${path}.`, fields, depth + 1);
    default:
      return true;
  }
}

function flattenArray(items: unknown[], path: string, fields: Fields, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  if (items.every((item) => item === null || typeof item !== 'object')) {
    const parts: string[] = [];
    for (const item of items) if (item !== null && item !== '') parts.push(String(item));
    putField(fields, path, parts.join(','));
    return true;
  }
  for (let i = 0; i < items.length; i++) {
    if (!flattenValue(items[i], `${path}.${i}`, fields, depth)) return false;
  }
  return true;
}
