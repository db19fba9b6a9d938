// The offline commands through the real CLI process.
import test from 'ava';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir, writeConfig } from '../helpers/agent-process.js';

test('check names a corrupted association definition and its problem; the other definitions load', async (t) => {
  const dir = tempDir();
  mkdirSync(join(dir, 'defs'));
  writeFileSync(join(dir, 'defs', 'broken.yaml'), 'id: broken-def\nname: Broken\nfield1: { label: U, from: { path: user.name } }\nfield2: { label: D, from: { path: zos.dsn, regex: "(abc" } }\n');
  writeFileSync(join(dir, 'defs', 'typo.yaml'), 'id: typo-def\nname: Typo\nfield1: { label: U, from: { path: user.nmae } }\nfield2: { label: D, from: { path: zos.dsn } }\n');
  const config = writeConfig(dir, {
    inputs: [{ type: 'file', name: 'a', paths: ['x.log'] }],
    output: { elasticsearch: { hosts: ['http://127.0.0.1:9200'] } },
    associations: { definitions: ['defs/*.yaml'] },
  });
  const r = await runCli(['check', '--config', config]);
  t.is(r.code, 1);
  t.regex(r.stdout, /19 loaded \(19 enabled\) from 21 files/);
  t.regex(r.stdout, /Association definition 'broken-def' \(.*broken\.yaml:4\) cannot be loaded: field2\.from\.regex: invalid regular expression/);
  t.regex(r.stdout, /Association definition 'typo-def' .* field1\.from\.path: .*user\.nmae/);
});

test('parse prints one JSON line per event and per rejection, without Elasticsearch', async (t) => {
  const input = [
    'LEEF:1.0|IBM|zSecure|2.5|80|devTime=Mar 3 2025 9:04:05.123 +0100\tusrName=IBMUSER\tjobname=PAYROLL\tsrc=::FFFF:10.1.2.3\tsysname=SYSA\tdsn=PAYROLL.MASTER',
    'CEF:0|BMC|AMI Defender|6.2|80|RACF access|5|rt=1741001045123 suser=ALICE src=10.9.8.7 shost=SYSB',
    'not a record of any format',
  ].join('\n');
  const r = await runCli(['parse', '--timezone', 'Europe/Berlin'], {}, input);
  t.is(r.code, 0, r.stderr);
  const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
  t.is(out.length, 3);
  t.is(out[0]!['@timestamp'], '2025-03-03T08:04:05.123Z');
  t.is(out[0]!.user.name, 'IBMUSER');
  t.is(out[0]!.source.ip, '10.1.2.3');
  t.is(out[0]!.process.name, 'PAYROLL');
  t.is(out[0]!.zos.dsn, 'PAYROLL.MASTER');
  t.is(out[1]!.user.name, 'ALICE');
  t.is(out[1]!['@timestamp'], '2025-03-03T11:24:05.123Z');
  t.deepEqual(Object.keys(out[2]!), ['rejected']);
  t.is(out[2]!.rejected.code, 'unknown_format');
  t.regex(r.stderr, /3 lines: 2 events, 1 rejected/);
});
