import test from 'ava';
import { parseConfig } from '../../../agent/config/load.js';
import { isSmfError } from '../../../agent/errors.js';

const base = `
inputs:
  - type: file
    name: sysa
    paths: [/var/log/smf/*.log]
output:
  elasticsearch:
    hosts: [http://127.0.0.1:9200]
`;

test('a minimal configuration gets every default', (t) => {
  const c = parseConfig(base, { source: 'test.yaml' });
  t.is(c.agent.timezone, 'UTC');
  t.is(c.pipeline.queue_max_events, 20_000);
  t.is(c.output.elasticsearch.index, 'smf-events-default');
  t.is(c.inputs[0]!.format, 'auto');
  t.true(Object.isFrozen(c.inputs[0]));
});

test('${VAR} and ${VAR:-default} are substituted inside values only, with YAML typing for whole references', (t) => {
  const text = `
agent: { name: "\${AGENT_NAME}", timezone: "\${TZ_UNSET:-Europe/Berlin}" }
inputs:
  - { type: file, name: a, paths: ["\${LOGDIR}/*.log"], max_line_bytes: "\${MAXLINE}" }
output:
  elasticsearch: { hosts: ["\${ES_HOST}"], password: "pa$$word", username: u }
`;
  const c = parseConfig(text, { source: 'x', env: { AGENT_NAME: 'lpar-1', LOGDIR: '/logs', MAXLINE: '4096', ES_HOST: 'https://es:9200' } });
  t.is(c.agent.name, 'lpar-1');
  t.is(c.agent.timezone, 'Europe/Berlin');
  t.deepEqual(c.inputs[0]!.type === 'file' && c.inputs[0]!.paths, ['/logs/*.log']);
  t.is(c.inputs[0]!.max_line_bytes, 4096);
  t.is(c.output.elasticsearch.password, 'pa$word');
});

// Invalid configurations: each case names the key path and the message the user must see.
const invalid: { name: string; yaml: string; env?: Record<string, string>; expect: RegExp[] }[] = [
  { name: 'unknown top-level key', yaml: `${base}\nfoo: 1\n`, expect: [/\(root\): Unrecognized key: "foo"/] },
  { name: 'unknown input key (typo)', yaml: base.replace('paths:', 'pathz: [a]\n    paths:'), expect: [/inputs\[0\]: Unrecognized key: "pathz"/] },
  { name: 'bad enum', yaml: base.replace('name: sysa', 'name: sysa\n    format: leef3'), expect: [/inputs\[0\]\.format: Invalid option/] },
  { name: 'unknown time zone', yaml: `agent: { timezone: Mars/Olympus }\n${base}`, expect: [/agent\.timezone: unknown IANA time zone 'Mars\/Olympus'/] },
  { name: 'bad host url', yaml: base.replace('http://127.0.0.1:9200', 'ftp://es'), expect: [/output\.elasticsearch\.hosts\[0\]/] },
  { name: 'missing inputs', yaml: 'output: { elasticsearch: { hosts: [http://a:9200] } }', expect: [/inputs: /] },
  { name: 'unset env var', yaml: base.replace('http://127.0.0.1:9200', '"${NOPE_UNSET}"'), expect: [/output\.elasticsearch\.hosts\[0\]: environment variable NOPE_UNSET is not set/] },
  { name: 'duplicate input names', yaml: base.replace('inputs:', 'inputs:\n  - { type: file, name: sysa, paths: [b] }'), expect: [/inputs\[1\]\.name: duplicate input name 'sysa' \(also inputs\[0\]\.name\)/] },
  { name: 'api key and username together', yaml: base.replace('hosts:', 'api_key: k\n    username: u\n    hosts:'), expect: [/output\.elasticsearch\.api_key: set either api_key or username\/password, not both/] },
  { name: 'YAML syntax error', yaml: 'inputs: [\n', expect: [/\(yaml\)/] },
  { name: 'several problems are reported at once', yaml: base.replace('name: sysa', 'name: "Bad Name"\n    start_at: middle'), expect: [/inputs\[0\]\.name: use 1-64 lowercase/, /inputs\[0\]\.start_at: Invalid option/, /2 problems/] },
];

for (const c of invalid) {
  test(`invalid config: ${c.name}`, (t) => {
    const err = t.throws(() => parseConfig(c.yaml, { source: 'bad.yaml', env: c.env ?? {} }));
    t.true(isSmfError(err, 'SMF_ERR_CONFIG'), String(err));
    t.regex(err!.message, /invalid configuration in bad\.yaml/);
    for (const re of c.expect) t.regex(err!.message, re);
  });
}

test('config/agent.example.yaml is valid and documents every default', async (t) => {
  const { loadConfigFile } = await import('../../../agent/config/load.js');
  const c = loadConfigFile(new URL('../../../config/agent.example.yaml', import.meta.url).pathname, { ES_PASSWORD: 'x' });
  const defaults = parseConfig(base, { source: 'defaults' });
  t.deepEqual(c.pipeline, defaults.pipeline);
  t.is(c.inputs[0]!.max_line_bytes, defaults.inputs[0]!.max_line_bytes);
  t.is(c.output.elasticsearch.retry_max_ms, defaults.output.elasticsearch.retry_max_ms);
});

test('config/agent.docker.yaml (used by docker-compose.yml) is valid', async (t) => {
  const { loadConfigFile } = await import('../../../agent/config/load.js');
  const c = loadConfigFile(new URL('../../../config/agent.docker.yaml', import.meta.url).pathname, { ES_URL: 'http://es:9200', ES_USERNAME: 'elastic', ES_PASSWORD: 'p' });
  t.is(c.agent.data_dir, '/var/lib/smf-agent');
});

test('secrets can come from files; an unreadable file is a config error naming the key, never a secret', async (t) => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'smf-secret-'));
  writeFileSync(join(dir, 'pw'), 's3cret-value\n');
  const yaml = (extra: string) => base.replace('hosts: [http://127.0.0.1:9200]', `hosts: [http://127.0.0.1:9200]\n    username: elastic\n    ${extra}`);
  const c = parseConfig(yaml('password_file: pw'), { source: 'x', baseDir: dir });
  t.is(c.output.elasticsearch.password, 's3cret-value');
  const err = t.throws(() => parseConfig(yaml('password_file: missing'), { source: 'x', baseDir: dir }));
  t.regex(err!.message, /output\.elasticsearch\.password_file: cannot read file '.*missing': ENOENT/);
  const both = t.throws(() => parseConfig(yaml('password_file: pw\n    password: x'), { source: 'x', baseDir: dir }));
  t.regex(both!.message, /set either password or password_file/);
  t.notRegex(both!.message, /s3cret/);
});
