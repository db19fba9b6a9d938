// The delivery contract, end to end with real processes and the real Elasticsearch:
// SIGKILL the agent part-way through a file, several times, restart it, and every line is in
// Elasticsearch exactly once, under the id derived from its file identity and byte offset.
import test from 'ava';
import { closeSync, openSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { headHash, HEAD_BYTES, identityOf } from '../../agent/inputs/file/identity.js';
import { eventId } from '../../agent/pipeline/ids.js';
import { useEs, waitForCount } from '../helpers/es.js';
import { runCli, spawnCli, tempDir, writeConfig } from '../helpers/agent-process.js';

const N = 30_000;

function feedLine(i: number): string {
  const t = new Date(Date.UTC(2025, 2, 3, 8, 0, 0) + i * 1000).toISOString();
  return JSON.stringify({ timestamp: t, record_type: '80', user_id: `USER${i % 97}`, job_name: `JOB${i % 13}`, remote_ip: `10.0.${i % 250}.${i % 200}`, smf_system_id: 'SYSA', seq: i });
}

test('SIGKILL at several points, restart: every line indexed exactly once with the expected ids', async (t) => {
  const { es, settings, prefix } = useEs(t);
  const dir = tempDir();
  const feed = join(dir, 'feed.log');
  const lines = Array.from({ length: N }, (_, i) => feedLine(i));
  writeFileSync(feed, lines.join('\n') + '\n');
  const index = `smf-events-${prefix}`;
  const env = { ES_URL: settings.hosts[0], ES_USERNAME: settings.username, ES_PASSWORD: settings.password };
  t.is((await runCli(['setup'], env)).code, 0);
  const config = writeConfig(dir, {
    agent: { name: 'e2e', data_dir: join(dir, 'data') },
    inputs: [{ type: 'file', name: 'feed', paths: [feed], format: 'json' }],
    pipeline: { batch_max_events: 500, max_in_flight_batches: 3 },
    output: { elasticsearch: { hosts: ['${ES_URL}'], username: '${ES_USERNAME}', password: '${ES_PASSWORD}', index, bulk_max_events: 250 } },
    dead_letter: { index: '' },
    monitoring: { enabled: false },
    associations: { index: `smf-associations-${prefix}`, definitions_index: `smf-association-definitions-${prefix}` },
  });

  const count = () => waitForCount(es, index, 0, 0);

  // Kill at rising thresholds while the agent is mid-stream.
  const kills: number[] = [];
  for (const threshold of [N * 0.15, N * 0.45, N * 0.75]) {
    const p = spawnCli(['run', '--config', config], env);
    await waitForCount(es, index, threshold, 120_000);
    p.child.kill('SIGKILL');
    const { signal } = await p.exited;
    t.is(signal, 'SIGKILL');
    kills.push(await count());
  }
  t.true(kills[0]! < N, `first kill happened mid-stream (at ${kills[0]} of ${N})`);

  // Final run to completion, then a clean SIGTERM.
  const p = spawnCli(['run', '--config', config], env);
  await waitForCount(es, index, N, 180_000);
  await sleep(500); // let a (wrong) second copy show up if there were one
  await p.ready();
  p.child.kill('SIGTERM');
  const { code } = await p.exited;
  t.is(code, 0, p.stderr().slice(-2000));

  t.is(await count(), N, `after kills at ${kills.join(', ')}`);
  // Ids: exactly the ids of (file identity, offset) for every line.
  const fd = openSync(feed, 'r');
  const st = statSync(feed);
  const identity = identityOf({ dev: st.dev, ino: st.ino, head: headHash(fd, HEAD_BYTES).head });
  closeSync(fd);
  const expected = new Set<string>();
  let offset = 0;
  for (const l of lines) {
    expected.add(eventId({ text: l, bytes: 0, receivedAt: 0, source: { input: 'feed', identity, offset, end: 0 } }));
    offset += Buffer.byteLength(l) + 1;
  }
  const seen = new Set<string>();
  for await (const hit of scrollIds(es, index)) seen.add(hit);
  t.is(seen.size, N);
  t.deepEqual([...seen].filter((id) => !expected.has(id)), []);
});

test('an invalid configuration is refused with the key path, and the agent does not start', async (t) => {
  const dir = tempDir();
  const config = writeConfig(dir, {
    inputs: [{ type: 'file', name: 'feed', paths: [join(dir, 'x.log')], fromat: 'json' }],
    output: { elasticsearch: { hosts: ['http://127.0.0.1:9200'], bulk_max_events: 0 } },
  });
  const r = await runCli(['run', '--config', config]);
  t.is(r.code, 2);
  t.regex(r.stderr, /inputs\[0\]: Unrecognized key: "fromat"/);
  t.regex(r.stderr, /output\.elasticsearch\.bulk_max_events: Too small/);
  t.regex(r.stderr, /\[SMF_ERR_CONFIG\]/);
});

async function* scrollIds(es: ReturnType<typeof useEs>['es'], index: string): AsyncGenerator<string> {
  let after: (string | number)[] | undefined;
  for (;;) {
    const r = await es.search({ index, size: 5000, _source: false, sort: [{ 'log.offset': 'asc' }], ...(after ? { search_after: after } : {}) });
    if (r.hits.hits.length === 0) return;
    for (const h of r.hits.hits) yield h._id!;
    after = r.hits.hits[r.hits.hits.length - 1]!.sort as (string | number)[];
  }
}
