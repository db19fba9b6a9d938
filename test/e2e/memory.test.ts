// Memory bounded by configuration, not by input size: the real agent process tails a 200 MB file
// while its Elasticsearch output is stalled (a tiny HTTP server in the test answers the startup
// probe and every other request, but never answers `_bulk`). The file input reads until the
// pipeline's bounded queue and in-flight batches are full, then waits; the agent's resident
// memory (VmRSS) stays under a fixed bound the whole time, and it has read only a fraction of
// the file (/proc/<pid>/io rchar: every byte the process read).
import test from 'ava';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnCli, tempDir, writeConfig } from '../helpers/agent-process.js';

const FILE_BYTES = 200 * 1024 * 1024;
const QUEUE_BYTES = 16 * 1024 * 1024;
const RSS_BOUND = 250 * 1024 * 1024;

/** ~200 MB of JSON lines, written in 4 MiB blocks (the same block with different numbers is fine: ids come from offsets). */
function writeBigFile(path: string): number {
  const fd = openSync(path, 'w');
  let written = 0;
  try {
    for (let block = 0; written < FILE_BYTES; block++) {
      let s = '';
      for (let i = 0; s.length < 4 * 1024 * 1024; i++) {
        s += `{"timestamp":"2025-03-03T08:00:00.000Z","record_type":"80","user_id":"U${i % 97}","job_name":"JOB${i % 13}","remote_ip":"10.0.${i % 250}.${block % 250}","dsn":"SYS1.PARMLIB.B${block}.L${i}","smf_system_id":"SYSA"}\n`;
      }
      written += writeSync(fd, s);
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

function procValue(pid: number, file: 'status' | 'io', key: string): number {
  const m = new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'));
  return Number(m?.[1] ?? NaN) * (file === 'status' ? 1024 : 1); // VmRSS is in kB
}

test('a 200 MB file and a stalled output: RSS stays under 250 MB and the file is read only as far as the queue holds', async (t) => {
  t.timeout(120_000);
  const dir = tempDir();
  t.teardown(() => rmSync(dir, { recursive: true, force: true })); // 200 MB
  const feed = join(dir, 'big.log');
  const size = writeBigFile(feed);
  t.true(statSync(feed).size >= FILE_BYTES);

  // Elasticsearch that accepts bulk requests and never answers them.
  const requests = new Map<string, number>();
  const stalled: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const what = `${req.method} ${req.url?.split('?')[0]}`;
    requests.set(what, (requests.get(what) ?? 0) + 1);
    req.resume();
    if (req.method === 'POST' && /\/_bulk$/.test(req.url?.split('?')[0] ?? '')) {
      stalled.push(res);
      return;
    }
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' }).end('{}'));
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t.teardown(() => {
    for (const res of stalled) res.destroy();
    server.closeAllConnections();
    server.close();
  });

  const prefix = `t-${randomBytes(4).toString('hex')}`;
  const config = writeConfig(dir, {
    agent: { name: 'e2e-memory', data_dir: join(dir, 'data'), shutdown_timeout_ms: 2000 },
    inputs: [{ type: 'file', name: 'big', paths: [feed], format: 'json' }],
    pipeline: { queue_max_bytes: QUEUE_BYTES, queue_max_events: 200_000, batch_max_events: 2000, max_in_flight_batches: 4 },
    output: { elasticsearch: { hosts: [url], index: `smf-events-${prefix}`, request_timeout_ms: 600_000 } },
    dead_letter: { index: `smf-deadletter-${prefix}` },
    monitoring: { enabled: false },
    associations: { index: `smf-associations-${prefix}`, definitions_index: `smf-association-definitions-${prefix}` },
    anomalies: { enabled: false, index: `smf-anomalies-${prefix}`, runs_index: `smf-anomaly-runs-${prefix}` },
  });
  const agent = spawnCli(['run', '--config', config]);
  t.teardown(() => {
    agent.child.kill('SIGKILL');
  });
  const pid = agent.child.pid!;

  // Sample until the agent has stopped reading (backpressure): rchar flat for 3 s.
  const samples: { ms: number; rss: number; read: number }[] = [];
  const t0 = Date.now();
  let flatSince = Date.now();
  while (Date.now() - t0 < 60_000 && agent.child.exitCode === null) {
    const s = { ms: Date.now() - t0, rss: procValue(pid, 'status', 'VmRSS'), read: procValue(pid, 'io', 'rchar') };
    if (Number.isNaN(s.rss) || Number.isNaN(s.read)) {
      await sleep(50); // the process is still being set up
      continue;
    }
    const prev = samples[samples.length - 1];
    if (!prev || s.read - prev.read > 1024 * 1024) flatSince = Date.now();
    samples.push(s);
    if (stalled.length > 0 && Date.now() - flatSince >= 3000) break;
    await sleep(200);
  }
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
  const peak = Math.max(...samples.map((s) => s.rss));
  const read = samples[samples.length - 1]!.read;
  t.log(`file ${mb(size)}; queue_max_bytes ${mb(QUEUE_BYTES)}; peak RSS ${mb(peak)}; read ${mb(read)} in ${(samples[samples.length - 1]!.ms / 1000).toFixed(1)} s`);
  t.log(`RSS over time: ${samples.filter((_, i) => i % 5 === 0).map((s) => `${(s.ms / 1000).toFixed(0)}s:${mb(s.rss)}`).join(' ')}`);
  t.log(`requests: ${[...requests].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  t.is(agent.child.exitCode, null, agent.stderr().slice(-2000));
  t.true(stalled.length > 0, 'the output tried to deliver (and waits)');
  t.true(Date.now() - flatSince >= 3000, 'the agent stopped reading: backpressure');
  t.true(peak < RSS_BOUND, `peak RSS ${mb(peak)} under ${mb(RSS_BOUND)}`);
  t.true(read < size / 4, `read ${mb(read)} of the ${mb(size)} file`);
  t.true(read > QUEUE_BYTES, 'it read at least what the queue holds');

  await agent.ready();
  agent.child.kill('SIGTERM');
  const { code } = await agent.exited;
  t.is(code, 0, agent.stderr().slice(-2000)); // abandons the stalled batches after shutdown_timeout_ms
});
