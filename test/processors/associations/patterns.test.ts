import test from 'ava';
import { compilePatternList, parsePatternList } from '../../../processors/associations/patterns.js';

test('a list file keeps one mask per line and drops blank and comment lines', (t) => {
  const text = '# header\n\n  PAYROLL.**  \r\nSYS1.#CUST.LOAD\n   # indented comment\nSYS1.RACF*\n';
  t.deepEqual(parsePatternList(text), ['PAYROLL.**', 'SYS1.#CUST.LOAD', 'SYS1.RACF*']);
});

const cases: [mask: string, matches: string[], misses: string[]][] = [
  ['PAYROLL.**', ['PAYROLL', 'PAYROLL.MASTER', 'PAYROLL.A.B.C', 'payroll.master'], ['PAYROLLX', 'XPAYROLL.A', 'PAYROLLX.A']],
  ['SYS1.RACF*', ['SYS1.RACF', 'SYS1.RACFDS', 'SYS1.RACFBKUP'], ['SYS1.RACFDS.BACKUP', 'SYS2.RACF', 'SYS1.XRACF']],
  ['CUST.*.ADDRESS', ['CUST.EU.ADDRESS', 'CUST..ADDRESS'], ['CUST.EU.X.ADDRESS', 'CUST.ADDRESS']],
  ['SYS%.SMF.**', ['SYS1.SMF.DAILY', 'SYSA.SMF'], ['SYS.SMF.DAILY', 'SYS12.SMF.X', 'SYS..SMF']],
  ['A.**.Z', ['A.B.Z', 'A.B.C.Z', 'A..Z'], ['A.Z.X', 'B.A.Z']],
  ['SYS1.#CUST.LOAD', ['SYS1.#CUST.LOAD'], ['SYS1.XCUST.LOAD']],
  ['A$B(1)+[x]', ['A$B(1)+[X]'], ['A$B1+X']],
];

for (const [mask, matches, misses] of cases) {
  test(`mask ${mask} matches RACF-style: ${matches.join(', ')}`, (t) => {
    const list = compilePatternList('l', [mask]);
    for (const m of matches) t.true(list.test(m), `${mask} should match ${m}`);
    for (const m of misses) t.false(list.test(m), `${mask} should not match ${m}`);
  });
}

test('a list matches when any of its masks matches, anchored at both ends', (t) => {
  const list = compilePatternList('pii', ['PAYROLL.**', 'HR.EMPLOYEE']);
  t.true(list.test('HR.EMPLOYEE'));
  t.false(list.test('HR.EMPLOYEE.X'));
  t.false(list.test('X.HR.EMPLOYEE'));
  t.true(list.test('PAYROLL.Q1'));
});

test('an empty list matches nothing', (t) => {
  t.false(compilePatternList('empty', []).test('ANY.DSN'));
  t.false(compilePatternList('empty', []).test(''));
});
