// rsyslog shipping the same lines: imfile tails the feed (inotify), omelasticsearch bulk-indexes
// each line as {"@timestamp", "message"} into the same node. Elasticsearch 8 needs the major
// version declared and no mapping type: esVersion.major="8", searchType="" (rsyslog 8.2302, the
// Debian 12 package; from 8.2510 the version is detected). Bulk size and workers follow the
// agent's defaults (queue.dequeueBatchSize = bulk_max_events, queue.workerThreads = concurrency).
// rsyslogd runs in the foreground (-n) as our child with its own pid file and work directory.
// The clock starts when the feed is hard-linked into the watched path, one second after start-up.

import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, linkSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deleteIndices, timeIndexing, type Es } from './es.js';
import type { Feed } from './feeds.js';
import { pollUntil, RssSampler } from './proc.js';
import type { ShipperRun } from './types.js';

export type RsyslogAvailability = { ok: true; version: string } | { ok: false; reason: string };

function probe(dir: string): RsyslogAvailability {
  const v = spawnSync('rsyslogd', ['-v'], { encoding: 'utf8' });
  if (v.error || v.status !== 0) return { ok: false, reason: 'rsyslogd is not installed' };
  const version = /rsyslogd\s+(\S+)/.exec(v.stdout)?.[1] ?? 'unknown';
  mkdirSync(dir, { recursive: true });
  const conf = join(dir, 'probe.conf');
  // A configuration without an action does not validate (error -2103): give it one that never runs.
  writeFileSync(conf, 'module(load="omelasticsearch")\nif $msg == "never" then action(type="omelasticsearch" server="127.0.0.1" searchType="" esVersion.major="8")\n');
  const n = spawnSync('rsyslogd', ['-N1', '-f', conf], { encoding: 'utf8' });
  if (n.status !== 0) return { ok: false, reason: `rsyslogd ${version} cannot load omelasticsearch (package rsyslog-elasticsearch): ${(n.stderr || n.stdout).trim().split('\n').slice(-1)[0]}` };
  return { ok: true, version };
}

/**
 * rsyslogd with omelasticsearch, installed with apt-get when missing and we are root; otherwise the
 * reason the comparison is skipped. Note: on a host run by systemd, installing the package also
 * enables and starts the system's rsyslog service.
 */
export function ensureRsyslog(dir: string, log: (s: string) => void): RsyslogAvailability {
  const first = probe(dir);
  if (first.ok) return first;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root) return { ok: false, reason: `${first.reason}, and installing it needs root (apt-get install -y rsyslog rsyslog-elasticsearch)` };
  log(`${first.reason}: installing rsyslog rsyslog-elasticsearch with apt-get …`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update'], { encoding: 'utf8', env });
  if (update.error || update.status !== 0) return { ok: false, reason: `${first.reason}; apt-get update failed: ${(update.stderr ?? String(update.error)).trim().split('\n').slice(-1)[0]}` };
  const install = spawnSync('apt-get', ['install', '-y', 'rsyslog', 'rsyslog-elasticsearch'], { encoding: 'utf8', env });
  if (install.error || install.status !== 0) return { ok: false, reason: `${first.reason}; apt-get install failed: ${(install.stderr ?? String(install.error)).trim().split('\n').slice(-1)[0]}` };
  return probe(dir);
}

const q = (s: string) => JSON.stringify(s); // rsyslog strings are double-quoted with backslash escapes

export function rsyslogConf(o: { workDir: string; file: string; es: Es; index: string; batch: number; workers: number }): string {
  const url = o.es.url;
  const https = url.protocol === 'https:';
  const s = o.es.settings;
  const tls = https ? ` usehttps="on"${s.caCert ? ` tls.cacert=${q(s.caCert)}` : ''}` : '';
  const auth = s.username ? ` uid=${q(s.username)} pwd=${q(s.password ?? '')}` : '';
  return `global(workDirectory=${q(o.workDir)} maxMessageSize="64k")
module(load="imfile" mode="inotify")
module(load="omelasticsearch")
template(name="doc" type="list" option.jsonf="on") {
  property(outname="@timestamp" name="timereported" dateFormat="rfc3339" format="jsonf")
  property(outname="message" name="msg" format="jsonf")
}
input(type="imfile" file=${q(o.file)} tag="smf" freshStartTail="off" ruleset="es")
ruleset(name="es") {
  action(type="omelasticsearch" server=${q(url.hostname)} serverport=${q(url.port || (https ? '443' : '80'))}${tls}${auth}
         searchIndex=${q(o.index)} searchType="" esVersion.major="8" template="doc" bulkmode="on"
         queue.type="LinkedList" queue.size="100000" queue.dequeueBatchSize="${o.batch}" queue.workerThreads="${o.workers}"
         action.resumeRetryCount="-1" errorFile=${q(join(o.workDir, 'es-errors.json'))})
}
`;
}

export interface RsyslogRunOptions {
  dir: string;
  feed: Feed;
  tag: string;
  batch: number;
  workers: number;
}

export async function runRsyslog(es: Es, o: RsyslogRunOptions): Promise<ShipperRun> {
  const index = `bench-rsyslog-${o.tag}`;
  const workDir = join(o.dir, 'work');
  const inDir = join(o.dir, 'in');
  mkdirSync(workDir, { recursive: true });
  mkdirSync(inDir, { recursive: true });
  const file = join(inDir, 'feed.log');
  const conf = join(o.dir, 'rsyslog.conf');
  writeFileSync(conf, rsyslogConf({ workDir, file, es, index, batch: o.batch, workers: o.workers }));
  const child = spawn('rsyslogd', ['-n', '-f', conf, '-i', join(o.dir, 'rsyslogd.pid')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-8000)));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  let gone = false;
  void exited.then(() => (gone = true));
  const pid = child.pid!;
  const sampler = new RssSampler(pid);
  try {
    await pollUntil('rsyslogd to start', () => (gone ? Promise.reject(new Error(`rsyslogd exited: ${stderr}`)) : existsSync(join(o.dir, 'rsyslogd.pid')) || undefined), 30_000);
    return await timeIndexing(es.client, {
      name: 'rsyslogd',
      index,
      lines: o.feed.lines,
      pid,
      sampler,
      start: () => linkSync(o.feed.path, file),
      exited: () => (gone ? stderr.slice(-2000) : undefined),
    });
  } finally {
    sampler.stop();
    if (!gone) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
    await deleteIndices(es.client, [index]);
  }
}
