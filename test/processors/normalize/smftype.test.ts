import test from 'ava';
import { parseSmfToken } from '../../../processors/normalize/smftype.js';
import type { ParsedRecord } from '../../../processors/schema/record.js';
import { normalizeOk, record } from './helpers.js';

const tokens: [string | number, { type?: number; subtype?: number } | undefined][] = [
  ['80', { type: 80 }],
  ['119-12', { type: 119, subtype: 12 }],
  ['119_20', { type: 119, subtype: 20 }],
  ['080', { type: 80 }],
  ['SMF80', { type: 80 }],
  ['SMF119', { type: 119 }],
  ['smf_080', { type: 80 }],
  ['SMF_030_5', { type: 30, subtype: 5 }],
  ['zOS-SMF80', { type: 80 }],
  [30, { type: 30 }],
  [0, { type: 0 }],
  ['4625', undefined], // a Windows-style CEF signature id is not an SMF type
  ['256', undefined],
  [256, undefined],
  [-5, undefined],
  ['-5', undefined],
  ['C2P0100', undefined],
  ['RACF-LOGON', undefined],
  ['', undefined],
];

for (const [input, expected] of tokens) {
  test(`parseSmfToken(${JSON.stringify(input)})`, (t) => {
    t.deepEqual(parseSmfToken(input), expected);
  });
}

const derivations: { name: string; rec: ParsedRecord; type?: number; subtype?: number; dataset: string }[] = [
  { name: 'LEEF EventID type-subtype', rec: record({ devTime: '2025-03-03T09:00:00Z' }, { format: 'leef', header: { vendor: 'IBM', eventId: '119-12' } }), type: 119, subtype: 12, dataset: 'smf.tcpip' },
  { name: 'LEEF EventID type only', rec: record({}, { format: 'leef', header: { vendor: 'IBM', eventId: '80' } }), type: 80, dataset: 'smf.racf' },
  { name: 'CEF signature id', rec: record({}, { format: 'cef', header: { vendor: 'BMC', eventId: 'SMF30' } }), type: 30, dataset: 'smf.job' },
  { name: 'CDP stream name', rec: record({ DATASTREAM: 'SMF_030_5' }, { format: 'csv' }), type: 30, subtype: 5, dataset: 'smf.job' },
  { name: 'syslog tag', rec: record({}, { format: 'tagged', envelope: { kind: 'rfc3164', appName: 'SMF119' } }), type: 119, dataset: 'smf.tcpip' },
  { name: 'EasySMF recordType/subType as numbers', rec: record({ recordType: 30, subType: 5 }), type: 30, subtype: 5, dataset: 'smf.job' },
  { name: 'recordType/subType as strings', rec: record({ recordType: '14', subType: '0' }), type: 14, subtype: 0, dataset: 'smf.dataset' },
  { name: 'field wins over header', rec: record({ smf_type: '110' }, { format: 'leef', header: { eventId: '80' } }), type: 110, dataset: 'smf.cics' },
  { name: 'IBM field-name prefix as last resort', rec: record({ 'identificationSection.smf82jbn': 'CSFJOB' }), type: 82, dataset: 'smf.icsf' },
  { name: 'Db2', rec: record({ smf_type: 102 }), type: 102, dataset: 'smf.db2' },
  { name: 'MQ', rec: record({ smf_type: 116 }), type: 116, dataset: 'smf.mq' },
  { name: 'RACF 83', rec: record({ smf_type: 83 }), type: 83, dataset: 'smf.racf' },
  { name: 'data set 61–66', rec: record({ smf_type: 64 }), type: 64, dataset: 'smf.dataset' },
  { name: 'unknown type → other', rec: record({ smf_type: 70 }), type: 70, dataset: 'smf.other' },
  { name: 'console by syslog tag', rec: record({}, { format: 'tagged', envelope: { kind: 'rfc3164', appName: 'Console' } }), dataset: 'smf.console' },
  { name: 'JOBLOG by syslog tag', rec: record({}, { format: 'tagged', envelope: { kind: 'rfc3164', appName: 'JOBLOG' } }), dataset: 'smf.job' },
  { name: 'IMS by fields', rec: record({ ims_id: 'IMSA' }), dataset: 'smf.ims' },
  { name: 'console by command field', rec: record({ console_command: 'D A,L' }), dataset: 'smf.console' },
  { name: 'nothing known', rec: record({ foo: 'bar' }), dataset: 'smf.other' },
  { name: 'SessMon by syslog tag', rec: record({}, { format: 'kv', envelope: { kind: 'rfc3164', appName: 'SessMon' } }), dataset: 'smf.sessmon' },
  { name: 'SessMon by converter stream', rec: record({ stream: 'SESSMON' }), dataset: 'smf.sessmon' },
  { name: 'SessMon by LEEF EventID', rec: record({}, { format: 'leef', header: { vendor: 'IBM', eventId: 'SESSMON' } }), dataset: 'smf.sessmon' },
  { name: 'BMC tag with subtype', rec: record({}, { format: 'kv', envelope: { kind: 'rfc3164', appName: 'SMF119_20' } }), type: 119, subtype: 20, dataset: 'smf.tcpip' },
  ...(
    [
      ['C2P0101', 80, undefined, 'smf.racf'],
      ['C2P0111', 80, undefined, 'smf.racf'],
      ['C2P0130', 30, 1, 'smf.job'],
      ['C2P0133', 30, 5, 'smf.job'],
      ['C2P0142', 42, 6, 'smf.dataset'],
      ['C2P0150', 119, 20, 'smf.tcpip'],
      ['C2P0170', 102, undefined, 'smf.db2'],
      ['C2P0200I', 82, 31, 'smf.icsf'], // a trailing message-type letter is allowed
      ['C2P0190', undefined, undefined, 'smf.ims'],
      ['C2P0210', undefined, undefined, 'smf.console'],
      ['C2P0220', undefined, undefined, 'smf.sessmon'],
      ['C2P1103I', undefined, undefined, 'smf.other'], // not in the table: no type, as before
      ['C2P0100', undefined, undefined, 'smf.other'],
    ] as const
  ).map(([msgId, type, subtype, dataset]) => ({
    name: `zSecure Alert ${msgId}`,
    rec: record({}, { format: 'text', envelope: { kind: 'rfc5424', timestamp: '2025-03-03T09:00:00Z', appName: 'C2POLICE', msgId } }),
    ...(type === undefined ? {} : { type }),
    ...(subtype === undefined ? {} : { subtype }),
    dataset,
  })),
  {
    name: 'a C2P number in an RFC 3164 tag is not an alert',
    rec: record({}, { format: 'text', envelope: { kind: 'rfc3164', timestamp: 'Mar  3 09:00:00', appName: 'C2P0150' } }),
    dataset: 'smf.other',
  },
];

for (const c of derivations) {
  test(`SMF type and dataset: ${c.name}`, (t) => {
    const doc = normalizeOk(t, c.rec);
    t.is(doc.smf.type, c.type);
    t.is(doc.smf.subtype, c.subtype);
    t.is(doc.event.dataset, c.dataset);
  });
}
