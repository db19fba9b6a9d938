// The smf-events-* mapping covers every field the normalizer emits and every field of EventDoc,
// with compatible types. Pure: reads mappings/ and the golden documents, no Elasticsearch.

import test from 'ava';
import { existsSync, readFileSync } from 'node:fs';
import type { EventDoc } from '../../processors/schema/event.js';
import { listGoldenInputs } from '../processors/normalize/golden-files.js';
import { documentProblems, effectiveMapping, loadTemplate, type FieldMapping } from './event-mapping.js';

const INDEX_TEMPLATE = 'smf-agent-events';
const mapping = effectiveMapping(INDEX_TEMPLATE);

type DeepRequired<T> = T extends readonly (infer U)[] ? DeepRequired<U>[] : T extends object ? { [K in keyof T]-?: DeepRequired<T[K]> } : T;

/** Every field of the schema set (tsc fails here when EventDoc gains a field this document lacks). */
const FULL: DeepRequired<EventDoc> = {
  '@timestamp': '2025-03-03T09:04:05.123Z',
  message: 'text',
  event: {
    kind: 'event', module: 'smf', dataset: 'smf.racf', category: ['authentication'], type: ['start'], action: 'logon',
    outcome: 'success', code: '80', severity: 3, created: '2025-03-03T12:00:00.000Z', original: 'LEEF:1.0|…',
  },
  user: { name: 'IBMUSER', full_name: 'IBM USER', group: { name: 'SYS1' }, target: { name: 'NEWUSER' } },
  source: { ip: '10.1.2.3', port: 1023, address: 'n/a', domain: 'ws1.example.com' },
  destination: { ip: '2001:db8::1', port: 23, address: 'n/a' },
  process: { name: 'PAYROLL' },
  host: { name: 'SYSA', hostname: 'sysa.example.com' },
  observer: { vendor: 'IBM', product: 'z/OS', version: '2.5', hostname: 'relay' },
  log: {
    syslog: { priority: 165, facility: { code: 20 }, severity: { code: 5 }, hostname: 'SYSA', appname: 'SMF80', msgid: 'C2P0100', procid: '42' },
    file: { path: '/var/log/smf.log' },
    offset: 123456789,
  },
  smf: { type: 80, subtype: 1, format: 'leef', profile: 'zsecure', time_source: 'record' },
  zos: {
    job_id: 'JOB01234', sysplex: 'PLEX1', lpar: 'LPAR1', terminal: 'TCP00042', dsn: 'SYS1.PARMLIB', dsn_member: 'IEASYS00',
    volser: 'SYSRES', resource: 'SYS1.PARMLIB', resource_class: 'DATASET', access: 'READ',
    racf: { event_code: 2, event_qualifier: 1, group: 'PAYGRP', profile: 'SYS1.**', allowed_access: 'NONE' },
    program: 'IEBGENER', step: 'STEP1',
    cics: { transaction: 'PAY1', file: 'PAYFILE', applid: 'CICSPRD1' },
    db2: { ssid: 'DB2P', ifcid: 141, auth_id: 'DBADMIN', grantor: 'DBADMIN', grantee: 'APPUSER', dbid: '260', table: 'PAYROLL.EMP' },
    mq: { queue_manager: 'MQP1', queue: 'PAY.REQUEST', channel: 'TO.PAYHUB' },
    ims: { id: 'IMSA', db_name: 'PAYDB', transaction: 'PAYTRAN' },
    vtam: { applid: 'TSO' },
    console: { command: 'V NET,INACT,ID=APPL1', name: 'CON1' },
    icsf: { service: 'CSNBENC' },
    logon: { time: '09:04', hour: '09' },
  },
  enrichment: { fields: ['user.name'], sources: ['tn3270-session'] },
  agent: { name: 'smf-agent', type: 'smf-agent', version: '0.1.0', id: 'a1' },
  data_stream: { type: 'logs', dataset: 'smf.racf', namespace: 'default' },
  labels: { site: 'dc1' },
};

for (const golden of listGoldenInputs()) {
  if (!existsSync(golden.expected)) continue; // a refusal: no document
  test(`every field of golden ${golden.name} is mapped with a compatible type`, (t) => {
    t.deepEqual(documentProblems(mapping, JSON.parse(readFileSync(golden.expected, 'utf8'))), []);
  });
}

test('every field of EventDoc is mapped with a compatible type', (t) => {
  t.deepEqual(documentProblems(mapping, FULL), []);
});

test('nothing is mapped that EventDoc cannot hold', (t) => {
  const docPaths = new Set<string>();
  const collect = (v: unknown, path: string): void => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) for (const [k, c] of Object.entries(v)) collect(c, path ? `${path}.${k}` : k);
    else docPaths.add(path);
  };
  collect(FULL, '');
  const mapped: string[] = [];
  const walk = (m: FieldMapping, path: string): void => {
    if (m.properties === undefined) {
      if (m.type !== 'object') mapped.push(path);
      return;
    }
    for (const [k, c] of Object.entries(m.properties)) walk(c, path ? `${path}.${k}` : k);
  };
  walk(mapping.root, '');
  t.deepEqual(mapped.filter((p) => !docPaths.has(p)), []);
});

test('the checker reports unmapped fields, objects on leaves and bad values', (t) => {
  const bad = { ...FULL, zos: { ...FULL.zos, nonsense: 'x' }, source: { ip: 'not-an-ip', port: 1.5 }, host: 'SYSA', '@timestamp': 'yesterday' };
  const problems = documentProblems(mapping, bad);
  t.true(problems.includes('zos.nonsense is not mapped'));
  t.true(problems.some((p) => p.startsWith('source.ip is ip')));
  t.true(problems.some((p) => p.startsWith('source.port is long')));
  t.true(problems.some((p) => p.startsWith('host is mapped as object')));
  t.true(problems.some((p) => p.startsWith('@timestamp is date')));
});

test('the event index template: plain indices on smf-events-*, composed of existing components, dynamic false', (t) => {
  const index = loadTemplate(INDEX_TEMPLATE);
  t.deepEqual(index.index_patterns, ['smf-events-*']);
  t.is(index.data_stream, undefined, 'plain indices: the test node may lack data streams');
  for (const name of index.composed_of ?? []) {
    const component = loadTemplate(name);
    t.is(component.index_patterns, undefined, `${name} must be a component template (no index_patterns)`);
    t.truthy(component._meta?.description, `${name} explains itself in _meta.description`);
  }
  t.truthy(index._meta?.description);
  t.is(mapping.root.dynamic, false);
  for (const ns of ['zos', 'smf', 'enrichment']) t.is(mapping.root.properties?.[ns]?.dynamic, false, ns);
  t.is(mapping.root.properties?.['@timestamp']?.type, 'date', 'data streams need @timestamp as date');
});
