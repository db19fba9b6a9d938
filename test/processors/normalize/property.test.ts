// Property: normalize never throws, whatever the parser hands it, and an accepted document keeps
// the schema's promises (no null or "", valid IPs in ip fields, ISO timestamps, host an object).

import test from 'ava';
import fc from 'fast-check';
import { isIP } from 'node:net';
import { MEANINGS, createNormalizer, type NormalizerOptions } from '../../../processors/normalize/index.js';
import { builtinAliases } from '../../../processors/normalize/aliases.js';
import type { ParsedRecord, PayloadFormat } from '../../../processors/schema/record.js';

const knownNames = [...new Set(Object.values(builtinAliases('generic')).flat())];
const interesting = [
  '', ' ', '-', '2025-03-03T09:04:05Z', 'Mar  3 09:04:05', 'Mar 3 2025 9:04:05.123 +0100', 'Feb 29 12:00:00', '1741000000', '0',
  '::FFFF:10.1.2.3', '10.1.2.3:99999', '[::1]:22', 'SYS1.PARMLIB(IEASYS00)', 'A.B(', '(x)', '119-12', 'SMF_030_5', 'C2P0100',
  'DATASET', 'TSU00042', 'JOB00001', '/Failure', 'High', '__proto__', 'constructor', `${'x'.repeat(29)}PAYROLL1`, '\u0000', '9'.repeat(30),
];

const key = fc.oneof(fc.constantFrom(...knownNames), fc.constantFrom('__proto__', 'constructor', 'a.b.smf80usr', 'cs1', 'cs1Label'), fc.string({ maxLength: 12 }));
const text = fc.oneof(fc.constantFrom(...interesting), fc.string({ maxLength: 40 }));
const value = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(Number.NaN));
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const envelope = fc.record({
  kind: fc.constantFrom('rfc5424' as const, 'rfc3164' as const),
  priority: opt(fc.integer({ min: -5, max: 300 })),
  timestamp: opt(text),
  hostname: opt(text),
  appName: opt(fc.oneof(text, fc.constantFrom('SMF80', 'Console', 'JOBLOG'))),
  procId: opt(text),
  msgId: opt(text),
  structuredData: opt(fc.dictionary(fc.oneof(fc.constant('C2P0100'), fc.string({ maxLength: 8 })), fc.dictionary(key, text, { maxKeys: 5 }), { maxKeys: 3 })),
});

const header = fc.record({
  version: opt(text),
  vendor: opt(fc.oneof(text, fc.constantFrom('IBM', 'BMC Software'))),
  product: opt(text),
  productVersion: opt(text),
  eventId: opt(text),
  name: opt(text),
  severity: opt(text),
});

const formats: PayloadFormat[] = ['leef', 'cef', 'kv', 'tagged', 'json', 'csv', 'text'];
const parsedRecord: fc.Arbitrary<ParsedRecord> = fc
  .record({
    format: fc.constantFrom(...formats),
    envelope: opt(envelope),
    header: opt(header),
    fields: fc.dictionary(key, value, { maxKeys: 20 }),
    text: opt(text),
  })
  .map((r) => JSON.parse(JSON.stringify(r)) as ParsedRecord); // drop undefined members as a parser would (NaN becomes null: hostile input too)

const options: fc.Arbitrary<NormalizerOptions> = fc.record({
  profile: fc.constantFrom('auto' as const, 'zsecure' as const, 'bmc' as const, 'easysmf' as const, 'cdp' as const, 'generic' as const),
  timezone: fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'America/St_Johns'),
  missingTimestamp: fc.constantFrom('received' as const, 'reject' as const),
  aliases: fc.constantFrom<Record<string, string[]>>({}, { user: ['x', 'cs1'] }, { [MEANINGS[0] ?? 'user']: ['__proto__'] }),
});

function problems(doc: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string): void => {
    if (v === null || v === undefined) out.push(`${path} is ${String(v)}`);
    else if (v === '') out.push(`${path} is ""`);
    else if (typeof v === 'number' && !Number.isFinite(v)) out.push(`${path} is ${v}`);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (typeof v === 'object') {
      if (Object.keys(v).length === 0 && path !== 'host') out.push(`${path} is an empty object`);
      for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
    }
  };
  walk(doc, '');
  return out;
}

test('normalize never throws and accepted documents keep the schema promises', (t) => {
  fc.assert(
    fc.property(options, fc.array(parsedRecord, { minLength: 1, maxLength: 5 }), fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: false }), (opts, records, receivedAt) => {
      const normalizer = createNormalizer(opts);
      for (const record of records) {
        const result = normalizer.normalize(record, { receivedAt, inputName: 'prop' });
        if (!result.ok) {
          if (!['no_timestamp', 'bad_timestamp', 'normalize_error'].includes(result.code) || result.reason === '') return false;
          if (result.code === 'normalize_error' && record.fields !== null) throw new Error(`defect: ${result.reason}`);
          continue;
        }
        const doc = result.doc;
        const found = problems(doc);
        if (found.length > 0) throw new Error(found.join('; '));
        if (new Date(doc['@timestamp']).toISOString() !== doc['@timestamp']) throw new Error(`@timestamp ${doc['@timestamp']}`);
        if (doc.source?.ip !== undefined && isIP(doc.source.ip) === 0) throw new Error(`source.ip ${doc.source.ip}`);
        if (doc.destination?.ip !== undefined && isIP(doc.destination.ip) === 0) throw new Error(`destination.ip ${doc.destination.ip}`);
        for (const port of [doc.source?.port, doc.destination?.port]) {
          if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new Error(`port ${port}`);
        }
        if (typeof doc.host !== 'object' || !doc.event.dataset.startsWith('smf.')) throw new Error('host or dataset');
      }
      return true;
    }),
    { numRuns: Number(process.env.FC_RUNS ?? 400) },
  );
  t.pass();
});

test('normalize never throws on records that break the contract outright', (t) => {
  const normalizer = createNormalizer();
  const ctx = { receivedAt: new Date('2025-03-03T12:00:00Z'), inputName: 'x' };
  const hostile: unknown[] = [
    null,
    {},
    { format: 'json', fields: null },
    { format: 'json', fields: { user_id: { nested: true } } },
    { format: 'json', fields: { timestamp: ['2025'] }, envelope: { kind: 'rfc5424', structuredData: { C2P: null } } },
    { format: 'cef', fields: { cs1Label: 'user', cs1: { x: 1 } }, header: { vendor: 42 } },
    { format: 'json', fields: Object.create({ inherited: 'x' }) as object },
  ];
  for (const record of hostile) {
    t.notThrows(() => normalizer.normalize(record as ParsedRecord, ctx));
  }
});
