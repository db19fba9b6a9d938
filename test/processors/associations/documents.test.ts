import test from 'ava';
import { readFileSync } from 'node:fs';
import { parseDefinitions } from '../../../processors/associations/definition.js';
import {
  definitionDocument,
  failedDefinitionDocument,
  failedDefinitions,
  pairDocId,
  pairDocument,
} from '../../../processors/associations/documents.js';
import type { PairState, SummaryState } from '../../../processors/associations/state.js';
import { shippedDefinitions } from './helpers.js';

const { definitions } = shippedDefinitions();
const userDsn = definitions.find((d) => d.id === 'userid-dsn')!;
const at = (iso: string) => Date.parse(iso);

const pair: PairState = {
  def: 'userid-dsn', v1: 'IBMUSER', v2: 'SYS1.PARMLIB',
  firstSeen: at('2025-03-29T10:00:00Z'), lastSeen: at('2025-03-30T09:15:00Z'),
  day: '2025-03-30', todayCount: 3, historyCount: 7, recentDays: 3,
};
const summary: SummaryState = {
  def: 'userid-dsn', day: '2025-03-30', lastMessage: at('2025-03-30T09:15:00Z'),
  uniqueToday: 2, uniqueHistory: 5, messagesToday: 4, messagesHistory: 11, droppedPairs: 1, droppedMessages: 2,
};

test('pair document ids are stable 128-bit hashes of definition and both values', (t) => {
  t.is(pairDocId('userid-dsn', 'IBMUSER', 'SYS1.PARMLIB'), 'i8ZlqU7SaXQ0sgg6Dx3txA', 'must never change between releases');
  t.regex(pairDocId('a', 'b', 'c'), /^[A-Za-z0-9_-]{22}$/);
  t.not(pairDocId('d', 'AB', 'C'), pairDocId('d', 'A', 'BC'), 'the separator keeps value boundaries');
  t.not(pairDocId('d', 'A', 'B'), pairDocId('d', 'B', 'A'));
  t.not(pairDocId('d1', 'A', 'B'), pairDocId('d2', 'A', 'B'));
});

test('a pair document carries the Associations tab columns of one pair', (t) => {
  t.deepEqual(pairDocument(userDsn, pair, '2025-03-30'), {
    index: 'smf-associations',
    id: 'i8ZlqU7SaXQ0sgg6Dx3txA',
    doc: {
      '@timestamp': '2025-03-30T09:15:00.000Z',
      association: {
        definition: { id: 'userid-dsn', name: 'Userid and DSN' },
        field1: { label: 'Userid', value: 'IBMUSER' },
        field2: { label: 'DSN', value: 'SYS1.PARMLIB' },
        first_seen: '2025-03-29T10:00:00.000Z',
        last_seen: '2025-03-30T09:15:00.000Z',
        day: '2025-03-30',
        count: { today: 3, history: 7 },
      },
    },
  });
  t.is(pairDocument(userDsn, pair, '2025-03-31').doc.association.count.today, 0, 'Today reads as 0 the next day');
});

test('a definition document carries its summary columns, Today as of the given day', (t) => {
  const now = at('2025-03-30T12:00:00Z');
  const doc = definitionDocument(userDsn, summary, '2025-03-30', now);
  t.is(doc.index, 'smf-association-definitions');
  t.is(doc.id, 'userid-dsn');
  t.like(doc.doc.association, {
    definition: { id: 'userid-dsn', name: 'Userid and DSN', enabled: true, source: 'config/associations/userid-dsn.yaml', field1: { label: 'Userid' }, field2: { label: 'DSN' } },
    status: 'ok',
    last_message: '2025-03-30T09:15:00.000Z',
    day: '2025-03-30',
    unique: { today: 2, history: 5 },
    messages: { today: 4, history: 11 },
    retention: { dropped_pairs: 1, dropped_messages: 2 },
  });
  t.is(doc.doc['@timestamp'], '2025-03-30T12:00:00.000Z');
  t.false('error' in doc.doc.association);
  t.like(definitionDocument(userDsn, summary, '2025-03-31', now).doc.association, { unique: { today: 0, history: 5 }, messages: { today: 0, history: 11 } });
  const fresh = definitionDocument(userDsn, undefined, '2025-03-30', now).doc.association;
  t.deepEqual([fresh.unique, fresh.messages, fresh.last_message], [{ today: 0, history: 0 }, { today: 0, history: 0 }, undefined]);
});

test('a definition that cannot be loaded gets an error row that keeps its counts', (t) => {
  const fields = 'field1: { label: A, from: { path: user.name } }\nfield2: { label: B, from: { path: zos.dsn } }\n';
  const r = parseDefinitions([
    { name: 'userid-dsn.yaml', text: `id: userid-dsn\nname: X\nenabled: yes\n${fields}filter: { patterns: { path: zos.dsn, list: nope } }\n` },
    { name: 'ok.yaml', text: `id: ok\nname: Ok\n${fields}` },
    { name: 'ok2.yaml', text: `id: ok\nname: Dup\n${fields}` },
  ], {});
  const failed = failedDefinitions(r.errors, new Set(r.definitions.map((d) => d.id)));
  t.deepEqual([...failed.keys()], ['userid-dsn'], 'the duplicate of a loaded id does not replace its row');
  const doc = failedDefinitionDocument('userid-dsn', failed.get('userid-dsn')!, summary, '2025-03-30', at('2025-03-30T12:00:00Z'));
  t.is(doc.id, 'userid-dsn');
  t.is(doc.doc.association.status, 'error');
  t.deepEqual(doc.doc.association.definition, { id: 'userid-dsn', name: 'userid-dsn', source: 'userid-dsn.yaml' });
  t.is(doc.doc.association.error?.split('\n').length, 2);
  t.regex(doc.doc.association.error ?? '', /enabled: Invalid input: expected boolean/);
  t.regex(doc.doc.association.error ?? '', /filter\.patterns\.list: unknown pattern list 'nope'/);
  t.like(doc.doc.association, { unique: { today: 2, history: 5 }, messages: { today: 4, history: 11 } });
});

type Mapping = { type?: string; properties?: Record<string, Mapping> };
function mappedType(mapping: Mapping, path: string[]): string | undefined {
  let m: Mapping | undefined = mapping;
  for (const p of path) m = m?.properties?.[p];
  return m?.type;
}
function leaves(value: unknown, prefix: string[] = []): [string[], unknown][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...prefix, k]));
  }
  return [[prefix, value]];
}
function template(name: string): { index_patterns: string[]; template: { mappings: Mapping & { dynamic: string } } } {
  return JSON.parse(readFileSync(new URL(`../../../mappings/${name}`, import.meta.url), 'utf8'));
}

test('every field of both documents is mapped, with a type that fits its value', (t) => {
  const expectType = (v: unknown, path: string[]) =>
    typeof v === 'number' ? ['long'] : typeof v === 'boolean' ? ['boolean'] : /(^@timestamp$|_seen$|last_message$|^day$)/.test(path.at(-1) ?? '') ? ['date'] : ['keyword', 'text'];
  const cases: [string, string, object][] = [
    ['associations.json', 'smf-associations*', pairDocument(userDsn, pair, '2025-03-30').doc],
    ['association-definitions.json', 'smf-association-definitions*', definitionDocument(userDsn, summary, '2025-03-30', 0).doc],
    ['association-definitions.json', 'smf-association-definitions*', failedDefinitionDocument('x', [{ code: 'SMF_ERR_DEFINITION', source: 's', id: 'x', key: '', line: 1, problem: 'p', message: 'm' }], summary, '2025-03-30', 0).doc],
  ];
  for (const [file, pattern, doc] of cases) {
    const tpl = template(file);
    t.deepEqual(tpl.index_patterns, [pattern]);
    t.is(tpl.template.mappings.dynamic, 'strict');
    for (const [path, value] of leaves(doc)) {
      const type = mappedType(tpl.template.mappings, path);
      t.true(type !== undefined && expectType(value, path).includes(type), `${file}: ${path.join('.')} mapped as ${type}`);
    }
  }
});
