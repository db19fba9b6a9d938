// Payload detection on the line shapes the incident simulator writes (docs/simulator.md): every
// BMC RFC 3164 record source (the tag) is key=value, never free text, and a zSecure Alert RFC 5424
// line keeps its fields in the structured data with the MSG as text. Real-world shapes, so a
// detection change that breaks one of them fails here, before normalization sees it.

import test from 'ava';
import { createParser } from '../../../processors/parse/index.js';
import { RECORD_KINDS, simulate } from '../../../processors/simulate/index.js';

const options = { seed: 7, start: '2025-03-03', days: 1, users: 40, timezone: 'Europe/Berlin' } as const;

test('every BMC RFC 3164 tag the simulator writes is detected as key=value with the tag as appName', (t) => {
  const parser = createParser();
  const tags = new Map<string, number>();
  const kinds = new Set<string>();
  for (const line of simulate({ ...options, format: 'rfc3164' })) {
    const r = parser.parse(line.text);
    if (!r.ok || r.record === null) {
      t.fail(`${r.ok ? 'header' : r.code}: ${line.text}`);
      continue;
    }
    kinds.add(line.truth.kind);
    const tag = r.record.envelope?.appName ?? '(none)';
    tags.set(tag, (tags.get(tag) ?? 0) + 1);
    if (r.record.format !== 'kv' || r.record.envelope?.hostname !== line.truth.system || r.record.fields.Desc === undefined) {
      t.fail(`${r.record.format} ${JSON.stringify(r.record.envelope)}: ${line.text}`);
    }
  }
  t.deepEqual([...kinds].sort(), [...RECORD_KINDS].sort(), 'all record kinds occurred');
  t.deepEqual(
    [...tags.keys()].sort(),
    ['Console', 'IMS', 'SMF102', 'SMF110_1', 'SMF116_1', 'SMF119_20', 'SMF14', 'SMF15', 'SMF30_1', 'SMF30_5', 'SMF42_6', 'SMF80', 'SMF82_31', 'SessMon'],
  );
});

test('a BMC Console line whose command holds quotes, "=" and "," stays one quoted value', (t) => {
  const r = createParser().parse('<165>Mar  3 23:36:39 SYSA Console: User=OPSAUTO Command="SE \'BACKUP AT 22:00 \\"TONIGHT\\"\',ALL" Console=AUTO01 Desc="Command issued"');
  t.like(r, { ok: true, record: { format: 'kv', envelope: { appName: 'Console', hostname: 'SYSA' } } });
  if (r.ok && r.record !== null) t.is(r.record.fields.Command, 'SE \'BACKUP AT 22:00 "TONIGHT"\',ALL');
});

test('zSecure Alert RFC 5424: fields from the SD element, the MSG as text', (t) => {
  const parser = createParser();
  let n = 0;
  for (const line of simulate({ ...options, format: 'rfc5424' })) {
    const r = parser.parse(line.text);
    if (!r.ok || r.record === null) {
      t.fail(line.text);
      continue;
    }
    n++;
    const { record } = r;
    const id = record.envelope?.msgId ?? '';
    if (record.format !== 'text' || !/^C2P\d{4}$/.test(id) || record.envelope?.structuredData?.[id] === undefined || record.fields.whereSYSTEM !== line.truth.system || !record.text) {
      t.fail(`${record.format} ${id}: ${line.text}`);
    }
  }
  t.true(n > 1000);
});
