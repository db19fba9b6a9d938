// Behaviour of the parser factory and the checks every line passes, through the public API.

import test from 'ava';
import { isSmfError } from '../../../agent/errors.js';
import { createParser, PARSER_DEFAULTS, type ParserOptions } from '../../../processors/parse/index.js';

const LEEF = 'LEEF:1.0|IBM|z/OS|3.1.0|80-1|usrName=IBMUSER';

test('defaults are auto detection and 65536 characters', (t) => {
  t.deepEqual(PARSER_DEFAULTS, { format: 'auto', maxLineLength: 65536 });
  const parser = createParser();
  t.like(parser.parse(LEEF), { ok: true, record: { format: 'leef' } });
  t.like(parser.parse('x'.repeat(65537)), { ok: false, code: 'too_long' });
});

const invalidOptions: Array<[string, ParserOptions, RegExp]> = [
  ['unknown format', { format: 'xml' as ParserOptions['format'] }, /format "xml" is not one of auto, leef/],
  ['zero maxLineLength', { maxLineLength: 0 }, /maxLineLength 0 must be a positive integer/],
  ['fractional maxLineLength', { maxLineLength: 1.5 }, /maxLineLength 1.5/],
  ['csvHeader without csv', { format: 'json', csvHeader: ['a'] }, /csvHeader is only used with format "csv", not "json"/],
  ['empty csvHeader', { format: 'csv', csvHeader: [] }, /csvHeader must be a non-empty list/],
  ['blank csvHeader', { format: 'csv', csvHeader: [' ', ''] }, /csvHeader has no non-empty column name/],
];

for (const [name, options, message] of invalidOptions) {
  test(`options are checked when the parser is created: ${name}`, (t) => {
    const err = t.throws(() => createParser(options), { message });
    t.true(isSmfError(err, 'SMF_ERR_CONFIG'));
  });
}

test('every option problem is reported at once', (t) => {
  t.throws(() => createParser({ format: 'nope' as ParserOptions['format'], maxLineLength: -1 }), {
    message: /format "nope".*; maxLineLength -1/,
  });
});

test('a line longer than maxLineLength is too_long, one at the limit is parsed', (t) => {
  const parser = createParser({ maxLineLength: LEEF.length });
  t.true(parser.parse(LEEF).ok);
  t.like(parser.parse(`${LEEF}x`), { ok: false, code: 'too_long' });
});

test('empty and whitespace-only lines are empty', (t) => {
  const parser = createParser();
  for (const line of ['', ' ', '\t \t', '\r\n', '\n', '\ufeff', '\u00a0 \u2003']) {
    t.like(parser.parse(line), { ok: false, code: 'empty' }, JSON.stringify(line));
  }
});

test('a trailing CR/LF and a leading BOM are stripped', (t) => {
  const parser = createParser();
  t.deepEqual(parser.parse(`\ufeff${LEEF}\r\n`), parser.parse(LEEF));
  t.like(parser.parse('{"a":"b"}\r'), { ok: true, record: { fields: { a: 'b' } } });
});

test('lines with NUL or many control characters are binary; a stray ESC is not', (t) => {
  const parser = createParser();
  t.like(parser.parse(`${LEEF}\0`), { ok: false, code: 'binary' });
  t.like(parser.parse('\x01\x02\x03 abc'), { ok: false, code: 'binary' });
  t.like(parser.parse('\ufffd\ufffd\ufffdC1\ufffd\ufffd'), { ok: false, code: 'binary' });
  t.like(parser.parse(`${LEEF}\x1b[0m`), { ok: true });
});

test('a non-string input is rejected, not thrown on', (t) => {
  const parser = createParser();
  t.like(parser.parse(undefined as unknown as string), { ok: false, code: 'unknown_format' });
  t.like(parser.parse(Buffer.from('x') as unknown as string), { ok: false, code: 'unknown_format' });
});

test('a CSV stream takes its first line as the header and later rows by name', (t) => {
  const parser = createParser({ format: 'csv' });
  t.deepEqual(parser.parse('a, b ,c'), { ok: true, record: null, header: true, columns: ['a', 'b', 'c'] });
  t.deepEqual(parser.parse('1,,3'), { ok: true, record: { format: 'csv', fields: { a: '1', c: '3' } } });
});

test('CSV header state belongs to one parser instance', (t) => {
  const first = createParser({ format: 'csv' });
  const second = createParser({ format: 'csv' });
  first.parse('a,b');
  t.like(second.parse('x,y'), { ok: true, record: null, header: true });
  t.like(first.parse('x,y'), { ok: true, record: { fields: { a: 'x', b: 'y' } } });
});

test('the header columns handed out cannot change the parser state', (t) => {
  const parser = createParser({ format: 'csv' });
  const result = parser.parse('a,b');
  if (result.ok && result.record === null) result.columns[0] = 'changed';
  t.like(parser.parse('1,2'), { ok: true, record: { fields: { a: '1', b: '2' } } });
});

test('hostile keys never touch Object.prototype and stay own fields', (t) => {
  const parser = createParser();
  const own = (line: string, key: string): unknown => {
    const result = parser.parse(line);
    if (!result.ok || !result.record) return t.fail(`rejected ${line}`);
    t.is(Object.getPrototypeOf(result.record.fields), Object.prototype, line);
    return Object.getOwnPropertyDescriptor(result.record.fields, key)?.value;
  };
  t.is(own('{"__proto__":{"polluted":1}}', '__proto__.polluted'), 1);
  t.is(own('{"constructor":{"prototype":{"polluted":1}}}', 'constructor.prototype.polluted'), 1);
  t.is(own('__proto__=x polluted=1', '__proto__'), 'x');
  t.is(own('LEEF:1.0|a|b|c|d|__proto__=x\tpolluted=1', '__proto__'), 'x');
  t.is(own('CEF:0|a|b|c|d|e|f|__proto__=x constructor=y', '__proto__'), 'x');
  t.is(own('<13>1 - - - - - [__proto__ __proto__="v" polluted="1"] text', '__proto__'), 'v');
  const sd = parser.parse('<13>1 - - - - - [__proto__ polluted="1"] text');
  t.is(sd.ok && sd.record ? Object.getOwnPropertyDescriptor(sd.record.envelope?.structuredData, '__proto__')?.value.polluted : undefined, '1');
  t.is(({} as Record<string, unknown>).polluted, undefined);
});

test('deeply nested JSON is rejected instead of overflowing the stack', (t) => {
  const parser = createParser({ format: 'json', maxLineLength: 1_000_000 });
  const depth = 100_000;
  t.like(parser.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`), { ok: false, code: 'bad_json' });
  t.like(parser.parse(`{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`), { ok: false, code: 'bad_json' });
  t.like(parser.parse(`${'{"a":'.repeat(64)}1${'}'.repeat(64)}`), { ok: true });
});

test('pathological lines parse in linear time', (t) => {
  const parser = createParser({ maxLineLength: 1_000_000 });
  const n = 200_000;
  const lines = [
    `LEEF:1.0|a|b|c|d|${'x\t'.repeat(n)}k=v`,
    `LEEF:2.0|a|b|c|d|^|${'a b^'.repeat(n)}`,
    `CEF:0|a|b|c|d|e|f|k=${'\\'.repeat(n)}= ${'a=='.repeat(n)}`,
    `k=${'"'.repeat(n)} ${'a=b'.repeat(n)}`,
    `A: ${'B: '.repeat(n)} ${'x:'.repeat(n)}`,
    `<13>1 - - - - - [x a="${'\\"'.repeat(n)}"]`,
    `a,${'"",'.repeat(n)}`,
  ];
  const started = performance.now();
  for (const line of lines) parser.parse(line);
  createParser({ format: 'tagged', maxLineLength: 1_000_000 }).parse(`${'Word '.repeat(n)}Tag: ${'Aa '.repeat(n)}End: x`);
  createParser({ format: 'csv', maxLineLength: 1_000_000 }).parse(`${'"a""b",'.repeat(n)}`);
  t.true(performance.now() - started < 2000, `took ${Math.round(performance.now() - started)} ms`);
});
