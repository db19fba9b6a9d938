// Golden tests, driven by data: test/fixtures/parse/<case>.txt holds input lines, <case>.json the
// expected ParseResult for each line, and the optional <case>.options.json the parser options.
// All lines of a case go through one parser instance, in order (so a CSV header row counts).
// A rejection in the expected file may omit `reason`; then any non-empty reason is accepted.

import test from 'ava';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createParser, type ParserOptions } from '../../../processors/parse/index.js';
import type { ParseResult } from '../../../processors/schema/record.js';

const dir = fileURLToPath(new URL('../../fixtures/parse/', import.meta.url));
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => f.slice(0, -4))
  .sort();

test('the fixture folder holds cases', (t) => {
  t.true(cases.length >= 10);
});

for (const name of cases) {
  test(`fixture ${name}`, (t) => {
    const optionsPath = `${dir}${name}.options.json`;
    const options = existsSync(optionsPath) ? (JSON.parse(readFileSync(optionsPath, 'utf8')) as ParserOptions) : {};
    const text = readFileSync(`${dir}${name}.txt`, 'utf8');
    const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
    const expected = JSON.parse(readFileSync(`${dir}${name}.json`, 'utf8')) as ParseResult[];
    t.is(lines.length, expected.length, `${name}.txt has ${lines.length} lines, ${name}.json ${expected.length} results`);

    const parser = createParser(options);
    lines.forEach((line, i) => {
      const actual = parser.parse(line);
      const want = expected[i] as ParseResult;
      const where = `${name}.txt line ${i + 1}: ${JSON.stringify(line).slice(0, 120)}`;
      const reasonGiven = (want as { reason?: unknown }).reason !== undefined;
      if (!want.ok && !actual.ok && !reasonGiven) {
        t.is(actual.code, want.code, where);
        t.true(actual.reason.length > 0, where);
      } else {
        t.deepEqual(actual, want, where);
      }
    });
  });
}
