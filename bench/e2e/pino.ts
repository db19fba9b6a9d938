// pino-elasticsearch (its CLI, as a user would run `cat feed | pino-elasticsearch …`) shipping
// the same lines. It reads JSON objects from stdin, so it is fed pino.jsonl (feeds.ts: JSON lines
// as they are, other lines wrapped as {"message": line} beforehand, outside the timed part).
// It indexes with the client's bulk helper (`index` op, no _id, 5 requests in flight); its default
// flush size is 1,000 bytes, i.e. a handful of lines per request, so it is given the agent's
// bulk_max_bytes instead. The clock starts when the first byte is piped in, one second after the
// process was spawned (its start-up), and stops when the index has taken every line.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@elastic/elasticsearch';
import { deleteIndices, esCpuMs, finalCount, indexedCount, type Es } from './es.js';
import type { Feed } from './feeds.js';
import { cpuMs, pollUntil, RssSampler, summarizeRss } from './proc.js';
import type { ShipperRun } from './types.js';

export interface PinoRunOptions {
  root: string;
  feed: Feed;
  tag: string;
  flushBytes: number;
}

export function pinoArgs(es: Es, index: string, flushBytes: number): string[] {
  const s = es.settings;
  const auth = s.apiKey ? ['--api-key', s.apiKey] : s.username ? ['--username', s.username, '--password', s.password ?? ''] : [];
  return ['--node', s.hosts[0]!, '--index', index, ...auth, '--flush-bytes', String(flushBytes)];
}

export async function runPino(es: Es, o: PinoRunOptions): Promise<ShipperRun> {
  const index = `bench-pino-${o.tag}`;
  const cli = join(o.root, 'node_modules/pino-elasticsearch/cli.js');
  const env = { ...process.env, ...(es.settings.caCert ? { NODE_EXTRA_CA_CERTS: es.settings.caCert } : {}) };
  const child = spawn(process.execPath, [cli, ...pinoArgs(es, index, o.flushBytes)], { env, stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-8000)));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  let gone = false;
  void exited.then(() => (gone = true));
  child.stdin!.on('error', () => {}); // EPIPE if it dies: reported through `gone`
  const pid = child.pid!;
  const sampler = new RssSampler(pid);
  const client: Client = es.client;
  try {
    await sleep(1000);
    const idleBefore = summarizeRss(sampler.window());
    const es0 = await esCpuMs(client);
    const cpu0 = cpuMs(pid);
    const t0 = performance.now();
    const loadFrom = sampler.elapsed();
    createReadStream(o.feed.pinoPath).pipe(child.stdin!);
    await pollUntil(
      `pino-elasticsearch to index ${o.feed.lines} lines`,
      async () => {
        const n = await indexedCount(client, index);
        if (n >= o.feed.lines) return true;
        if (gone) throw new Error(`pino-elasticsearch exited after ${n} documents: ${stderr.slice(-2000)}`);
        return undefined;
      },
      Math.max(300_000, o.feed.lines * 5),
    );
    const seconds = (performance.now() - t0) / 1000;
    const shipperCpuMs = cpuMs(pid) - cpu0;
    const esCpu = (await esCpuMs(client)) - es0;
    const load = summarizeRss(sampler.window(loadFrom, sampler.elapsed()));
    const indexed = await finalCount(client, index);
    return {
      lines: o.feed.lines,
      indexed,
      seconds,
      linesPerSecond: o.feed.lines / seconds,
      shipperCpuMs,
      esCpuMs: esCpu,
      rss: { ...(idleBefore ? { idleBefore } : {}), ...(load ? { load } : {}) },
    };
  } finally {
    sampler.stop();
    if (!gone) child.kill('SIGTERM');
    await exited;
    await deleteIndices(client, [index]);
  }
}
