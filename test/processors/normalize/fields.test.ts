import test from 'ava';
import { normalizeOk, record } from './helpers.js';

const leef = (fields: Record<string, string>) => record({ devTime: 'Mar 3 2025 9:04:05.123 +0100', ...fields }, { format: 'leef', header: { vendor: 'IBM', product: 'z/OS', eventId: '80' } });

// zSecure RACF `job=`: a 29-character prefix, then the jobname in 8 columns (blank-padded).
const PREFIX = 'RACINIT  SUCCESS   2025.062  '; // 29 characters
const fixedWidth: [string, string, string | undefined][] = [
  ['fixed-width record image', `${PREFIX}PAYROLL1 STEP1   `, 'PAYROLL1'],
  ['fixed-width, short jobname blank-padded', `${PREFIX}TSO     xyz`, 'TSO'],
  ['fixed-width ending right after the jobname', `${PREFIX}ABC`, 'ABC'],
  ['plain jobname taken whole', 'payroll', 'PAYROLL'],
  ['plain 8-character jobname', 'PAYROLL1', 'PAYROLL1'],
  ['neither a jobname nor a record image: ignored', 'SOME LONGER VALUE', undefined],
  ['blank columns: ignored', `${PREFIX}        `, undefined],
];

test('the fixed-width prefix in these tests is 29 characters', (t) => {
  t.is(PREFIX.length, 29);
});

for (const [name, value, expected] of fixedWidth) {
  test(`zSecure job=: ${name}`, (t) => {
    t.is(normalizeOk(t, leef({ job: value })).process?.name, expected);
  });
}

test('zSecure job= yields to jobname= when both are present', (t) => {
  t.is(normalizeOk(t, leef({ jobname: 'FIRST', job: `${PREFIX}SECOND  ` })).process?.name, 'FIRST');
});

const dsns: [string, Record<string, string>, { dsn?: string; dsn_member?: string }][] = [
  ['member split', { dsn: 'SYS1.PARMLIB(IEASYS00)' }, { dsn: 'SYS1.PARMLIB', dsn_member: 'IEASYS00' }],
  ['no member', { dsn: 'PROD.PAYROLL.DATA' }, { dsn: 'PROD.PAYROLL.DATA' }],
  ['national characters in the member', { dsn: 'USER.CLIST(#$@X1)' }, { dsn: 'USER.CLIST', dsn_member: '#$@X1' }],
  ['GDG relative generation is not a member', { dsn: 'PROD.GDG(+1)' }, { dsn: 'PROD.GDG(+1)' }],
  ['member longer than 8 is not a member', { dsn: 'A.B(TOOLONGNAME)' }, { dsn: 'A.B(TOOLONGNAME)' }],
  ['member from its own field', { dsn: 'SYS1.PROCLIB', member: 'JES2' }, { dsn: 'SYS1.PROCLIB', dsn_member: 'JES2' }],
  ['resource of class DATASET is the DSN', { resource: 'SYS1.PARMLIB(IEASYS00)', class: 'DATASET' }, { dsn: 'SYS1.PARMLIB', dsn_member: 'IEASYS00' }],
  ['resource of another class is not', { resource: 'IRR.PASSWORD.RESET', class: 'FACILITY' }, {}],
];

for (const [name, fields, expected] of dsns) {
  test(`DSN: ${name}`, (t) => {
    const zos = normalizeOk(t, record(fields)).zos ?? {};
    t.is(zos.dsn, expected.dsn);
    t.is(zos.dsn_member, expected.dsn_member);
  });
}

test('user ids, groups, job names and job ids are trimmed and upper-cased', (t) => {
  const doc = normalizeOk(t, record({ user_id: ' ibmuser ', group: 'sys1', job_name: 'payroll ', job_id: 'job00123', target_user: 'newuser' }));
  t.is(doc.user?.name, 'IBMUSER');
  t.is(doc.user?.group?.name, 'SYS1');
  t.is(doc.user?.target?.name, 'NEWUSER');
  t.is(doc.process?.name, 'PAYROLL');
  t.is(doc.zos?.job_id, 'JOB00123');
});

test('other keywords are kept as read, trimmed', (t) => {
  const doc = normalizeOk(t, record({ terminal: ' tcp00042 ', program: 'Iefbr14' }));
  t.is(doc.zos?.terminal, 'tcp00042');
  t.is(doc.zos?.program, 'Iefbr14');
});

test('numbers written as strings become numbers; non-numbers are left out', (t) => {
  const doc = normalizeOk(t, record({ racf_event_code: '2', racf_event_qualifier: 'x', remote_port: '0023', severity: '7' }));
  t.is(doc.zos?.racf?.event_code, 2);
  t.is(doc.zos?.racf?.event_qualifier, undefined);
  t.is(doc.source?.port, 23);
  t.is(doc.event.severity, 7);
});

test('numbers stay numbers in keyword fields as their decimal text', (t) => {
  const doc = normalizeOk(t, record({ dbid: 260, user_id: 12345 }));
  t.is(doc.zos?.db2?.dbid, '260');
  t.is(doc.user?.name, '12345');
});

test('host.name is the system id; the syslog hostname fills in when there is none', (t) => {
  const env = { kind: 'rfc3164' as const, hostname: 'MVSA', timestamp: 'Mar  3 09:04:05' };
  t.is(normalizeOk(t, record({ sysname: 'SYSA' }, { format: 'kv', envelope: env })).host.name, 'SYSA');
  t.is(normalizeOk(t, record({}, { format: 'kv', envelope: env })).host.name, 'MVSA');
  t.deepEqual(normalizeOk(t, record({})).host, {});
});

test('log.syslog comes from the envelope; RFC 5424 nil values are absent', (t) => {
  const doc = normalizeOk(
    t,
    record({}, { format: 'text', envelope: { kind: 'rfc5424', priority: 165, timestamp: '2025-03-03T09:04:05.000+01:00', hostname: 'SYSA', appName: 'zsecure', procId: '-', msgId: 'C2P0100' } }),
  );
  t.deepEqual(doc.log, { syslog: { priority: 165, facility: { code: 20 }, severity: { code: 5 }, hostname: 'SYSA', appname: 'zsecure', msgid: 'C2P0100' } });
  t.is(doc['@timestamp'], '2025-03-03T08:04:05.000Z');
  t.is(doc.smf.time_source, 'envelope');
});

test('observer comes from the LEEF/CEF header, event.code from its event id', (t) => {
  const doc = normalizeOk(t, record({ rt: '1741000000123' }, { format: 'cef', header: { version: '0', vendor: 'BMC Software', product: 'AMI Defender', productVersion: '3.1', eventId: '80', name: 'RACF logon', severity: 'High' } }));
  t.deepEqual(doc.observer, { vendor: 'BMC Software', product: 'AMI Defender', version: '3.1' });
  t.is(doc.event.code, '80');
  t.is(doc.event.severity, 8);
  t.is(doc.message, 'RACF logon');
  t.is(doc['@timestamp'], '2025-03-03T11:06:40.123Z');
});

test('zos.logon carries the logon wall-clock time in the configured zone', (t) => {
  const rec = record({ timestamp: '2025-03-03T22:30:00Z', user_id: 'u', racf_event_code: 1, racf_event_qualifier: 0 });
  t.deepEqual(normalizeOk(t, rec, { timezone: 'Europe/Berlin' }).zos?.logon, { time: '23:30', hour: '23' });
  t.deepEqual(normalizeOk(t, rec, { timezone: 'Asia/Tokyo' }).zos?.logon, { time: '07:30', hour: '07' });
});

test('no zos.logon for failed logons, logoffs or batch job initiation', (t) => {
  const base = { timestamp: '2025-03-03T22:30:00Z', user_id: 'u', racf_event_code: 1 };
  t.is(normalizeOk(t, record({ ...base, racf_event_qualifier: 1 })).zos?.logon, undefined);
  t.is(normalizeOk(t, record({ ...base, racf_event_qualifier: 8 })).zos?.logon, undefined);
  t.is(normalizeOk(t, record({ ...base, racf_event_qualifier: 0, job_id: 'JOB01234' })).zos?.logon, undefined);
});

test('the record text is the message; then a message field', (t) => {
  t.is(normalizeOk(t, record({ msg: 'from field' }, { text: 'free text' })).message, 'free text');
  t.is(normalizeOk(t, record({ msg: 'from field' })).message, 'from field');
});

test('missing time: receipt time, marked; or refused when so configured', (t) => {
  const doc = normalizeOk(t, record({ user_id: 'x' }));
  t.is(doc['@timestamp'], '2025-03-03T12:00:00.000Z');
  t.is(doc.event.created, '2025-03-03T12:00:00.000Z');
  t.is(doc.smf.time_source, 'received');
});

test('smf.format: RFC 5424 structured data with a free-text MSG is sd; IANA SD elements alone are not fields', (t) => {
  const env = { kind: 'rfc5424' as const, timestamp: '2025-03-03T09:04:05Z', msgId: 'C2P0101' };
  const alert = normalizeOk(t, record({}, { format: 'text', text: 'RACINIT success', envelope: { ...env, structuredData: { C2P0101: { whoUSERID: 'X' } } } }));
  t.is(alert.smf.format, 'sd');
  t.is(alert.message, 'RACINIT success');
  const meta = normalizeOk(t, record({}, { format: 'text', text: 'hello', envelope: { ...env, structuredData: { timeQuality: { tzKnown: '1' }, meta: { sequenceId: '7' } } } }));
  t.is(meta.smf.format, 'text');
  const kv = normalizeOk(t, record({ user: 'x' }, { format: 'kv', envelope: { ...env, structuredData: { C2P0101: { whoUSERID: 'X' } } } }));
  t.is(kv.smf.format, 'kv');
  t.is(normalizeOk(t, record({}, { format: 'text', text: 'x', envelope: { kind: 'rfc3164', timestamp: 'Mar  3 09:04:05' } })).smf.format, 'text');
});

test('volume serial, RACF profile and allowed access, Db2 IFCID and MQ queue manager', (t) => {
  const doc = normalizeOk(t, record({ timestamp: '2025-03-03T09:00:00Z', volser: 'USR001', racf_profile: 'PAY.**', allowed_access: 'read', db2_ssid: 'DB2P', db2_ifcid: '144', mq_qmgr: 'MQP1' }));
  t.is(doc.zos?.volser, 'USR001');
  t.deepEqual(doc.zos?.racf, { profile: 'PAY.**', allowed_access: 'READ' });
  t.deepEqual(doc.zos?.db2, { ssid: 'DB2P', ifcid: 144 });
  t.deepEqual(doc.zos?.mq, { queue_manager: 'MQP1' });
  t.is(normalizeOk(t, record({ db2_ifcid: 'n/a' })).zos?.db2, undefined);
});
