import test from 'ava';
import { isSmfError } from '../../../agent/errors.js';
import { createNormalizer, type NormalizerOptions } from '../../../processors/normalize/index.js';
import type { ParsedRecord } from '../../../processors/schema/record.js';
import { RECEIVED_AT, normalizeOk, record } from './helpers.js';

const ctx = { receivedAt: RECEIVED_AT, inputName: 'test' };

test('an unreadable time is refused as bad_timestamp, naming field and value', (t) => {
  const result = createNormalizer().normalize(record({ devTime: 'sometime yesterday' }, { format: 'leef', header: { vendor: 'IBM' } }), ctx);
  t.deepEqual(result, { ok: false, code: 'bad_timestamp', reason: 'field "devTime" "sometime yesterday" is not a supported time' });
});

test('an unreadable record time falls back to a readable syslog time', (t) => {
  const doc = normalizeOk(t, record({ timestamp: 'bogus' }, { format: 'kv', envelope: { kind: 'rfc3164', timestamp: 'Mar  3 09:04:05' } }));
  t.is(doc['@timestamp'], '2025-03-03T09:04:05.000Z');
  t.is(doc.smf.time_source, 'envelope');
});

test('the record time wins over the syslog time', (t) => {
  const doc = normalizeOk(t, record({ timestamp: '2025-03-03T09:00:00Z' }, { format: 'kv', envelope: { kind: 'rfc3164', timestamp: 'Mar  3 09:04:05' } }));
  t.is(doc['@timestamp'], '2025-03-03T09:00:00.000Z');
  t.is(doc.smf.time_source, 'record');
});

test('missingTimestamp reject refuses a record without any time as no_timestamp', (t) => {
  const result = createNormalizer({ missingTimestamp: 'reject' }).normalize(record({ user_id: 'x' }), ctx);
  t.like(result, { ok: false, code: 'no_timestamp' });
});

test('an invalid receivedAt falls back to the injected clock', (t) => {
  const clock = () => new Date('2030-01-01T00:00:00Z');
  const result = createNormalizer({ clock }).normalize(record({}), { receivedAt: new Date(Number.NaN), inputName: 'x' });
  t.like(result, { ok: true, doc: { '@timestamp': '2030-01-01T00:00:00.000Z', event: { created: '2030-01-01T00:00:00.000Z' } } });
});

test('a record without a fields object is refused, not thrown', (t) => {
  const result = createNormalizer().normalize({ format: 'json' } as unknown as ParsedRecord, ctx);
  t.like(result, { ok: false, code: 'normalize_error' });
});

const badOptions: [string, unknown, string[]][] = [
  ['unknown profile', { profile: 'qradar' }, ['profile: "qradar" is not one of auto, zsecure, bmc, easysmf, cdp, generic']],
  ['unknown time zone', { timezone: 'Europe/Atlantis' }, ['timezone: "Europe/Atlantis" is not an IANA time zone']],
  ['bad missingTimestamp', { missingTimestamp: 'drop' }, ['missingTimestamp: "drop" is not one of received, reject']],
  ['unknown meaning', { aliases: { usr: ['x'] } }, ['aliases.usr: unknown meaning']],
  ['aliases not a list', { aliases: { user: 'x' } }, ['aliases.user: expected a list of field names']],
  ['blank alias', { aliases: { user: [''] } }, ['aliases.user[0]: "" is not a field name']],
  ['unknown option', { zone: 'UTC' }, ['zone: unknown option']],
  ['every problem at once', { profile: 'x', timezone: 'y', missingTimestamp: 'z' }, ['profile:', 'timezone:', 'missingTimestamp:']],
];

for (const [name, options, fragments] of badOptions) {
  test(`options are checked at creation: ${name}`, (t) => {
    const err = t.throws(() => createNormalizer(options as NormalizerOptions));
    t.true(isSmfError(err, 'SMF_ERR_CONFIG'));
    for (const f of fragments) t.true(err?.message.includes(f), `${err?.message} should include ${f}`);
  });
}

interface CatCase {
  name: string;
  fields: ParsedRecord['fields'];
  expected: { category?: string[]; type?: string[]; action?: string; outcome?: string };
}

const T = { timestamp: '2025-03-03T09:00:00Z' };
const categories: CatCase[] = [
  { name: 'RACF logon', fields: { ...T, smf_type: 80, racf_event_code: 1, racf_event_qualifier: 0 }, expected: { category: ['authentication'], type: ['start'], action: 'logon', outcome: 'success' } },
  { name: 'RACF logon, bad password', fields: { ...T, smf_type: 80, racf_event_code: 1, racf_event_qualifier: 1 }, expected: { category: ['authentication'], type: ['start'], action: 'logon', outcome: 'failure' } },
  { name: 'RACF logoff', fields: { ...T, smf_type: 80, racf_event_code: 1, racf_event_qualifier: 8 }, expected: { category: ['authentication'], type: ['end'], action: 'logoff', outcome: 'success' } },
  { name: 'RACF batch job initiation', fields: { ...T, racf_event_code: 1, racf_event_qualifier: 0, job_id: 'JOB00001' }, expected: { category: ['authentication'], type: ['start'], action: 'job-initiation', outcome: 'success' } },
  { name: 'RACF data set access violation', fields: { ...T, smf_type: 80, racf_event_code: 2, racf_event_qualifier: 1, dsn: 'SYS1.PARMLIB' }, expected: { category: ['file'], type: ['access'], action: 'dataset-access', outcome: 'failure' } },
  { name: 'RACF access in WARNING mode is a success', fields: { ...T, smf_type: 80, racf_event_code: 2, racf_event_qualifier: 3, resource: 'X.Y', class: 'DATASET' }, expected: { category: ['file'], type: ['access'], action: 'dataset-access', outcome: 'success' } },
  { name: 'RACF general resource access', fields: { ...T, smf_type: 80, racf_event_code: 2, racf_event_qualifier: 0, resource: 'IRR.X', class: 'FACILITY' }, expected: { category: ['iam'], type: ['info'], action: 'resource-access', outcome: 'success' } },
  { name: 'RACF ALTUSER', fields: { ...T, smf_type: 80, racf_event_code: 13, racf_event_qualifier: 0 }, expected: { category: ['iam'], type: ['user', 'change'], action: 'racf-altuser', outcome: 'success' } },
  { name: 'RACF SETROPTS refused', fields: { ...T, smf_type: 80, racf_event_code: 24, racf_event_qualifier: 1 }, expected: { category: ['configuration'], type: ['change'], action: 'racf-setropts', outcome: 'failure' } },
  { name: 'explicit outcome field wins', fields: { ...T, smf_type: 80, racf_event_code: 1, racf_event_qualifier: 0, outcome: '/Failure' }, expected: { category: ['authentication'], type: ['start'], action: 'logon', outcome: 'failure' } },
  { name: 'TSO session start (SMF 30.1, TSU job)', fields: { ...T, smf_type: 30, smf_subtype: 1, job_id: 'TSU01234' }, expected: { category: ['process', 'session'], type: ['start'], action: 'tso-logon', outcome: 'success' } },
  { name: 'TSO session end (SMF 30.5, TSU job)', fields: { ...T, smf_type: 30, smf_subtype: 5, job_id: 'TSU01234' }, expected: { category: ['process', 'session'], type: ['end'], action: 'tso-logoff', outcome: 'success' } },
  { name: 'batch job start: no outcome (the record does not say how it went)', fields: { ...T, smf_type: 30, smf_subtype: 1, job_id: 'JOB01234' }, expected: { category: ['process'], type: ['start'], action: 'job-start' } },
  { name: 'job end', fields: { ...T, smf_type: 30, smf_subtype: 5, job_id: 'JOB01234' }, expected: { category: ['process'], type: ['end'], action: 'job-end' } },
  { name: 'data set close (input)', fields: { ...T, smf_type: 14 }, expected: { category: ['file'], type: ['access'], action: 'dataset-read', outcome: 'success' } },
  { name: 'data set close (output)', fields: { ...T, smf_type: 15 }, expected: { category: ['file'], type: ['change'], action: 'dataset-write', outcome: 'success' } },
  { name: 'data set scratch', fields: { ...T, smf_type: 17 }, expected: { category: ['file'], type: ['deletion'], action: 'dataset-scratch', outcome: 'success' } },
  { name: 'data set I/O statistics: no outcome', fields: { ...T, smf_type: 42, smf_subtype: 6 }, expected: { category: ['file'], type: ['info'], action: 'dataset-activity' } },
  { name: 'TCP connection start', fields: { ...T, smf_type: 119, smf_subtype: 1 }, expected: { category: ['network'], type: ['connection', 'start'], action: 'tcp-connection-start' } },
  { name: 'TN3270 session start', fields: { ...T, smf_type: 119, smf_subtype: 20 }, expected: { category: ['network', 'session'], type: ['start'], action: 'tn3270-session-start', outcome: 'success' } },
  { name: 'TN3270 session end', fields: { ...T, smf_type: 119, smf_subtype: 21 }, expected: { category: ['network', 'session'], type: ['end'], action: 'tn3270-session-end', outcome: 'success' } },
  { name: 'FTP logon failure', fields: { ...T, smf_type: 119, smf_subtype: 72 }, expected: { category: ['authentication'], type: ['start'], action: 'ftp-logon-failure', outcome: 'failure' } },
  { name: 'console command', fields: { ...T, console_command: 'V NET,INACT,ID=X' }, expected: { category: ['process', 'configuration'], type: ['info'], action: 'console-command', outcome: 'success' } },
  { name: 'SessMon session', fields: { ...T, stream: 'SESSMON', user_id: 'X', vtam_applid: 'TSOA' }, expected: { category: ['session'], type: ['info'], action: 'vtam-session' } },
  { name: 'CICS', fields: { ...T, smf_type: 110, cics_transaction: 'PAY1' }, expected: { category: ['web'], type: ['access'], action: 'cics-transaction' } },
  { name: 'Db2 grant', fields: { ...T, smf_type: 102, grantor: 'DBA1', grantee: 'USER1' }, expected: { category: ['database', 'iam'], type: ['change'], action: 'db2-authorization-change' } },
  { name: 'Db2 GRANT by IFCID 141', fields: { ...T, smf_type: 102, ifcid: 141, grantor: 'DBA1' }, expected: { category: ['database', 'iam'], type: ['change'], action: 'db2-authorization-change' } },
  { name: 'Db2 first read (IFCID 144): a grantor does not make it a grant', fields: { ...T, smf_type: 102, db2_ifcid: '144', grantor: 'SYSADM' }, expected: { category: ['database'], type: ['access'], action: 'db2-read' } },
  { name: 'Db2 DML (IFCID 145)', fields: { ...T, smf_type: 102, db2_ifcid: 145, grantor: 'SYSADM' }, expected: { category: ['database'], type: ['access'], action: 'db2-dml' } },
  { name: 'Db2 authorization failure (IFCID 140)', fields: { ...T, smf_type: 102, db2_ifcid: 140 }, expected: { category: ['database', 'iam'], type: ['access'], action: 'db2-authorization-failure', outcome: 'failure' } },
  { name: 'Db2 other IFCID with a grantor: plain audit', fields: { ...T, smf_type: 102, db2_ifcid: 146, grantor: 'SYSADM' }, expected: { category: ['database'], type: ['access'], action: 'db2-audit' } },
  { name: 'MQ', fields: { ...T, smf_type: 116, queue: 'Q1' }, expected: { category: ['database'], type: ['access'], action: 'mq-access' } },
  { name: 'IMS', fields: { ...T, ims_id: 'IMSA' }, expected: { category: ['database'], type: ['access'], action: 'ims-access' } },
  { name: 'source action used when nothing is derived', fields: { ...T, action: 'custom-thing' }, expected: { action: 'custom-thing' } },
  { name: 'nothing known: nothing set', fields: { ...T }, expected: {} },
];

for (const c of categories) {
  test(`categorize: ${c.name}`, (t) => {
    const e = normalizeOk(t, record(c.fields)).event;
    t.deepEqual({ category: e.category, type: e.type, action: e.action, outcome: e.outcome }, { category: undefined, type: undefined, action: undefined, outcome: undefined, ...c.expected });
  });
}

test('documents do not share category arrays with the categorisation tables', (t) => {
  const fields = { ...T, smf_type: 102, db2_ifcid: 144 };
  const first = normalizeOk(t, record(fields));
  first.event.category?.push('mutated');
  t.deepEqual(normalizeOk(t, record(fields)).event.category, ['database']);
});

