import test from 'ava';
import type { ConcreteProfile } from '../../../processors/normalize/index.js';
import { detectProfile } from '../../../processors/normalize/profile.js';
import type { ParsedRecord } from '../../../processors/schema/record.js';
import { normalizeOk, record } from './helpers.js';

const cases: [string, ParsedRecord, ConcreteProfile][] = [
  ['LEEF from IBM', record({ usrName: 'X' }, { format: 'leef', header: { vendor: 'IBM', product: 'z/OS', eventId: '80' } }), 'zsecure'],
  ['LEEF from IBM Security zSecure', record({}, { format: 'leef', header: { vendor: 'IBM Security', product: 'zSecure' } }), 'zsecure'],
  ['LEEF from BMC', record({}, { format: 'leef', header: { vendor: 'BMC' } }), 'bmc'],
  ['CEF from BMC Software', record({}, { format: 'cef', header: { vendor: 'BMC Software', product: 'AMI Defender' } }), 'bmc'],
  ['CEF from another vendor', record({}, { format: 'cef', header: { vendor: 'ArcSight' } }), 'generic'],
  [
    'zSecure Alert RFC 5424 by SD-ID',
    record({}, { format: 'text', envelope: { kind: 'rfc5424', msgId: '-', structuredData: { C2P0100: { whoUSERID: 'IBMUSER' } } } }),
    'zsecure',
  ],
  ['zSecure Alert RFC 5424 by MSGID', record({}, { format: 'text', envelope: { kind: 'rfc5424', msgId: 'C2P0301' } }), 'zsecure'],
  ['RFC 5424 from something else', record({ user: 'x' }, { format: 'kv', envelope: { kind: 'rfc5424', msgId: 'ID47' } }), 'generic'],
  ['BMC syslog tag SMF80', record({ User: 'X' }, { format: 'kv', envelope: { kind: 'rfc3164', appName: 'SMF80' } }), 'bmc'],
  ['BMC syslog tag Console', record({}, { format: 'text', envelope: { kind: 'rfc3164', appName: 'Console' } }), 'bmc'],
  ['BMC syslog tag with subtype SMF119_20', record({ Jobname: 'X' }, { format: 'kv', envelope: { kind: 'rfc3164', appName: 'SMF119_20' } }), 'bmc'],
  ['BMC syslog tag IMS', record({ User: 'X' }, { format: 'kv', envelope: { kind: 'rfc3164', appName: 'IMS' } }), 'bmc'],
  ['BMC syslog tag SessMon', record({ User: 'X' }, { format: 'kv', envelope: { kind: 'rfc3164', appName: 'SessMon' } }), 'bmc'],
  ['3164 with another tag', record({ user: 'x' }, { format: 'kv', envelope: { kind: 'rfc3164', appName: 'sshd' } }), 'generic'],
  ['tagged payload', record({ User: 'X' }, { format: 'tagged' }), 'bmc'],
  ['EasySMF JSON', record({ recordType: 30, subType: 5, smfDateTime: '2025-03-03T09:04:05.45', system: 'SYSA' }), 'easysmf'],
  ['JSON with only recordType', record({ recordType: 30 }), 'generic'],
  ['CDP CSV', record({ SMF30JBN: 'PAYROLL', SMFID: 'SYSA' }, { format: 'csv' }), 'cdp'],
  ['CDP CSV by stream column', record({ DATASTREAM: 'SMF_080' }, { format: 'csv' }), 'cdp'],
  ['other CSV', record({ user_id: 'X' }, { format: 'csv' }), 'generic'],
  ['snake_case JSON', record({ user_id: 'x', job_name: 'y', smf_system_id: 'SYSA' }), 'generic'],
];

for (const [name, rec, expected] of cases) {
  test(`auto profile: ${name} → ${expected}`, (t) => {
    t.is(detectProfile(rec), expected);
    t.is(normalizeOk(t, rec).smf.profile, expected);
  });
}

test('a configured profile is used as is and only its aliases apply', (t) => {
  const rec = record({ user_id: 'conv', usrName: 'leef' }, { format: 'leef', header: { vendor: 'IBM' } });
  t.is(normalizeOk(t, rec, { profile: 'generic' }).user?.name, 'CONV');
  t.is(normalizeOk(t, rec, { profile: 'zsecure' }).user?.name, 'LEEF');
  t.is(normalizeOk(t, record({ user_id: 'conv' }), { profile: 'bmc' }).user, undefined);
});

test('user aliases extend and win over the profile, matched case-insensitively', (t) => {
  const rec = record({ usrName: 'FROMLEEF', MyUser: 'mine' }, { format: 'leef', header: { vendor: 'IBM' } });
  t.is(normalizeOk(t, rec, { aliases: { user: ['myuser'] } }).user?.name, 'MINE');
});

test('aliases match the last segment of flattened JSON keys', (t) => {
  const doc = normalizeOk(t, record({ recordType: 30, smfDateTime: '2025-03-03T09:04:05.45', 'identificationSection.smf30jbn': 'payroll' }));
  t.is(doc.process?.name, 'PAYROLL');
});

test('alias order decides when two source fields carry the same meaning', (t) => {
  const doc = normalizeOk(t, record({ username: 'second', user_id: 'first' }));
  t.is(doc.user?.name, 'FIRST');
});

test('a blank value lets the next alias win', (t) => {
  const doc = normalizeOk(t, record({ user_id: '   ', userid: 'next' }));
  t.is(doc.user?.name, 'NEXT');
});

test('CEF custom strings are read through their labels', (t) => {
  const doc = normalizeOk(t, record({ cs1Label: 'Job Name', cs1: 'payroll', cs2Label: 'DSN', cs2: 'SYS1.PARMLIB' }, { format: 'cef', header: { vendor: 'BMC Software' } }));
  t.is(doc.process?.name, 'PAYROLL');
  t.is(doc.zos?.dsn, 'SYS1.PARMLIB');
});

test('RFC 5424 SD params are fields too', (t) => {
  const doc = normalizeOk(
    t,
    record({}, {
      format: 'text',
      envelope: { kind: 'rfc5424', timestamp: '2025-03-03T09:04:05Z', msgId: 'C2P0100', structuredData: { C2P0100: { whoUSERID: 'ibmuser', whatJOBNAME: 'tsoappl', fromWhereSRCIP: '10.1.2.3', whereSYSTEM: 'SYSA' } } },
    }),
  );
  t.is(doc.user?.name, 'IBMUSER');
  t.is(doc.process?.name, 'TSOAPPL');
  t.is(doc.source?.ip, '10.1.2.3');
  t.is(doc.host.name, 'SYSA');
  t.is(doc.event.code, 'C2P0100');
});

test('profile-only names: zSecure prof/allow/sum and CDP SMF 110 columns are not in generic', (t) => {
  const leef = { prof: 'PAY.**', allow: 'none', sum: 'Insufficient authority', desc: 'Violation', evtCode: 2, evtQual: 1, dsn: 'PAY.DATA' };
  const zsecure = normalizeOk(t, record(leef, { format: 'leef', header: { vendor: 'IBM', eventId: '80' } }));
  t.deepEqual(zsecure.zos?.racf, { event_code: 2, event_qualifier: 1, profile: 'PAY.**', allowed_access: 'NONE' });
  t.is(zsecure.message, 'Insufficient authority');
  t.is(zsecure.event.outcome, 'failure');
  const generic = normalizeOk(t, record({ prof: 'x', allow: 'y', sum: '42', TERM: 'xterm', TRAN: 'x', PGMNAME: 'y' }));
  t.is(generic.zos, undefined);
  t.is(generic.message, undefined);
  const cdp = normalizeOk(t, record({ DATASTREAM: 'SMF_110', SMFID: 'SYSA', USERID: 'clerk1', TERM: 'A00E', TRAN: 'PAY1', PGMNAME: 'PAY1P001', FILENAME: 'CUSTMAS' }, { format: 'csv' }));
  t.is(cdp.user?.name, 'CLERK1');
  t.is(cdp.zos?.terminal, 'A00E');
  t.is(cdp.zos?.program, 'PAY1P001');
  t.deepEqual(cdp.zos?.cics, { transaction: 'PAY1', file: 'CUSTMAS' });
});

test('EasySMF names given with their section match only that section', (t) => {
  const base = { recordType: 110, subType: 1, system: 'SYSA', smfDateTime: '2025-03-03T09:04:05.45' };
  const doc = normalizeOk(t, record({ ...base, 'performanceSection.userid': 'clerk1', 'performanceSection.tran': 'PAY1', 'fileSection.filename': 'CUSTMAS' }));
  t.is(doc.user?.name, 'CLERK1');
  t.deepEqual(doc.zos?.cics, { transaction: 'PAY1', file: 'CUSTMAS' });
  const other = normalizeOk(t, record({ ...base, 'otherSection.tran': 'PAY1', 'otherSection.filename': 'CUSTMAS' }));
  t.is(other.zos?.cics, undefined);
});

test('EasySMF RACF relocate section: a DATASET resource is the DSN', (t) => {
  const doc = normalizeOk(
    t,
    record({
      recordType: 80,
      system: 'SYSA',
      smfDateTime: '2025-03-03T09:04:05.45',
      'racfHeader.smf80evt': 2,
      'racfHeader.smf80evq': 1,
      'relocateSection.className': 'DATASET',
      'relocateSection.resourceName': 'SYS1.PARMLIB',
      'relocateSection.memberName': 'IEASYS00',
      'relocateSection.accessIntent': 'UPDATE',
    }),
  );
  t.is(doc.zos?.dsn, 'SYS1.PARMLIB');
  t.is(doc.zos?.dsn_member, 'IEASYS00');
  t.is(doc.zos?.access, 'UPDATE');
  t.is(doc.event.action, 'dataset-access');
  t.is(doc.event.outcome, 'failure');
});

test('QWHSSSID is the Db2 subsystem in SMF 102 and the queue manager in SMF 116', (t) => {
  const base = { system: 'SYSA', smfDateTime: '2025-03-03T09:04:05.45', 'productSection.qwhsssid': 'SSID', 'correlationSection.qwhcaid': 'user1', 'correlationSection.qwhccv': 'job1' };
  const db2 = normalizeOk(t, record({ ...base, recordType: 102, 'auditSection.ifcid': 144 }));
  t.deepEqual(db2.zos?.db2, { ssid: 'SSID', ifcid: 144 });
  t.is(db2.zos?.mq, undefined);
  t.is(db2.user?.name, 'USER1');
  t.is(db2.process?.name, 'JOB1');
  const mq = normalizeOk(t, record({ ...base, recordType: 116, subType: 1, 'queueSection.wqobjnam': 'PAY.REQUEST' }));
  t.deepEqual(mq.zos?.mq, { queue_manager: 'SSID', queue: 'PAY.REQUEST' });
  t.is(mq.zos?.db2, undefined);
});
