import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CEF_NAMES } from '../../../processors/simulate/formats/cef.js';
import { CSV_COLUMNS } from '../../../processors/simulate/formats/csv.js';
import { EASYSMF_LAYOUTS } from '../../../processors/simulate/formats/easysmf.js';
import { JSON_NAMES } from '../../../processors/simulate/formats/json.js';
import { LEEF_NAMES } from '../../../processors/simulate/formats/leef.js';
import { RFC3164_NAMES } from '../../../processors/simulate/formats/rfc3164.js';
import { RFC5424_NAMES } from '../../../processors/simulate/formats/rfc5424.js';

// docs/simulator.md is what the normalizer engineers check their alias maps against: it must name
// every field the writers use.
const doc = readFileSync(join(import.meta.dirname, '../../../docs/simulator.md'), 'utf8');

test('docs/simulator.md names every field name of every writer', (t) => {
  const names: [string, string][] = [];
  for (const [format, map] of Object.entries({ leef: LEEF_NAMES, cef: CEF_NAMES, rfc5424: RFC5424_NAMES, rfc3164: RFC3164_NAMES, json: JSON_NAMES })) {
    for (const name of Object.values(map)) names.push([format, `\`${name}\``]);
  }
  for (const layout of Object.values(EASYSMF_LAYOUTS)) for (const [, section, key] of layout ?? []) names.push(['easysmf', section], ['easysmf', `${key}\``]);
  for (const columns of Object.values(CSV_COLUMNS)) for (const [, column] of columns ?? []) names.push(['csv', `\`${column}\``]);
  t.deepEqual(names.filter(([, n]) => !doc.includes(n)), []);
});
