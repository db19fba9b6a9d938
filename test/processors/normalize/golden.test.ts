// Golden tests: every `<case>.input.json` under test/fixtures/normalize/ is normalized and compared
// with `<case>.expected.json` (the EventDoc) or `<case>.refused.json` (code and reason).
// Input file: { "description", "options"?, "receivedAt", "record": ParsedRecord }.
// To (re)write expected files after a deliberate change: UPDATE_GOLDEN=1 npx ava test/processors/normalize/golden.test.ts
// and review the diff.

import test from 'ava';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createNormalizer, type NormalizerOptions } from '../../../processors/normalize/index.js';
import type { ParsedRecord } from '../../../processors/schema/record.js';
import { listGoldenInputs } from './golden-files.js';

interface GoldenInput {
  description: string;
  options?: NormalizerOptions;
  receivedAt: string;
  record: ParsedRecord;
}

const update = process.env.UPDATE_GOLDEN === '1';

for (const { name, input, expected, refused } of listGoldenInputs()) {
  test(`golden: ${name}`, (t) => {
    const golden = JSON.parse(readFileSync(input, 'utf8')) as GoldenInput;
    const result = createNormalizer(golden.options).normalize(golden.record, { receivedAt: new Date(golden.receivedAt), inputName: 'golden' });
    const actual = result.ok ? result.doc : { code: result.code, reason: result.reason };
    const target = result.ok ? expected : refused;
    if (update) {
      writeFileSync(target, `${JSON.stringify(actual, null, 2)}\n`);
      t.pass();
      return;
    }
    t.true(existsSync(target), `${target} is missing (the normalizer ${result.ok ? 'accepted' : 'refused'} the record)`);
    t.deepEqual(actual, JSON.parse(readFileSync(target, 'utf8')), golden.description);
  });
}

test('there are golden cases for every profile', (t) => {
  const profiles = new Set(listGoldenInputs().map((g) => g.name.split('/')[0]));
  t.deepEqual([...profiles].sort(), ['bmc', 'cdp', 'easysmf', 'generic', 'zsecure']);
});
