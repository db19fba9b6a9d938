import test from 'ava';
import { isSmfError } from '../../../agent/errors.js';
import { simulate, type SimOptions } from '../../../processors/simulate/index.js';

// Invalid options: each case names the value in the message; all problems are reported at once.
const INVALID: readonly (readonly [string, SimOptions, RegExp])[] = [
  ['negative seed', { seed: -1 }, /seed -1/],
  ['bad start date', { start: '2025-02-30' }, /start "2025-02-30"/],
  ['zero days', { days: 0 }, /days 0/],
  ['unknown zone', { timezone: 'Mars/Olympus' }, /timezone "Mars\/Olympus"/],
  ['no users', { users: 0 }, /users 0/],
  ['bad system id', { systems: ['SYSTEM1'] }, /system id "SYSTEM1"/],
  ['duplicate systems', { systems: ['SYSA', 'SYSA'] }, /duplicate/],
  ['unknown format', { format: 'xml' as SimOptions['format'] }, /format "xml"/],
  ['malformed fraction too high', { malformed: 0.7 }, /malformed 0\.7/],
  ['record type out of range', { recordTypes: [300] }, /recordTypes entry 300/],
  ['unknown incident kind', { incidents: [{ kind: 'ransomware' as 'honeypot', day: 0 }] }, /incidents\[0\]\.kind "ransomware"/],
  ['incident day outside the range', { days: 3, incidents: [{ kind: 'honeypot', day: 5 }] }, /incidents\[0\]\.day 5/],
  ['size on the wrong kind', { incidents: [{ kind: 'honeypot', day: 0, size: 5 }] }, /incidents\[0\]\.size 5/],
];

for (const [name, options, message] of INVALID) {
  test(`rejects ${name}`, (t) => {
    const err = t.throws(() => simulate(options));
    t.true(isSmfError(err, 'SMF_ERR_USAGE'));
    t.regex(err?.message ?? '', message);
  });
}

test('reports every problem in one error', (t) => {
  const err = t.throws(() => simulate({ days: 0, users: -3, format: 'xml' as SimOptions['format'] }));
  t.regex(err?.message ?? '', /days 0.*users -3.*format "xml"/);
});

test('an incident date outside the range, or an unknown user, is refused when simulate() is called', (t) => {
  const late = t.throws(() => simulate({ start: '2025-03-03', days: 2, incidents: [{ kind: 'honeypot', day: '2025-04-01' }] }));
  t.regex(late?.message ?? '', /2025-04-01.*outside 2025-03-03\.\.2025-03-04/);
  const nobody = t.throws(() => simulate({ users: 10, incidents: [{ kind: 'off-hours', day: 0, user: 'NOBODY' }] }));
  t.true(isSmfError(nobody, 'SMF_ERR_USAGE'));
  t.regex(nobody?.message ?? '', /"NOBODY" is not an interactive TSO user/);
});

test('defaults: leef, one week, 200 users, two systems, UTC', (t) => {
  const lines = [...simulate()];
  t.true(lines.every((l) => l.format === 'leef'));
  t.deepEqual([...new Set(lines.map((l) => l.truth.system))].sort(), ['SYSA', 'SYSB']);
  t.is(lines[0]?.time.toISOString().slice(0, 10), '2025-03-03');
  t.is(lines[lines.length - 1]?.time.toISOString().slice(0, 10), '2025-03-09');
  t.true(lines.some((l) => /devTime=Mar 3 2025 \d+:\d\d:\d\d\.\d{3} \+0000/.test(l.text)));
});

test('custom systems and sysplex appear in the lines', (t) => {
  const lines = [...simulate({ systems: ['PRD1', 'PRD2', 'DEV1'], sysplex: 'PLEXP', days: 1, users: 40, format: 'json' })];
  t.deepEqual([...new Set(lines.map((l) => l.truth.system))].sort(), ['DEV1', 'PRD1', 'PRD2']);
  t.true(lines.every((l) => l.text.includes('"sysplex_name":"PLEXP"')));
});
