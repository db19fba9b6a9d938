import test from 'ava';
import { CONCRETE_FORMATS, defaultIncidents, simulate, type ConcreteFormat, type SimLine } from '../../../processors/simulate/index.js';
import { localParts, shapeProblem, splitCsv, statedTime, wallString } from './shapes.js';

// Three days across the European DST change (2025-03-30), enough people for every record kind.
const TZ = 'Europe/Berlin';
const linesOf = (format: ConcreteFormat): SimLine[] =>
  [...simulate({ seed: 42, format, start: '2025-03-28', days: 3, users: 60, timezone: TZ, incidents: defaultIncidents() })];
const corpus = new Map(CONCRETE_FORMATS.map((f) => [f, linesOf(f)]));
const get = (f: ConcreteFormat): SimLine[] => corpus.get(f) ?? [];

for (const format of CONCRETE_FORMATS) {
  test(`${format}: every line has the format's shape`, (t) => {
    const lines = get(format);
    t.true(lines.length > 500);
    const width = format === 'csv' ? splitCsv(lines[0]?.text ?? '')?.length : undefined;
    const bad = lines.slice(format === 'csv' ? 1 : 0).map((l) => [shapeProblem(format, l.text, width), l.text]).filter(([p]) => p !== undefined);
    t.deepEqual(bad.slice(0, 3), []);
  });

  test(`${format}: the time written in each line is the line's time`, (t) => {
    const lines = get(format).filter((l) => l.truth.kind !== 'header');
    const wrong: string[] = [];
    for (const l of lines) {
      let stated: number | string | undefined;
      if (format === 'csv') {
        const cells = splitCsv(l.text) ?? [];
        const i = cells.findIndex((c) => /^\d{4}-\d\d-\d\d$/.test(c));
        stated = statedTime(format, l.text, [cells[i] ?? '', cells[i + 1] ?? '']);
      } else {
        stated = statedTime(format, l.text);
      }
      const expected =
        format === 'rfc3164' ? wallString(l.time, TZ).slice(5)
        : format === 'easysmf' || format === 'csv' ? wallString(l.time, TZ)
        : l.time.getTime();
      if (stated !== expected) wrong.push(`${String(stated)} ≠ ${String(expected)}: ${l.text}`);
    }
    t.deepEqual(wrong.slice(0, 3), []);
  });
}

test('leef: reproduces the zSecure traps', (t) => {
  const texts = get('leef').map((l) => l.text);
  t.true(texts.some((x) => /devTime=Mar \d{1,2} 2025 \d:\d\d:\d\d\.\d{3} \+0100/.test(x)), 'single-digit hour, +hhmm offset');
  t.true(texts.some((x) => /\+0200/.test(x)), 'summer time after the DST change');
  t.true(texts.some((x) => x.startsWith('LEEF:2.0|') && x.includes('|x7C|')), 'LEEF 2.0 with a hex-declared pipe delimiter');
  t.true(texts.some((x) => x.includes('|^|')), 'LEEF 2.0 with ^');
  t.true(texts.some((x) => /^<\d+>Mar [ \d]\d \d\d:\d\d:\d\d SYSB LEEF:/.test(x)), 'syslog header before LEEF');
  t.true(texts.some((x) => x.includes('src=::FFFF:10.')), 'IPv4-mapped client address');
  t.true(texts.some((x) => /sum=[^\t]* [^\t]*=/.test(x)), 'a value with spaces and "="');
});

test('leef: the fixed-width RACF job field holds the job name in columns 30-37', (t) => {
  const fixed = get('leef').filter((l) => /(?:^|\t|\||\^)job=/.test(l.text));
  t.true(fixed.length > 10);
  for (const l of fixed) {
    const value = /(?:\t|\||\^)job=([^\t|^]*)/.exec(l.text)?.[1] ?? '';
    t.is(value.slice(29, 37).trim(), l.truth.job ?? '', l.text);
  }
});

test('cef: rt is epoch milliseconds; header and extension are escaped', (t) => {
  const texts = get('cef').map((l) => l.text);
  t.true(texts.some((x) => x.includes('RACF access check\\|DATASET')), 'escaped pipe in the header');
  t.true(texts.some((x) => / msg=[^=]*\\=/.test(x)), 'escaped "=" in the extension');
  t.true(texts.some((x) => / src=::FFFF:/.test(x)));
});

test('rfc5424: zSecure Alert structured data with who/what/fromWhere/where and escaping', (t) => {
  const lines = get('rfc5424');
  const logon = lines.find((l) => l.truth.kind === 'racf-logon' && l.truth.terminal !== undefined);
  t.regex(logon?.text ?? '', /\[C2P\d{4} whoUSERID="[A-Z0-9@#$]+" .*whatJOBNAME=".*fromWhereTERMINAL=".*whereSYSTEM="SYS[AB]"/);
  const session = lines.find((l) => l.truth.kind === 'tn3270-session');
  t.regex(session?.text ?? '', /fromWhereSRCIP="\d+\.\d+\.\d+\.\d+"/);
  t.true(lines.some((l) => l.text.includes('\\"')), 'escaped quote inside an SD-PARAM');
});

test('rfc3164: BMC tags, local time without year, quoted values', (t) => {
  const texts = get('rfc3164').map((l) => l.text);
  t.true(texts.some((x) => /^<\d+>Mar [ \d]\d \d\d:\d\d:\d\d SYS[AB] SMF80: User=/.test(x)));
  t.true(texts.some((x) => / SMF119_20: Jobname=\S+ TermNm=\S+ RemtIP=/.test(x)));
  t.true(texts.some((x) => /Command="[^"]*\\"/.test(x)), 'escaped quote inside a quoted value');
  t.false(texts.some((x) => /\b2025\b/.test(x.slice(0, 30))), 'no year in the header');
});

test('json: snake_case converter fields, numbers sometimes strings', (t) => {
  const docs = get('json').map((l) => JSON.parse(l.text) as Record<string, unknown>);
  t.true(docs.some((d) => typeof d.smf_type === 'string'));
  t.true(docs.some((d) => typeof d.smf_type === 'number'));
  t.true(docs.some((d) => typeof d.user_id === 'string' && typeof d.job_name === 'string'));
  t.true(docs.some((d) => typeof d.remote_ip === 'string'));
});

test('easysmf: nested sections keyed by lowercase IBM names', (t) => {
  const docs = get('easysmf').map((l) => JSON.parse(l.text) as Record<string, Record<string, unknown>>);
  t.true(docs.some((d) => typeof d.identificationSection?.smf30jbn === 'string'));
  t.true(docs.some((d) => typeof d.tn3270ServerSessionInitSection?.smf119tn_nilu === 'string'));
  t.true(docs.some((d) => String(d.tn3270ServerSessionInitSection?.smf119tn_nirip).startsWith('::ffff:')));
  t.false(get('easysmf').some((l) => ['ims-access', 'console-command', 'sessmon'].includes(l.truth.kind)), 'only SMF records');
});

test('csv: one header row first, rows as wide as the header, empty cells for absent values', (t) => {
  const lines = get('csv');
  t.is(lines[0]?.truth.kind, 'header');
  t.regex(lines[0]?.text ?? '', /^DATASTREAM,SMFID,SYSPLEX,SMFSTY,/);
  t.is(lines.filter((l) => l.truth.kind === 'header').length, 1);
  t.true(lines.some((l) => l.text.includes(',"PERMIT ')), 'a quoted cell holding commas');
  t.true(lines.slice(1).every((l) => l.text.includes(',,')), 'sparse rows');
});

test('csv with recordTypes [80] is the SMF_080 stream', (t) => {
  const lines = [...simulate({ seed: 1, format: 'csv', days: 2, users: 30, recordTypes: [80] })];
  const header = lines[0]?.text ?? '';
  t.false(header.includes('SMF30'), header);
  t.true(lines.slice(1).every((l) => l.text.startsWith('SMF_080,')));
});

test('local times follow the zone: working hours stay local across the DST change', (t) => {
  const logons = get('json').filter((l) => l.truth.kind === 'tso-logon' && l.truth.incident === undefined);
  const hours = logons.map((l) => localParts(l.time, TZ).h);
  // Day-shift logons are 07:30-18:30 local on both sides of the change; night shift 00-06 and 21-24.
  t.true(hours.every((h) => h <= 6 || (h >= 7 && h <= 18) || h >= 21), hours.join(','));
});
