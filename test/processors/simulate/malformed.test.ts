import test from 'ava';
import { CONCRETE_FORMATS, simulate } from '../../../processors/simulate/index.js';
import { shapeProblem, splitCsv } from './shapes.js';

for (const format of CONCRETE_FORMATS) {
  test(`${format}: the malformed fraction is respected and broken lines are really broken`, (t) => {
    const lines = [...simulate({ seed: 17, format, days: 2, users: 60, malformed: 0.1 })];
    const broken = lines.filter((l) => l.truth.kind === 'malformed');
    const share = broken.length / lines.length;
    t.true(Math.abs(share - 0.1) < 0.02, `share ${share.toFixed(3)}`);
    const width = format === 'csv' ? splitCsv(lines[0]?.text ?? '')?.length : undefined;
    const slipped = broken.filter((l) => shapeProblem(format, l.text, width) === undefined);
    t.deepEqual(slipped.map((l) => l.text).slice(0, 3), []);
    t.false(broken.some((l) => /[\r\n]/.test(l.text)), 'never a line break');
    t.true(broken.some((l) => l.text.includes('\0')), 'some binary (RDW with NULs)');
    // Good lines keep their shape and their order; the broken copy follows its original.
    for (let i = 1; i < lines.length; i++) t.true((lines[i]?.time.getTime() ?? 0) >= (lines[i - 1]?.time.getTime() ?? 0));
  });
}

test('no malformed lines by default', (t) => {
  t.false([...simulate({ seed: 17, days: 1, users: 30 })].some((l) => l.truth.kind === 'malformed'));
});
