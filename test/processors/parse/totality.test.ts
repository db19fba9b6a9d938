// Property: `parse` is total. For every format option, on arbitrary strings and on arbitrary
// mutations of valid lines, it never throws and always returns a well-formed ParseResult.

import test from 'ava';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createParser, PARSE_FORMATS, type ParseFormat, type Parser } from '../../../processors/parse/index.js';
import type { ParseResult, RejectCode } from '../../../processors/schema/record.js';

const REJECT_CODES: readonly RejectCode[] = [
  'empty', 'too_long', 'binary', 'bad_envelope', 'bad_leef', 'bad_cef', 'bad_json', 'bad_csv', 'bad_kv',
  'unknown_format', 'no_timestamp', 'bad_timestamp', 'normalize_error',
];
const PAYLOAD_FORMATS = ['leef', 'cef', 'kv', 'tagged', 'json', 'csv', 'text'];

/** Characters every format treats specially, so random strings hit the interesting paths often. */
const SPECIAL = [
  '<', '>', '1', '3', '9', ' ', ' ', '-', '[', ']', '"', "'", '\\', '=', '|', ':', '\t', '{', '}', ',', '.',
  'LEEF:', 'CEF:', '1.0', '2.0', '^', 'x09', 'a', 'Z', 'T', '0', 'Mar', ' 3 ', '09:04:05', 'User', 'ID',
  '\ufeff', '\ufffd', '\0', '\r', '\n', '\x01', 'é', '😀', '\ud800', '__proto__', '2025-03-03T09:04:05Z',
];
const specialString = fc.string({ unit: fc.constantFrom(...SPECIAL), maxLength: 60 });
const anyString = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ maxLength: 200 }), specialString);

function assertWellFormed(result: ParseResult, line: string): void {
  const where = `for ${JSON.stringify(line)}: ${JSON.stringify(result)}`;
  if (!result.ok) {
    if (!REJECT_CODES.includes(result.code)) throw new Error(`unknown code ${where}`);
    if (typeof result.reason !== 'string' || result.reason.length === 0) throw new Error(`no reason ${where}`);
    return;
  }
  if (result.record === null) {
    if (result.header !== true || !Array.isArray(result.columns)) throw new Error(`bad header result ${where}`);
    return;
  }
  const { record } = result;
  if (!PAYLOAD_FORMATS.includes(record.format)) throw new Error(`bad format ${where}`);
  if (Object.getPrototypeOf(record.fields) !== Object.prototype) throw new Error(`fields prototype changed ${where}`);
  for (const key of Object.keys(record.fields)) {
    const value = record.fields[key];
    if (key === '' || value === '' || !['string', 'number', 'boolean'].includes(typeof value)) {
      throw new Error(`bad field ${JSON.stringify(key)} ${where}`);
    }
  }
  const env = record.envelope;
  if (env && env.kind !== 'rfc5424' && env.kind !== 'rfc3164') throw new Error(`bad envelope ${where}`);
  if (env?.priority !== undefined && !(Number.isInteger(env.priority) && env.priority >= 0 && env.priority <= 191)) {
    throw new Error(`bad priority ${where}`);
  }
}

function parsers(): Map<ParseFormat, Parser> {
  return new Map(PARSE_FORMATS.map((format) => [format, createParser({ format, maxLineLength: 400 })]));
}

test('parse never throws on arbitrary strings, for every format', (t) => {
  fc.assert(
    fc.property(fc.array(anyString, { minLength: 1, maxLength: 4 }), (lines) => {
      for (const parser of parsers().values()) {
        for (const line of lines) assertWellFormed(parser.parse(line), line);
      }
    }),
    { numRuns: 1500 },
  );
  t.pass();
});

/** Every input line of the golden fixtures: valid lines of every format, and some broken ones. */
const fixtureDir = fileURLToPath(new URL('../../fixtures/parse/', import.meta.url));
const seeds = readdirSync(fixtureDir)
  .filter((f) => f.endsWith('.txt'))
  .flatMap((f) => readFileSync(`${fixtureDir}${f}`, 'utf8').split('\n'))
  .filter((line) => line.trim() !== '');

const mutation = fc.record({
  kind: fc.constantFrom('insert', 'delete', 'replace', 'truncate', 'duplicate'),
  at: fc.nat(),
  text: specialString,
});

function mutate(line: string, edits: Array<{ kind: string; at: number; text: string }>): string {
  let out = line;
  for (const { kind, at, text } of edits) {
    const i = out.length === 0 ? 0 : at % (out.length + 1);
    if (kind === 'insert') out = out.slice(0, i) + text + out.slice(i);
    else if (kind === 'delete') out = out.slice(0, i) + out.slice(i + 1 + (text.length % 8));
    else if (kind === 'replace') out = out.slice(0, i) + text + out.slice(i + text.length);
    else if (kind === 'truncate') out = out.slice(0, i);
    else out = out.slice(0, i) + out.slice(i, i + text.length + 5) + out.slice(i);
  }
  return out;
}

test('parse never throws on mutations of valid lines, for every format', (t) => {
  fc.assert(
    fc.property(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 5 }), (seed, edits) => {
      const line = mutate(seed, edits);
      for (const parser of parsers().values()) assertWellFormed(parser.parse(line), line);
    }),
    { numRuns: 1500 },
  );
  t.pass();
});

test('every fixture line is well-formed under every format option', (t) => {
  const all = parsers();
  for (const line of seeds) for (const parser of all.values()) assertWellFormed(parser.parse(line), line);
  t.pass();
});
