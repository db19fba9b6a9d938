// Every input transport end to end: one real agent process with a file input, TCP (newline), TCP
// (octet-counting), UDP and TLS listeners, all `format: auto`. The same 50 lines (LEEF, CEF,
// RFC 5424 zSecure, RFC 3164 and JSON, from test/fixtures/parse) go through each; in the real
// Elasticsearch every input has exactly its 50 documents, and they are the same documents
// whichever way the lines travelled (apart from per-input fields: event.created, log.*, agent.*).
import test from 'ava';
import { execFileSync, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect as tlsConnect } from 'node:tls';
import type { Client } from '@elastic/elasticsearch';
import { eventId } from '../../agent/pipeline/ids.js';
import { ROOT, runCli, spawnCli, tempDir, writeConfig } from '../helpers/agent-process.js';
import { useEs } from '../helpers/es.js';

/** 10 fixture lines × 5 variants (the user or job name numbered), so all 50 lines differ. */
function eventLines(): string[] {
  const fixture = (file: string, i: number) => readFileSync(join(ROOT, 'test/fixtures/parse', `${file}.txt`), 'utf8').split('\n')[i]!;
  const bases = [
    fixture('leef-zsecure', 0), // syslog header + LEEF 1.0 (zSecure)
    fixture('leef-zsecure', 1), // bare LEEF
    fixture('cef', 0), // syslog header + CEF (BMC)
    fixture('rfc5424', 0), // RFC 5424 zSecure with structured data
    fixture('rfc5424', 2), // RFC 5424 with a BOM before key=value
    fixture('rfc5424', 3), // LEEF inside RFC 5424
    fixture('rfc3164-bmc', 0), // RFC 3164 key=value
    fixture('rfc3164-bmc', 1), // RFC 3164 Tag: value
    fixture('rfc3164-bmc', 2), // RFC 3164 with procid
    fixture('json', 0), // EasySMF JSON
  ];
  return bases.flatMap((b) => [0, 1, 2, 3, 4].map((k) => b.replace(/IBMUSER|PAYROLL1?/g, (m) => `${m.slice(0, 7)}${k}`)));
}

const octet = (line: string) => `${Buffer.byteLength(line)} ${line}`;

async function freePort(kind: 'tcp' | 'udp', taken: Set<number>): Promise<number> {
  for (;;) {
    let port: number;
    if (kind === 'tcp') {
      const s = createServer().listen(0, '127.0.0.1');
      await once(s, 'listening');
      port = (s.address() as AddressInfo).port;
      await new Promise((r) => s.close(r));
    } else {
      const s = createSocket('udp4').bind(0, '127.0.0.1');
      await once(s, 'listening');
      port = s.address().port;
      await new Promise<void>((r) => s.close(() => r()));
    }
    if (!taken.has(port)) return taken.add(port), port;
  }
}

/** Polls until a TCP connection to the port succeeds (the listener is up). */
async function waitForListener(port: number): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const s = connect({ host: '127.0.0.1', port });
    const ok = await new Promise<boolean>((resolve) => {
      s.once('connect', () => resolve(true));
      s.once('error', () => resolve(false));
    });
    s.destroy();
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`);
}

async function sendStream(s: Socket, payload: string): Promise<void> {
  await new Promise<void>((resolve) => s.end(payload, resolve));
  if (!s.closed) await once(s, 'close');
}

/** The document as indexed, without what legitimately differs per input; keys sorted for comparison. */
function comparable(doc: Record<string, unknown>): string {
  const { log: _log, agent: _agent, ...rest } = doc;
  const event = { ...(rest.event as Record<string, unknown>) };
  delete event.created;
  return stableJson({ ...rest, event });
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

async function count(es: Client, index: string): Promise<number> {
  await es.indices.refresh({ index, ignore_unavailable: true });
  return (await es.count({ index, ignore_unavailable: true })).count;
}

test('the same 50 lines through file, TCP newline, TCP octet-counting, UDP and TLS give the same 50 documents each', async (t) => {
  t.timeout(180_000);
  const { es, settings, prefix } = useEs(t);
  const dir = tempDir();
  const lines = eventLines();
  t.is(new Set(lines).size, 50);
  const feed = join(dir, 'feed.log');
  writeFileSync(feed, lines.join('\n') + '\n');
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });

  const taken = new Set<number>();
  const ports = { newline: await freePort('tcp', taken), octet: await freePort('tcp', taken), tls: await freePort('tcp', taken), udp: await freePort('udp', taken) };
  const index = `smf-events-${prefix}`;
  const env = { ES_URL: settings.hosts[0], ES_USERNAME: settings.username, ES_PASSWORD: settings.password };
  t.is((await runCli(['setup'], env)).code, 0);
  const config = writeConfig(dir, {
    agent: { name: 'e2e-inputs', data_dir: join(dir, 'data') },
    inputs: [
      { type: 'file', name: 'file', paths: [feed], format: 'auto' },
      { type: 'syslog', name: 'tcp-newline', protocol: 'tcp', port: ports.newline, framing: 'newline', format: 'auto' },
      { type: 'syslog', name: 'tcp-octet', protocol: 'tcp', port: ports.octet, framing: 'octet-counting', format: 'auto' },
      { type: 'syslog', name: 'udp', protocol: 'udp', port: ports.udp, format: 'auto' },
      { type: 'syslog', name: 'tls', protocol: 'tls', port: ports.tls, tls: { cert, key }, format: 'auto' },
    ],
    pipeline: { batch_max_wait_ms: 50 },
    output: { elasticsearch: { hosts: ['${ES_URL}'], username: '${ES_USERNAME}', password: '${ES_PASSWORD}', index } },
    dead_letter: { index: '' },
    associations: { enabled: false },
  });

  const agent = spawnCli(['run', '--config', config], env);
  try {
    for (const port of [ports.newline, ports.octet, ports.tls]) await waitForListener(port);
    for (let i = 0; i < 300 && !/listening on udp/.test(agent.stderr()); i++) await sleep(100);
    t.regex(agent.stderr(), /listening on udp 127\.0\.0\.1:\d+/);

    await sendStream(connect({ host: '127.0.0.1', port: ports.newline }), lines.map((l) => `${l}\n`).join(''));
    await sendStream(connect({ host: '127.0.0.1', port: ports.octet }), lines.map(octet).join(''));
    const tls = tlsConnect({ host: '127.0.0.1', port: ports.tls, ca: [readFileSync(cert)] });
    await once(tls, 'secureConnect');
    await sendStream(tls, lines.map(octet).join('')); // framing auto: detected as octet-counted
    const udp = createSocket('udp4');
    for (const l of lines) {
      await new Promise<void>((resolve, reject) => udp.send(l, ports.udp, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
      await sleep(2); // pace: the kernel drops datagrams its socket buffer cannot hold
    }
    udp.close();

    for (let i = 0; i < 600 && (await count(es, index)) < 250; i++) await sleep(100);
    await sleep(1000); // a wrong extra copy would show up now
    t.is(await count(es, index), 250, agent.stderr().slice(-3000));
  } finally {
    await agent.ready();
    agent.child.kill('SIGTERM');
  }
  const { code } = await agent.exited;
  t.is(code, 0, agent.stderr().slice(-2000));
  for (const l of agent.stderr().split('\n').filter((l) => /"log\.level":"(warn|error)"/.test(l))) t.log(l.slice(0, 300));

  // Documents per input: the file input's by path, the network inputs' by their content-hash ids.
  const byInput = new Map<string, string[]>();
  const fileHits = await es.search<Record<string, unknown>>({ index, size: 100, query: { term: { 'log.file.path': feed } } });
  byInput.set('file', fileHits.hits.hits.map((h) => comparable(h._source!)));
  for (const input of ['tcp-newline', 'tcp-octet', 'udp', 'tls']) {
    const ids = lines.map((text) => eventId({ text, bytes: 0, receivedAt: 0, source: { input, offset: 0, end: 0 } }));
    const got = await es.mget<Record<string, unknown>>({ index, ids });
    const found = got.docs.filter((d) => 'found' in d && d.found) as { _source: Record<string, unknown> }[];
    byInput.set(input, found.map((d) => comparable(d._source)));
  }
  const expected = [...byInput.get('file')!].sort();
  t.is(expected.length, 50);
  for (const [input, docs] of byInput) {
    t.is(docs.length, 50, `${input}: 50 documents`);
    t.deepEqual([...docs].sort(), expected, `${input}: the same documents as the file input`);
  }
});

test('stdin: piped lines are indexed; at end of input the agent keeps running until SIGTERM', async (t) => {
  t.timeout(120_000);
  const { es, settings, prefix } = useEs(t);
  const dir = tempDir();
  const lines = eventLines();
  const index = `smf-events-${prefix}`;
  const env = { ES_URL: settings.hosts[0], ES_USERNAME: settings.username, ES_PASSWORD: settings.password };
  t.is((await runCli(['setup'], env)).code, 0);
  const config = writeConfig(dir, {
    agent: { name: 'e2e-stdin', data_dir: join(dir, 'data') },
    inputs: [{ type: 'stdin', name: 'pipe', format: 'auto' }],
    pipeline: { batch_max_wait_ms: 50 },
    output: { elasticsearch: { hosts: ['${ES_URL}'], username: '${ES_USERNAME}', password: '${ES_PASSWORD}', index } },
    dead_letter: { index: '' },
    associations: { enabled: false },
    anomalies: { enabled: false },
    monitoring: { enabled: false },
  });
  // spawnCli gives the child no stdin, so spawn it here with a pipe.
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'agent/cli/main.ts'), 'run', '--config', config], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.stdin.end(lines.join('\n') + '\n');
  try {
    for (let i = 0; i < 600 && (await count(es, index)) < 50; i++) await sleep(100);
    await sleep(1000);
    t.is(await count(es, index), 50, stderr.slice(-2000));
    t.regex(stderr, /stdin input 'pipe': end of input after 50 lines/);
    t.is(child.exitCode, null, 'still running after the end of stdin');
    const ids = lines.map((text) => eventId({ text, bytes: 0, receivedAt: 0, source: { input: 'pipe', offset: 0, end: 0 } }));
    const got = await es.mget({ index, ids });
    t.is(got.docs.filter((d) => 'found' in d && d.found).length, 50);
  } finally {
    child.kill('SIGTERM');
  }
  t.is(await exited, 0, stderr.slice(-2000));
  t.regex(stderr, /stopped: 50 lines, 50 indexed/);
});
