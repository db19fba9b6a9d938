// Syslog and stdin input configuration through the real loader: defaults, and invalid cases with
// the key path and message the user sees.
import test from 'ava';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../../../../agent/config/load.js';
import { isSmfError } from '../../../../agent/errors.js';
import { selfSigned } from './helpers.js';

const withInput = (input: string) => `
inputs:
  - ${input}
output:
  elasticsearch:
    hosts: [http://127.0.0.1:9200]
`;

test('a minimal syslog input gets every default', (t) => {
  const c = parseConfig(withInput('{ type: syslog, name: net, protocol: tcp, port: 5514 }'), { source: 't.yaml' }).inputs[0]!;
  t.like(c, {
    type: 'syslog',
    protocol: 'tcp',
    host: '127.0.0.1',
    port: 5514,
    framing: 'auto',
    max_connections: 100,
    max_message_bytes: 65536,
    udp_spool: { memory_bytes: 1024 * 1024, max_bytes: 64 * 1024 * 1024 },
    format: 'auto',
    profile: 'auto',
    max_line_bytes: 65536,
    keep_original: false,
  });
  t.false('tls' in c);
});

test('a stdin input takes the decoding keys only', (t) => {
  const c = parseConfig(withInput('{ type: stdin, name: pipe, format: json, keep_original: true }'), { source: 't.yaml' }).inputs[0]!;
  t.deepEqual(c, { type: 'stdin', name: 'pipe', format: 'json', profile: 'auto', aliases: {}, max_line_bytes: 65536, keep_original: true });
});

test('a TLS input with readable files is valid; client_auth defaults to none', (t) => {
  const { cert, key } = selfSigned();
  const c = parseConfig(withInput(`{ type: syslog, name: sec, protocol: tls, port: 6514, tls: { cert: ${cert}, key: ${key} } }`), { source: 't.yaml' }).inputs[0]!;
  t.deepEqual(c.type === 'syslog' && c.tls, { cert, key, client_auth: 'none' });
});

/** Any readable file will do where only readability is checked. */
const here = fileURLToPath(import.meta.url);

const invalid: { name: string; input: string; expect: RegExp[] }[] = [
  { name: 'tls protocol without tls', input: '{ type: syslog, name: a, protocol: tls, port: 1 }', expect: [/inputs\[0\]\.tls: required when protocol is tls/] },
  { name: 'tls block on tcp', input: `{ type: syslog, name: a, protocol: tcp, port: 1, tls: { cert: ${here}, key: ${here} } }`, expect: [/inputs\[0\]\.tls: only used with protocol: tls \(protocol is tcp\)/] },
  {
    name: 'missing key and cert files, each named',
    input: '{ type: syslog, name: a, protocol: tls, port: 1, tls: { cert: /nonexistent/c.pem, key: /nonexistent/k.pem, ca: /nonexistent/ca.pem } }',
    expect: [/inputs\[0\]\.tls\.cert: cannot read file '\/nonexistent\/c\.pem'/, /inputs\[0\]\.tls\.key: cannot read file '\/nonexistent\/k\.pem'/, /inputs\[0\]\.tls\.ca: cannot read file/, /3 problems/],
  },
  { name: 'bad client_auth', input: `{ type: syslog, name: a, protocol: tls, port: 1, tls: { cert: ${here}, key: ${here}, client_auth: maybe } }`, expect: [/inputs\[0\]\.tls\.client_auth: Invalid option/] },
  { name: 'unknown protocol', input: '{ type: syslog, name: a, protocol: relp, port: 1 }', expect: [/inputs\[0\]\.protocol: Invalid option/] },
  { name: 'missing port', input: '{ type: syslog, name: a, protocol: udp }', expect: [/inputs\[0\]\.port: /] },
  { name: 'port out of range', input: '{ type: syslog, name: a, protocol: udp, port: 70000 }', expect: [/inputs\[0\]\.port: Too big/] },
  { name: 'bad framing', input: '{ type: syslog, name: a, protocol: tcp, port: 1, framing: lf }', expect: [/inputs\[0\]\.framing: Invalid option/] },
  { name: 'unknown spool key', input: '{ type: syslog, name: a, protocol: udp, port: 1, udp_spool: { max_byte: 1 } }', expect: [/inputs\[0\]\.udp_spool: Unrecognized key: "max_byte"/] },
  { name: 'stdin with a syslog key', input: '{ type: stdin, name: a, port: 1 }', expect: [/inputs\[0\]: Unrecognized key: "port"/] },
  { name: 'max_connections zero', input: '{ type: syslog, name: a, protocol: tcp, port: 1, max_connections: 0 }', expect: [/inputs\[0\]\.max_connections: Too small/] },
];

for (const c of invalid) {
  test(`invalid config: ${c.name}`, (t) => {
    const err = t.throws(() => parseConfig(withInput(c.input), { source: 'bad.yaml', env: {} }));
    t.true(isSmfError(err, 'SMF_ERR_CONFIG'), String(err));
    for (const re of c.expect) t.regex(err!.message, re);
  });
}
