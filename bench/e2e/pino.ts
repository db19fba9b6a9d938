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
import type { Client } from '@elastic/elasticsearch';
import { deleteIndices, timeIndexing, type Es } from './es.js';
import type { Feed } from './feeds.js';
import { RssSampler } from './proc.js';
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
    return await timeIndexing(client, {
      name: 'pino-elasticsearch',
      index,
      lines: o.feed.lines,
      pid,
      sampler,
      start: () => createReadStream(o.feed.pinoPath).pipe(child.stdin!),
      exited: () => (gone ? stderr.slice(-2000) : undefined),
    });
  } finally {
    sampler.stop();
    if (!gone) child.kill('SIGTERM');
    await exited;
    await deleteIndices(client, [index]);
  }
}
