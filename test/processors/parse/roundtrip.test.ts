// Properties: a record with arbitrary values, serialized with each format's escaping, parses back to
// the same fields — both with the format configured and with `auto` detection. Checks use
// node:assert so that fast-check sees the failure and shrinks the counterexample.

import test from 'ava';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { createParser, type ParseFormat } from '../../../processors/parse/index.js';
import type { ParsedRecord } from '../../../processors/schema/record.js';

/** Characters no text line may carry (they make it binary or split it): replaced in generated values. */
const UNFIT = /[\x00-\x1f\x7f-\x9f\ufffd\u2028\u2029]/g;
const text = (maxLength = 30) =>
  fc.oneof(fc.string({ maxLength }), fc.string({ unit: 'binary', maxLength }), fc.string({ unit: fc.constantFrom('=', ' ', '\\', '|', '"', ']', 'a', 'é', ':'), maxLength }))
    .map((s) => s.replace(UNFIT, 'x'));
const value = (forbidden = '') =>
  text().map((s) => (forbidden ? s.split('').filter((c) => !forbidden.includes(c)).join('') : s)).filter((s) => s !== '');
/** Values that survive trimming of spaces and tabs at either end. */
const trimmedValue = value().map((s) => s.replace(/^[ \t]+|[ \t]+$/g, '')).filter((s) => s !== '');
const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,12}$/);
const dict = <T>(v: fc.Arbitrary<T>) => fc.dictionary(key, v, { minKeys: 1, maxKeys: 8, noNullPrototype: true });

function fieldsOf(format: ParseFormat, line: string): ParsedRecord | undefined {
  const result = createParser({ format }).parse(line);
  return result.ok && result.record ? result.record : undefined;
}

function roundTrip(format: ParseFormat, line: string, check: (r: ParsedRecord) => void): void {
  for (const f of [format, 'auto'] as const) {
    const record = fieldsOf(f, line);
    if (!record) throw new Error(`${f} rejected ${JSON.stringify(line)}: ${JSON.stringify(createParser({ format: f }).parse(line))}`);
    check(record);
  }
}

const escapeLeefHeader = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|');

test('LEEF 1.0: tab-separated values with spaces and "=" parse back', (t) => {
  fc.assert(
    fc.property(fc.tuple(value('\t'), value('\t'), value('\t')), dict(value('\t')), ([vendor, product, eventId], attrs) => {
      const line = `LEEF:1.0|${escapeLeefHeader(vendor)}|${escapeLeefHeader(product)}|1.0|${escapeLeefHeader(eventId)}|${Object.entries(attrs).map(([k, v]) => `${k}=${v}`).join('\t')}`;
      roundTrip('leef', line, (r) => {
        assert.deepStrictEqual(r.fields, attrs);
        assert.deepStrictEqual(r.header, { version: '1.0', vendor, product, productVersion: '1.0', eventId });
      });
    }),
  );
  t.pass();
});

test('LEEF 2.0: a declared delimiter splits the attributes', (t) => {
  const delimiters: Array<[string, string]> = [['^', '^'], [';', ';'], ['x09', '\t'], ['0x7E', '~'], ['\\x23', '#'], ['', '\t']];
  fc.assert(
    fc.property(fc.constantFrom(...delimiters), dict(value('^;\t~#')), ([spec, delimiter], attrs) => {
      const line = `LEEF:2.0|IBM|z/OS|3.1|119-12|${spec}|${Object.entries(attrs).map(([k, v]) => `${k}=${v}`).join(delimiter)}`;
      roundTrip('leef', line, (r) => assert.deepStrictEqual(r.fields, attrs));
    }),
  );
  t.pass();
});

const escapeCefValue = (s: string) => s.replace(/\\/g, '\\\\').replace(/=/g, '\\=').replace(/\n/g, '\\n').replace(/\r/g, '\\r');

test('CEF: escaped header and extension values parse back', (t) => {
  const header = fc.tuple(value(), value(), value(), value(), value(), value());
  const ext = dict(fc.oneof(trimmedValue, trimmedValue.map((v) => `${v}\n${v}\r`)));
  fc.assert(
    fc.property(header, ext, ([vendor, product, version, signatureId, name, severity], attrs) => {
      const head = [vendor, product, version, signatureId, name, severity].map(escapeLeefHeader).join('|');
      const line = `CEF:0|${head}|${Object.entries(attrs).map(([k, v]) => `${k}=${escapeCefValue(v)}`).join(' ')}`;
      roundTrip('cef', line, (r) => {
        assert.deepStrictEqual(r.fields, attrs);
        assert.deepStrictEqual(r.header, { version: '0', vendor, product, productVersion: version, eventId: signatureId, name, severity });
      });
    }),
  );
  t.pass();
});

test('key=value: quoted values with escapes parse back', (t) => {
  const quote = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  fc.assert(
    fc.property(dict(value()), (attrs) => {
      const line = Object.entries(attrs).map(([k, v]) => `${k}=${quote(v)}`).join(' ');
      roundTrip('kv', line, (r) => assert.deepStrictEqual(r.fields, attrs));
    }),
  );
  t.pass();
});

test('key=value: unquoted values without spaces parse back', (t) => {
  const bare = value(' \t').filter((v) => !v.startsWith('"') && !v.startsWith("'"));
  fc.assert(
    fc.property(dict(bare), (attrs) => {
      const line = Object.entries(attrs).map(([k, v]) => `${k}=${v}`).join(' ');
      roundTrip('kv', line, (r) => assert.deepStrictEqual(r.fields, attrs));
    }),
  );
  t.pass();
});

test('Tag: value with Title-case tags and z/OS-style values parses back', (t) => {
  const tag = fc.tuple(fc.stringMatching(/^[A-Z][a-z]{1,8}$/), fc.option(fc.constantFrom('ID', 'IP', 'LU', 'Name'), { nil: undefined }))
    .map(([a, b]) => (b ? `${a} ${b}` : a));
  // A value ending in ":" would itself end a tag (the documented rule), so none is generated.
  const zValue = fc.stringMatching(/^[A-Z0-9$#@.:]{0,11}[A-Z0-9$#@.]$/);
  fc.assert(
    fc.property(fc.uniqueArray(fc.tuple(tag, zValue), { minLength: 1, maxLength: 6, selector: ([k]) => k }), (pairs) => {
      const line = pairs.map(([k, v]) => `${k}: ${v}`).join(' ');
      const record = fieldsOf('tagged', line);
      assert.deepStrictEqual(record?.fields, Object.fromEntries(pairs));
    }),
  );
  t.pass();
});

test('JSON: nested objects flatten to dotted keys', (t) => {
  const scalar = fc.oneof(value(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)), fc.boolean());
  const plainKey = key.filter((k) => !k.includes('.'));
  fc.assert(
    fc.property(fc.dictionary(plainKey, fc.dictionary(plainKey, scalar, { minKeys: 1, maxKeys: 4 }), { minKeys: 1, maxKeys: 4 }), (obj) => {
      const expected: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(obj)) for (const [k2, v] of Object.entries(inner)) expected[`${k}.${k2}`] = v;
      roundTrip('json', JSON.stringify(obj), (r) => assert.deepStrictEqual(r.fields, expected));
    }),
  );
  t.pass();
});

test('CSV: quoted cells parse back by column name', (t) => {
  const cell = (v: string) => (/[",]/.test(v) || v.startsWith(' ') ? `"${v.replace(/"/g, '""')}"` : v);
  fc.assert(
    fc.property(fc.uniqueArray(key, { minLength: 1, maxLength: 8 }), fc.array(value(), { minLength: 8, maxLength: 8 }), (columns, cells) => {
      const parser = createParser({ format: 'csv' });
      assert.deepStrictEqual(parser.parse(columns.join(',')), { ok: true, record: null, header: true, columns });
      const row = columns.map((_, i) => cells[i] as string);
      const result = parser.parse(row.map(cell).join(','));
      assert.deepStrictEqual(result, { ok: true, record: { format: 'csv', fields: Object.fromEntries(columns.map((c, i) => [c, row[i]])) } });
    }),
  );
  t.pass();
});

test('RFC 5424: escaped SD-PARAM values parse back', (t) => {
  const escapeSd = (v: string) => v.replace(/[\\"\]]/g, (c) => `\\${c}`);
  const sdName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9@._-]{0,20}$/);
  fc.assert(
    fc.property(sdName, fc.dictionary(sdName, value(), { minKeys: 1, maxKeys: 6, noNullPrototype: true }), (id, params) => {
      const sd = `[${id} ${Object.entries(params).map(([k, v]) => `${k}="${escapeSd(v)}"`).join(' ')}]`;
      roundTrip('rfc5424', `<116>1 2025-03-03T09:04:05.123+01:00 MVS1 zSecure - C2P0815 ${sd} text`, (r) => {
        assert.deepStrictEqual(r.envelope?.structuredData, { [id]: params });
        assert.deepStrictEqual(r.fields, params);
      });
    }),
  );
  t.pass();
});
