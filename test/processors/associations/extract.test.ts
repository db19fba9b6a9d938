import test from 'ava';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isEventPath } from '../../../processors/associations/event-paths.js';
import { nthField } from '../../../processors/associations/extract.js';
import { observe } from '../../../processors/associations/engine.js';
import { defineOne, makeEvent } from './helpers.js';

/** The pair one definition (field1 = user.name unless given) yields for an event, or undefined. */
function pairFor(field2: string, event = makeEvent(), field1 = '{ path: user.name }', filter = '', lists = {}) {
  const defs = defineOne(`id: t\nname: T\nfield1: { label: A, from: ${field1} }\nfield2: { label: B, from: ${field2} }\n${filter}`, lists);
  const obs = observe(defs, event);
  return obs.length === 0 ? undefined : [obs[0]?.v1, obs[0]?.v2];
}

const user = { user: { name: 'IBMUSER' } };

test('path reads a field; numbers become text; absent or empty means no association', (t) => {
  t.deepEqual(pairFor('{ path: zos.dsn }', makeEvent({ ...user, zos: { dsn: 'SYS1.PARMLIB' } })), ['IBMUSER', 'SYS1.PARMLIB']);
  t.deepEqual(pairFor('{ path: smf.type }', makeEvent(user)), ['IBMUSER', '80']);
  t.is(pairFor('{ path: zos.dsn }', makeEvent(user)), undefined);
  t.is(pairFor('{ path: zos.dsn }', makeEvent({ ...user, zos: { dsn: '' } })), undefined);
  t.is(pairFor('{ path: zos.dsn }', makeEvent({ zos: { dsn: 'A.B' } })), undefined, 'field 1 absent');
  t.is(pairFor('{ path: event.category }', makeEvent({ ...user, event: { category: ['iam'] } })), undefined, 'arrays are not values');
});

test('labels.<key> paths read free-form labels', (t) => {
  t.deepEqual(pairFor('{ path: labels.site }', makeEvent({ ...user, labels: { site: 'DC1' } })), ['IBMUSER', 'DC1']);
});

test('regex takes group 1 by default, the whole match when there is no group, or the named group', (t) => {
  const ev = makeEvent({ ...user, message: 'ICH408I USER(IBMUSER ) GROUP(SYS1) NAME(X) PAYROLL.MASTER CL(DATASET )' });
  t.deepEqual(pairFor(`{ path: message, regex: 'GROUP\\(([^)]+)\\)' }`, ev), ['IBMUSER', 'SYS1']);
  t.deepEqual(pairFor(`{ path: message, regex: 'ICH\\d+I' }`, ev), ['IBMUSER', 'ICH408I']);
  t.deepEqual(pairFor(`{ path: message, regex: 'CL\\((?<cls>\\w+) *\\)', group: cls }`, ev), ['IBMUSER', 'DATASET']);
  t.deepEqual(pairFor(`{ path: message, regex: '(NAME)\\((\\w+)\\)', group: 2 }`, ev), ['IBMUSER', 'X']);
  t.deepEqual(pairFor(`{ path: message, regex: 'payroll\\.\\w+', flags: i }`, ev), ['IBMUSER', 'PAYROLL.MASTER']);
  t.is(pairFor(`{ path: message, regex: 'NOMATCH(\\w+)' }`, ev), undefined);
  t.is(pairFor(`{ path: message, regex: 'ICH|(Z)' }`, ev), undefined, 'an unmatched group is absent');
});

test('columns are 1-based and inclusive; trailing blanks are padding; short text is absent', (t) => {
  // A fixed-width RACF job field: the jobname is the 8 characters after a 29-character prefix.
  const job = 'JOBNAME=XXXXXXXX  JOBID=J0001PAYJOB1 ';
  const ev = makeEvent({ ...user, labels: { job } });
  t.deepEqual(pairFor('{ path: labels.job, columns: [30, 37] }', ev), ['IBMUSER', 'PAYJOB1']);
  t.deepEqual(pairFor('{ path: labels.job, columns: [1, 7] }', ev), ['IBMUSER', 'JOBNAME']);
  t.deepEqual(pairFor('{ path: labels.job, columns: [35, 60] }', ev), ['IBMUSER', 'B1']);
  t.is(pairFor('{ path: labels.job, columns: [39, 45] }', ev), undefined, 'start beyond the text');
  t.is(pairFor('{ path: labels.job, columns: [37, 37] }', ev), undefined, 'only padding');
});

test('split takes the n-th field, negative from the end, absent when out of range', (t) => {
  const ev = makeEvent({ ...user, zos: { dsn: 'PROD.PAYROLL.MASTER' } });
  t.deepEqual(pairFor('{ path: zos.dsn, split: { separator: ., index: 0 } }', ev), ['IBMUSER', 'PROD']);
  t.deepEqual(pairFor('{ path: zos.dsn, split: { separator: ., index: 2 } }', ev), ['IBMUSER', 'MASTER']);
  t.deepEqual(pairFor('{ path: zos.dsn, split: { separator: ., index: -1 } }', ev), ['IBMUSER', 'MASTER']);
  t.deepEqual(pairFor('{ path: zos.dsn, split: { separator: ., index: -3 } }', ev), ['IBMUSER', 'PROD']);
  t.is(pairFor('{ path: zos.dsn, split: { separator: ., index: 3 } }', ev), undefined);
  t.is(pairFor('{ path: zos.dsn, split: { separator: ., index: -4 } }', ev), undefined);
  t.deepEqual(pairFor("{ path: message, split: { separator: ' :: ', index: 1 } }", makeEvent({ ...user, message: 'a :: b :: c' })), ['IBMUSER', 'b']);
});

test('transforms apply in order; a result that becomes empty is absent', (t) => {
  const ev = makeEvent({ ...user, zos: { console: { command: '  d a,l  ' } } });
  t.deepEqual(pairFor('{ path: zos.console.command, transform: upper }', ev), ['IBMUSER', '  D A,L  ']);
  t.deepEqual(pairFor('{ path: zos.console.command, transform: [trim, upper] }', ev), ['IBMUSER', 'D A,L']);
  t.deepEqual(pairFor('{ path: user.name, transform: lower }', ev), ['IBMUSER', 'ibmuser']);
  t.is(pairFor('{ path: zos.console.command, transform: trim }', makeEvent({ ...user, zos: { console: { command: '   ' } } })), undefined);
});

test('template joins fields and is absent when any placeholder is absent; {{ }} are literal braces', (t) => {
  const tpl = "{ template: '{host.name}/{zos.terminal}' }";
  t.deepEqual(pairFor(tpl, makeEvent({ ...user, zos: { terminal: 'TCP00042' } })), ['IBMUSER', 'SYSA/TCP00042']);
  t.is(pairFor(tpl, makeEvent(user)), undefined);
  t.deepEqual(pairFor("{ template: '{{{smf.type}}}' }", makeEvent(user)), ['IBMUSER', '{80}']);
  t.deepEqual(pairFor("{ template: 'T{smf.type}-{smf.subtype}', regex: '-(\\d+)' }", makeEvent({ ...user, smf: { subtype: 2 } })), ['IBMUSER', '2']);
});

test('NUL in a value is replaced so state keys stay unambiguous', (t) => {
  t.deepEqual(pairFor('{ path: zos.dsn }', makeEvent({ ...user, zos: { dsn: 'A\0B' } })), ['IBMUSER', 'A\uFFFDB']);
});

test('filters: datasets, SMF types with and without subtype, categories, all must hold', (t) => {
  const ev = makeEvent({ ...user, zos: { dsn: 'A.B' }, smf: { type: 119, subtype: 20 }, event: { dataset: 'smf.tcpip', category: ['network', 'session'] } });
  const f = (filter: string) => pairFor('{ path: zos.dsn }', ev, '{ path: user.name }', `filter: ${filter}\n`);
  t.truthy(f('{ datasets: [smf.racf, smf.tcpip] }'));
  t.falsy(f('{ datasets: [smf.racf] }'));
  t.truthy(f('{ types: [119] }'));
  t.truthy(f("{ types: [80, '119-20'] }"));
  t.falsy(f("{ types: ['119-21', 30] }"));
  t.truthy(f('{ categories: [session] }'));
  t.falsy(f('{ categories: [iam] }'));
  t.falsy(f('{ categories: [session], types: [80] }'));
  t.falsy(pairFor('{ path: zos.dsn }', makeEvent({ ...user, zos: { dsn: 'A.B' }, smf: { type: undefined } }), '{ path: user.name }', 'filter: { types: [80] }\n'));
});

test('pattern filters test a path against a named glob list; a list of them must all hold', (t) => {
  const lists = { pii: ['PAYROLL.**'], prod: ['**.PROD'] };
  const f = (dsn: string | undefined, filter: string) =>
    pairFor('{ path: user.name }', makeEvent({ ...user, zos: dsn === undefined ? {} : { dsn } }), '{ path: user.name }', `filter: ${filter}\n`, lists);
  t.truthy(f('PAYROLL.MASTER', '{ patterns: { path: zos.dsn, list: pii } }'));
  t.falsy(f('HR.MASTER', '{ patterns: { path: zos.dsn, list: pii, match: glob } }'));
  t.falsy(f(undefined, '{ patterns: { path: zos.dsn, list: pii } }'), 'absent path never matches');
  t.truthy(f('PAYROLL.PROD', '{ patterns: [{ path: zos.dsn, list: pii }, { path: zos.dsn, list: prod }] }'));
  t.falsy(f('PAYROLL.TEST', '{ patterns: [{ path: zos.dsn, list: pii }, { path: zos.dsn, list: prod }] }'));
});

test('a disabled definition loads but never fires', (t) => {
  const defs = defineOne('id: t\nname: T\nenabled: false\nfield1: { label: A, from: { path: user.name } }\nfield2: { label: B, from: { path: host.name } }\n');
  t.false(defs[0]?.enabled);
  t.deepEqual(observe(defs, makeEvent(user)), []);
});

test('an event whose @timestamp does not parse yields no observation', (t) => {
  const defs = defineOne('id: t\nname: T\nfield1: { label: A, from: { path: user.name } }\nfield2: { label: B, from: { path: host.name } }\n');
  t.deepEqual(observe(defs, makeEvent({ ...user, '@timestamp': 'yesterday' })), []);
  t.deepEqual(observe(defs, makeEvent(user)), [{ def: 't', v1: 'IBMUSER', v2: 'SYSA', time: Date.parse('2025-03-10T10:00:00.000Z') }]);
});

test('split by index agrees with String.prototype.split for any text, separator and index', (t) => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('a', 'b', '.', ':', ' ') }), fc.constantFrom('.', ':', ' :', 'ab'), fc.integer({ min: -6, max: 6 }), (s, sep, index) => {
      const parts = s.split(sep);
      const expected = index >= 0 ? parts[index] : parts[parts.length + index];
      assert.equal(nthField(s, sep, index), expected);
    }),
    { numRuns: 2000 },
  );
  t.pass();
});

test('event paths: schema leaves and single-key labels only', (t) => {
  t.true(isEventPath('zos.db2.grantor'));
  t.true(isEventPath('labels.site'));
  t.false(isEventPath('labels.'));
  t.false(isEventPath('labels.a.b'));
  t.false(isEventPath('zos.db2'), 'an object is not a value');
  t.false(isEventPath('user.nmae'));
});
