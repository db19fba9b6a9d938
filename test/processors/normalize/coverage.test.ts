// Normalization is complete on every format the simulator writes: simulated lines (all record
// kinds, three days over a DST change, default incidents, fixed seed) through createParser +
// createNormalizer({ profile: 'auto' }), checked line by line against the ground truth and against
// the fields each writer put in the line. What is checked: coverage.ts. Each test logs its row of
// the coverage table (`npx ava test/processors/normalize/coverage.test.ts --verbose`).

import test from 'ava';
import { CONCRETE_FORMATS } from '../../../processors/simulate/index.js';
import { CHECKS, expectedKinds, formatTable, measure } from './coverage.js';

for (const format of CONCRETE_FORMATS) {
  test(`every ${format} line the simulator writes is normalized completely`, (t) => {
    const cov = measure(format);
    t.log(`\n${formatTable([cov])}`);
    t.true(cov.lines >= 2000, `only ${cov.lines} lines`);
    t.deepEqual(
      expectedKinds(format).filter((k) => !cov.kinds.has(k)),
      [],
      'every record kind the format carries occurs in the run',
    );
    t.deepEqual(cov.failures, [], `${cov.failures.length} kinds of failure`);
    for (const check of CHECKS) {
      t.is(cov.passed[check], cov.applied[check], check);
      // Each check applies to something in every format (ip only to TN3270 session records).
      t.true(cov.applied[check] > 0, `${check} never applied`);
    }
  });
}
