import test from 'ava';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulate, type SimLine } from '../../../processors/simulate/index.js';
import { DEMO, demoOptions, SAMPLE_FEEDS } from '../../../processors/simulate/samples.js';
import { shapeProblem, splitCsv } from './shapes.js';

// The bundled samples are generated files: they must be what the simulator produces today
// (regenerate with `npm run samples` after changing the simulator).
const DIR = join(import.meta.dirname, '../../../samples');
const truthLine = (l: SimLine, n: number): string => JSON.stringify({ line: n, time: l.time.toISOString(), ...l.truth });

for (const feed of SAMPLE_FEEDS) {
  test(`samples/${feed.file} and its truth are up to date`, (t) => {
    const path = join(DIR, feed.file);
    if (!existsSync(path)) return t.fail(`${path} is missing: run npm run samples`);
    const lines = [...simulate(feed.options)];
    t.is(readFileSync(path, 'utf8'), lines.map((l) => `${l.text}\n`).join(''));
    t.is(readFileSync(join(DIR, 'truth', `${feed.file}.jsonl`), 'utf8'), lines.map((l, i) => `${truthLine(l, i + 1)}\n`).join(''));
    t.true(lines.length >= 50 && lines.length < 400, `${lines.length} lines`);
  });
}

test('the sample feeds are small, well formed, and hold every incident', (t) => {
  let bytes = 0;
  for (const feed of SAMPLE_FEEDS) {
    const lines = [...simulate(feed.options)];
    const format = lines[1]?.format ?? 'leef';
    const width = format === 'csv' ? splitCsv(lines[0]?.text ?? '')?.length : undefined;
    t.deepEqual(lines.filter((l) => l.truth.kind !== 'header' && shapeProblem(format, l.text, width) !== undefined).map((l) => l.text), []);
    bytes += lines.reduce((n, l) => n + l.text.length + 1, 0);
    if (format !== 'csv') t.is(new Set(lines.flatMap((l) => (l.truth.incident === undefined ? [] : [l.truth.incident.split('/')[0]]))).size, 5, feed.file);
  }
  t.true(bytes < 600_000, `${bytes} bytes`);
});

test('the demo feed ends on the given day and carries every incident on it', (t) => {
  const lines = [...simulate(demoOptions('2026-01-09'))];
  t.is(lines[0]!.time.toISOString().slice(0, 10) >= '2025-12-26', true);
  const last = lines.filter((l) => l.truth.incident !== undefined).map((l) => l.truth.incident!.split('/')[1]);
  t.true(last.length > 0 && last.every((d) => d === '2026-01-09'), String(new Set(last).size));
  t.is(new Set(lines.map((l) => l.format)).size, Object.keys(DEMO.files).length);
});
