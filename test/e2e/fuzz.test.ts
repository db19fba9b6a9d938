// Garbage in, end to end: 20,000 random and malformed lines (random bytes with NUL and invalid
// UTF-8, lines over max_line_bytes, truncated and mutated LEEF/CEF/JSON/syslog lines from
// test/fixtures/parse, whitespace, empty lines, valid lines mixed in) go through the file input
// and through a TCP syslog input of one real agent process. The agent neither crashes nor stalls,
// and every line is accounted for: indexed events + dead letters = lines sent, per input.
//
// Accounting rules the test relies on:
// - file input: every line is one event or one dead letter (an empty line is a dead letter, code
//   `empty`); its ids come from (file identity, offset), so equal lines stay apart.
// - TCP input (newline framing): a frame that is empty once a trailing CR is cut is skipped, not
//   dead-lettered; ids are content hashes of the decoded text, so the generator makes every
//   line's decoded text unique (two invalid UTF-8 sequences may decode alike: compared decoded).
import test from 'ava';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@elastic/elasticsearch';
import { useEs } from '../helpers/es.js';
import { ROOT, runCli, spawnCli, tempDir, writeConfig } from '../helpers/agent-process.js';

const N = 20_000;
const MAX_LINE = 4096; // max_line_bytes (file) and max_message_bytes (TCP)
const BOUND_MS = 45_000; // everything accounted for within this time

/** mulberry32: a small seeded generator, so a failure can be replayed with the same lines. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Corpus {
  lines: Buffer[];
  kinds: Map<string, number>;
  /** Lines the TCP input skips (nothing but an optional CR). */
  tcpSkipped: number;
}

function generate(seed: number): Corpus {
  const r = rng(seed);
  const int = (n: number) => Math.floor(r() * n);
  const pick = <T>(a: readonly T[]): T => a[int(a.length)]!;
  const fixtures = readdirSync(join(ROOT, 'test/fixtures/parse'))
    .filter((f) => f.endsWith('.txt'))
    .flatMap((f) => readFileSync(join(ROOT, 'test/fixtures/parse', f), 'utf8').split('\n'))
    .filter((l) => l.length > 0);
  const randomBytes = (len: number) => {
    const b = Buffer.alloc(len);
    for (let i = 0; i < len; i++) {
      let x = int(256);
      while (x === 10) x = int(256); // a newline would make two lines
      b[i] = x;
    }
    return b;
  };
  const valid = (i: number) =>
    Buffer.from(`{"timestamp":"${new Date(Date.UTC(2025, 2, 3) + i * 1000).toISOString()}","record_type":"80","user_id":"U${i % 50}","job_name":"JOB${i % 7}","seq":${i}}`);
  const generators: [string, number, (i: number) => Buffer][] = [
    ['random bytes (NUL, invalid UTF-8)', 22, () => randomBytes(1 + int(300))],
    ['truncated fixture line', 20, (i) => {
      const l = Buffer.from(pick(fixtures));
      return Buffer.concat([l.subarray(0, 1 + int(Math.max(1, l.length - 1))), Buffer.from(String(i))]);
    }],
    ['mutated fixture line', 15, () => {
      const l = Buffer.from(pick(fixtures));
      for (let k = 1 + int(4); k > 0; k--) l[int(l.length)] = int(256) === 10 ? 0 : int(256);
      return Buffer.from(l.map((b) => (b === 10 ? 32 : b)));
    }],
    ['fixture line (valid formats)', 8, () => Buffer.from(pick(fixtures))],
    ['valid JSON event', 25, valid],
    ['JSON with odd types', 4, (i) => Buffer.from(`{"timestamp":${pick(['null', '12', '"x"', '[]', '{"a":1}'])},"record_type":${pick(['"80"', '{"b":2}', '[1,2]', 'true'])},"user_id":${pick(['{"n":1}', '[]', '"U1"', '7'])},"n":${i}}`)],
    ['over max_line_bytes', 1, (i) => Buffer.concat([Buffer.from(`LONG-${i}-`), Buffer.alloc(MAX_LINE + 100 + int(12_000), 'y')])],
    ['whitespace or empty', 3, () => Buffer.from(pick(['', '\r', ' ', '\t', '  \r', ' \t ', '\u00a0', '\r\r']) + ' '.repeat(int(6)))],
    ['control characters and BOM', 2, () => Buffer.from(`\ufeff${'\u0001\u0007\u001b[0m'.slice(0, 1 + int(5))}${randomBytes(int(40)).toString('latin1')}`, 'latin1')],
  ];
  const total = generators.reduce((s, g) => s + g[1], 0);
  const lines: Buffer[] = [];
  const kinds = new Map<string, number>();
  const tcpTexts = new Set<string>();
  let tcpSkipped = 0;
  while (lines.length < N) {
    let x = int(total);
    const g = generators.find(([, w]) => (x -= w) < 0)!;
    const line = g[2](lines.length);
    // What the TCP input hashes: the decoded text without a trailing CR, cut to the limit.
    let end = line.length;
    if (end > 0 && line[end - 1] === 13) end--;
    const text = line.subarray(0, Math.min(end, MAX_LINE)).toString('utf8');
    if (end === 0) tcpSkipped++;
    else if (tcpTexts.has(text)) continue; // would be a 409 over TCP: choose another line
    else tcpTexts.add(text);
    lines.push(line);
    kinds.set(g[0], (kinds.get(g[0]) ?? 0) + 1);
  }
  return { lines, kinds, tcpSkipped };
}

async function count(es: Client, index: string, query?: object): Promise<number> {
  try {
    await es.indices.refresh({ index, ignore_unavailable: true });
    return (await es.count({ index, ignore_unavailable: true, ...(query ? { query } : {}) })).count;
  } catch {
    return 0; // index being created
  }
}

test('20,000 random and malformed lines through the file input and TCP: no crash, no stall, every line accounted for', async (t) => {
  t.timeout(120_000);
  const { es, settings, prefix } = useEs(t);
  const seed = Number(process.env.FUZZ_SEED ?? 0x5eed); // FUZZ_SEED=… replays another corpus
  const corpus = generate(seed);
  t.log(`seed ${seed}; corpus: ${[...corpus.kinds].map(([k, n]) => `${k} ${n}`).join(', ')}; TCP skips ${corpus.tcpSkipped} empty frames`);
  const dir = tempDir();
  const feed = join(dir, 'fuzz.log');
  const payload = Buffer.concat(corpus.lines.flatMap((l) => [l, Buffer.from('\n')]));
  writeFileSync(feed, payload);
  const ix = { events: `smf-events-${prefix}`, dead: `smf-deadletter-${prefix}` };
  const env = { ES_URL: settings.hosts[0], ES_USERNAME: settings.username, ES_PASSWORD: settings.password };
  t.is((await runCli(['setup'], env)).code, 0);
  const config = writeConfig(dir, {
    agent: { name: 'e2e-fuzz', data_dir: join(dir, 'data') },
    inputs: [
      { type: 'file', name: 'file', paths: [feed], format: 'auto', max_line_bytes: MAX_LINE },
      { type: 'syslog', name: 'tcp', protocol: 'tcp', port: 0, framing: 'newline', format: 'auto', max_line_bytes: MAX_LINE, max_message_bytes: MAX_LINE },
    ],
    pipeline: { batch_max_events: 2000, batch_max_wait_ms: 100 },
    output: { elasticsearch: { hosts: ['${ES_URL}'], username: '${ES_USERNAME}', password: '${ES_PASSWORD}', index: ix.events } },
    dead_letter: { index: ix.dead },
    monitoring: { enabled: false },
    associations: { index: `smf-associations-${prefix}`, definitions_index: `smf-association-definitions-${prefix}` },
    anomalies: { enabled: false, index: `smf-anomalies-${prefix}`, runs_index: `smf-anomaly-runs-${prefix}` },
  });

  const t0 = Date.now();
  const agent = spawnCli(['run', '--config', config], env);
  t.teardown(() => {
    agent.child.kill('SIGKILL');
  });
  let port: number | undefined;
  for (let i = 0; i < 300 && port === undefined && agent.child.exitCode === null; i++) {
    port = Number(/listening on tcp 127\.0\.0\.1:(\d+)/.exec(agent.stderr())?.[1]) || undefined;
    if (port === undefined) await sleep(100);
  }
  t.truthy(port, agent.stderr().slice(-2000));
  const socket = connect({ host: '127.0.0.1', port: port! });
  await once(socket, 'connect');
  await new Promise<void>((resolve) => socket.end(payload, resolve)); // waits while the agent pushes back
  if (!socket.closed) await once(socket, 'close');

  const expected = { file: N, tcp: N - corpus.tcpSkipped };
  const fileEvents = { exists: { field: 'log.file.path' } };
  const tally = async () => {
    const events = await count(es, ix.events);
    const file = await count(es, ix.events, fileEvents);
    const dead = { file: await count(es, ix.dead, { term: { 'deadletter.input': 'file' } }), tcp: await count(es, ix.dead, { term: { 'deadletter.input': 'tcp' } }) };
    return { file: { events: file, dead: dead.file }, tcp: { events: events - file, dead: dead.tcp } };
  };
  let last = await tally();
  while (Date.now() - t0 < BOUND_MS && (last.file.events + last.file.dead < expected.file || last.tcp.events + last.tcp.dead < expected.tcp)) {
    t.is(agent.child.exitCode, null, `the agent is still running; ${agent.stderr().slice(-2000)}`);
    await sleep(250);
    last = await tally();
  }
  const elapsed = Date.now() - t0;
  t.log(`accounted for in ${(elapsed / 1000).toFixed(1)} s: ${JSON.stringify(last)}`);
  t.true(elapsed < BOUND_MS, 'no stall: every line handled within the bound');

  await agent.ready();
  agent.child.kill('SIGTERM');
  const { code } = await agent.exited;
  const stderr = agent.stderr();
  t.is(code, 0, stderr.slice(-2000));
  t.deepEqual(stderr.split('\n').filter((l) => /"log\.level":"error"/.test(l)), [], 'no error logged');

  // After a clean stop everything the agent read is delivered: the counts are final and exact.
  const final = await tally();
  t.is(final.file.events + final.file.dead, expected.file, `file input: ${JSON.stringify(final.file)}`);
  t.is(final.tcp.events + final.tcp.dead, expected.tcp, `TCP input: ${JSON.stringify(final.tcp)}`);
  t.true(final.file.events > N / 4 && final.file.dead > N / 4, 'both outcomes are well represented');
  const codes = await es.search({ index: ix.dead, size: 0, aggs: { code: { terms: { field: 'error.type', size: 50 } } } });
  const buckets = (codes.aggregations!.code as { buckets: { key: string; doc_count: number }[] }).buckets;
  t.log(`dead letters by code: ${buckets.map((b) => `${b.key} ${b.doc_count}`).join(', ')}`);
  const empties = await count(es, ix.dead, { bool: { filter: [{ term: { 'deadletter.input': 'file' } }, { term: { 'error.type': 'empty' } }] } });
  t.true(empties > 0, 'empty lines of the file are dead letters with code `empty`');
  const stopped = /stopped: (\d+) lines, (\d+) indexed, (\d+) duplicates, (\d+) dead-lettered/.exec(stderr);
  t.deepEqual(stopped?.slice(1).map(Number), [N + expected.tcp, final.file.events + final.tcp.events, 0, final.file.dead + final.tcp.dead]);
});
