// Rotation while the application writes, end to end: the real agent process tails `app.log*` (as
// Filebeat advises for logrotate setups) into the real Elasticsearch while the test writes
// numbered JSON lines at a steady pace and rotates the file the three ways logrotate does:
// rename ("create"), copy-and-truncate, and plain truncation. Afterwards every sequence number is
// in Elasticsearch exactly once, no line was dead-lettered (a line read from a wrong offset would
// be a JSON fragment), and the agent read every line exactly once (its own count at shutdown:
// no 409 had to absorb a second reading).
//
// The writer and the rotations share the test's thread, so a rotation happens between two writes,
// as with an application that takes a lock around its writes. That leaves out only logrotate's own
// copy-and-truncate window (lines written after the copy and before the truncation are destroyed
// before anyone could read them, whatever the shipper). A plain truncation destroys what was not
// read yet, so the test truncates after the agent has caught up, and then writes a burst larger
// than what was there: the truncation must be seen by the changed head, not by a smaller size.
import test, { type ExecutionContext } from 'ava';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, renameSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@elastic/elasticsearch';
import { useEs, waitForCount } from '../helpers/es.js';
import { runCli, spawnCli, tempDir, writeConfig, type AgentProcess } from '../helpers/agent-process.js';

const RATE = 4000; // lines per second
const TICK_MS = 10;

function feedLine(seq: number): string {
  const ts = new Date(Date.UTC(2025, 2, 3, 8, 0, 0) + seq * 10).toISOString();
  return `{"timestamp":"${ts}","record_type":"80","user_id":"U1","job_name":"JOB${seq % 13}","seq":${seq}}\n`;
}

/** The application: appends numbered lines to app.log (O_APPEND, as loggers open their file). */
class Writer {
  seq = 0;
  private fd: number;

  constructor(readonly dir: string) {
    this.fd = openSync(this.path, 'a');
  }

  get path(): string {
    return join(this.dir, 'app.log');
  }

  write(n: number): void {
    let chunk = '';
    for (let i = 0; i < n; i++) chunk += feedLine(this.seq++);
    writeSync(this.fd, chunk);
  }

  /** Reopens app.log by name (after a rename the old handle still points at the rotated file). */
  reopen(): void {
    closeSync(this.fd);
    this.fd = openSync(this.path, 'a');
  }

  close(): void {
    closeSync(this.fd);
  }

  /**
   * Writes lines up to `to` at RATE lines/s, running `at.get(seq)` once `seq` lines are written.
   * The pace restarts after an action (which may wait for the agent).
   */
  async pace(to: number, at: Map<number, () => void | Promise<void>>): Promise<void> {
    let t0 = Date.now();
    let sent = 0;
    while (this.seq < to) {
      const next = Math.min(to, ...[...at.keys()].filter((k) => k > this.seq));
      const n = Math.min(Math.ceil((RATE * TICK_MS) / 1000), next - this.seq);
      this.write(n);
      sent += n;
      const action = at.get(this.seq);
      if (action) {
        await action();
        t0 = Date.now();
        sent = 0;
      }
      await sleep(Math.max(0, t0 + (sent * 1000) / RATE - Date.now()));
    }
  }
}

/** logrotate's numbering: app.log.N → app.log.N+1, …, app.log.1 → app.log.2 (nothing deleted). */
function shift(dir: string): void {
  let n = 1;
  while (existsSync(join(dir, `app.log.${n}`))) n++;
  for (let k = n - 1; k >= 1; k--) renameSync(join(dir, `app.log.${k}`), join(dir, `app.log.${k + 1}`));
}

interface Run {
  es: Client;
  index: string;
  deadIndex: string;
  writer: Writer;
  agent: AgentProcess;
  /** Every agent process of the run (one per restart). */
  agents: AgentProcess[];
  /** Polls until Elasticsearch holds every line written so far. */
  caughtUp(): Promise<void>;
  /** SIGKILLs the agent and starts it again on the same store (the writer goes on meanwhile). */
  killAndRestart(): Promise<void>;
}

async function startRun(t: ExecutionContext): Promise<Run> {
  const { es, settings, prefix } = useEs(t);
  const dir = tempDir();
  const logs = join(dir, 'logs');
  mkdirSync(logs);
  const index = `smf-events-${prefix}`;
  const deadIndex = `smf-deadletter-${prefix}`;
  const env = { ES_URL: settings.hosts[0], ES_USERNAME: settings.username, ES_PASSWORD: settings.password };
  t.is((await runCli(['setup'], env)).code, 0);
  const config = writeConfig(dir, {
    agent: { name: 'e2e-rotation', data_dir: join(dir, 'data') },
    inputs: [{ type: 'file', name: 'app', paths: [join(logs, 'app.log*')], format: 'json', keep_original: true }],
    pipeline: { batch_max_events: 1000, batch_max_wait_ms: 100 },
    output: { elasticsearch: { hosts: ['${ES_URL}'], username: '${ES_USERNAME}', password: '${ES_PASSWORD}', index, bulk_max_events: 500 } },
    dead_letter: { index: deadIndex },
    monitoring: { enabled: false },
    associations: { index: `smf-associations-${prefix}`, definitions_index: `smf-association-definitions-${prefix}` },
    anomalies: { enabled: false, index: `smf-anomalies-${prefix}`, runs_index: `smf-anomaly-runs-${prefix}` },
  });
  const writer = new Writer(logs);
  writer.write(1000);
  const spawn = () => {
    const agent = spawnCli(['run', '--config', config], env);
    t.teardown(() => {
      agent.child.kill('SIGKILL');
    });
    agents.push(agent);
    return agent;
  };
  const agents: AgentProcess[] = [];
  const run: Run = {
    es,
    index,
    deadIndex,
    writer,
    agents,
    agent: spawn(),
    async caughtUp() {
      const n = writer.seq;
      t.is(await waitForCount(es, index, n, 30_000), n, `caught up with ${n} lines; ${run.agent.stderr().slice(-2000)}`);
    },
    async killAndRestart() {
      run.agent.child.kill('SIGKILL');
      t.is((await run.agent.exited).signal, 'SIGKILL');
      run.agent = spawn();
    },
  };
  // Rotations must happen while the agent is reading, not before it started.
  t.is(await waitForCount(es, index, 1000, 45_000), 1000, run.agent.stderr().slice(-2000));
  return run;
}

/**
 * Stops the agent cleanly, then checks exactly-once: in Elasticsearch and, unless the agent was
 * killed on the way (a restart re-reads what was not committed), in the agent's own count.
 */
async function finish(t: ExecutionContext, run: Run, rotations: string[], killed = false): Promise<void> {
  const n = run.writer.seq;
  run.writer.close();
  const indexed = await waitForCount(run.es, run.index, n, 45_000);
  await run.agent.ready();
  run.agent.child.kill('SIGTERM');
  const { code } = await run.agent.exited;
  const stderr = run.agent.stderr();
  t.is(code, 0, stderr.slice(-2000));
  run.agents.forEach((agent, i) => {
    for (const l of agent.stderr().split('\n').filter((l) => /truncated|copy|released|reading /.test(l))) t.log(`${run.agents.length > 1 ? `[run ${i + 1}] ` : ''}${JSON.parse(l).message}`);
  });
  t.log(`${n} lines written, rotations: ${rotations.join(', ')}`);
  t.is(indexed, n);

  const seqs = await allSeqs(run.es, run.index);
  const seen = new Set<number>();
  const dups: number[] = [];
  for (const s of seqs) {
    if (seen.has(s)) dups.push(s);
    seen.add(s);
  }
  const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !seen.has(i));
  t.deepEqual(dups, [], 'no sequence number twice');
  t.deepEqual(missing, [], 'no sequence number missing');
  t.is(seqs.length, n);
  t.is(await waitForCount(run.es, run.deadIndex, 0, 0), 0, 'no dead letters (a misplaced read would be a JSON fragment)');
  const stopped = /stopped: (\d+) lines, (\d+) indexed, (\d+) duplicates, (\d+) dead-lettered/.exec(stderr);
  t.truthy(stopped, 'the agent reports its counts at shutdown');
  const [lines, ok, duplicates, dead] = stopped!.slice(1).map(Number);
  if (killed) t.log(`last run: ${lines} lines read, ${ok} indexed, ${duplicates} duplicates (replayed after the kill, answered 409)`);
  else t.deepEqual([lines, ok, duplicates, dead], [n, n, 0, 0], 'every line read once: lines, indexed, duplicates, dead-lettered');
}

/** Every document's `seq` (from event.original), paged exactly with a point in time and search_after. */
async function allSeqs(es: Client, index: string): Promise<number[]> {
  await es.indices.refresh({ index });
  const pit = await es.openPointInTime({ index, keep_alive: '1m' });
  const out: number[] = [];
  try {
    let after: (string | number)[] | undefined;
    for (;;) {
      const r = await es.search<{ event: { original: string } }>({
        pit: { id: pit.id, keep_alive: '1m' },
        size: 10_000,
        _source: ['event.original'],
        sort: [{ _shard_doc: 'asc' }],
        track_total_hits: false,
        ...(after ? { search_after: after } : {}),
      });
      const hits = r.hits.hits;
      if (hits.length === 0) return out;
      for (const h of hits) out.push((JSON.parse(h._source!.event.original) as { seq: number }).seq);
      after = hits[hits.length - 1]!.sort as (string | number)[];
    }
  } finally {
    await es.closePointInTime({ id: pit.id }).catch(() => {});
  }
}

test.serial('rename rotation under continuous writing, four times: every line exactly once', async (t) => {
  t.timeout(90_000);
  const run = await startRun(t);
  const { writer } = run;
  const rotations: string[] = [];
  const rename = () => {
    shift(writer.dir);
    renameSync(writer.path, join(writer.dir, 'app.log.1'));
    writer.write(200); // the application writes on into the renamed file until it reopens
    writer.reopen();
    rotations.push(`rename at ${writer.seq}`);
  };
  await writer.pace(25_000, new Map([4000, 9000, 14_000, 19_000].map((s) => [s, rename])));
  await finish(t, run, rotations);
});

test.serial('copy-and-truncate under continuous writing, four times: the copies are not read twice', async (t) => {
  t.timeout(90_000);
  const run = await startRun(t);
  const { writer } = run;
  const rotations: string[] = [];
  // logrotate's copytruncate: copy, then truncate at once (the agent is usually behind the copy).
  const copyTruncate = () => {
    shift(writer.dir);
    copyFileSync(writer.path, join(writer.dir, 'app.log.1'));
    truncateSync(writer.path, 0);
    rotations.push(`copy+truncate at ${writer.seq}`);
  };
  // The same with time between: the copy is found while the original still has the content, lines
  // are written that only the original holds, and the truncation comes once they are read.
  let copied = 0;
  const copy = () => {
    shift(writer.dir);
    copyFileSync(writer.path, join(writer.dir, 'app.log.1'));
    copied = writer.seq;
  };
  const truncateLater = async () => {
    await run.caughtUp();
    truncateSync(writer.path, 0);
    rotations.push(`copy at ${copied}, truncate at ${writer.seq}`);
  };
  await writer.pace(
    25_000,
    new Map<number, () => void | Promise<void>>([
      [4000, copyTruncate],
      [8000, copy],
      [9000, truncateLater],
      [13_000, copyTruncate],
      [17_000, copyTruncate],
      [20_000, copy],
      [21_000, truncateLater],
    ]),
  );
  await finish(t, run, rotations);
});

test.serial('plain truncation, three times, each followed by a burst longer than the old content: read anew from byte 0', async (t) => {
  t.timeout(90_000);
  const run = await startRun(t);
  const { writer } = run;
  const rotations: string[] = [];
  let since = 0;
  const truncate = async () => {
    await run.caughtUp(); // a truncation destroys what was not read: nobody could ship it
    const before = writer.seq - since;
    truncateSync(writer.path, 0);
    writer.write(before + 500); // before the next poll: the file is longer than before at once
    since = writer.seq - before - 500;
    rotations.push(`truncate at ${writer.seq - before - 500} (then ${before + 500} lines at once)`);
  };
  await writer.pace(20_000, new Map([3000, 8000, 14_000].map((s) => [s, truncate])));
  await finish(t, run, rotations);
});

test.serial('copy-and-truncate with the agent SIGKILLed around the rotations: every line exactly once in Elasticsearch', async (t) => {
  t.timeout(90_000);
  const run = await startRun(t);
  const { writer } = run;
  const rotations: string[] = [];
  /** Polls the current agent's log, from `from` on, until `re` shows up. */
  const logged = async (re: RegExp, from: number) => {
    for (let i = 0; i < 400 && !re.test(run.agent.stderr().slice(from)); i++) await sleep(25);
    t.regex(run.agent.stderr().slice(from), re);
  };
  const copy = () => {
    shift(writer.dir);
    copyFileSync(writer.path, join(writer.dir, 'app.log.1'));
  };
  /** Kill, lines written while the agent is down, restart. */
  const killWriteRestart = async () => {
    await run.killAndRestart();
    writer.write(1000);
  };
  await writer.pace(
    18_000,
    new Map<number, () => Promise<void>>([
      // Killed right after the rotation: the restarted agent finds the copy, the truncated file,
      // and a stored content whose committed position lies somewhere in the copy.
      [
        4000,
        async () => {
          copy();
          truncateSync(writer.path, 0);
          rotations.push(`copy+truncate at ${writer.seq}, killed at once`);
          await killWriteRestart();
        },
      ],
      // Killed once the copy has taken over, with the original far from read (a burst just before
      // the rotation): lines of the copy are partly delivered, partly in flight.
      [
        8000,
        async () => {
          await run.caughtUp();
          writer.write(4000);
          const mark = run.agent.stderr().length;
          copy();
          truncateSync(writer.path, 0);
          rotations.push(`burst, copy+truncate at ${writer.seq}, killed once the copy took over`);
          await logged(/app\.log\.1 from offset [1-9]/, mark);
          await killWriteRestart();
        },
      ],
      // Killed while the copy stands by and the original still holds everything; truncated after the restart.
      [
        14_000,
        async () => {
          const mark = run.agent.stderr().length;
          copy();
          await logged(/app\.log\.1 is a copy of/, mark);
          await killWriteRestart();
          await run.caughtUp();
          truncateSync(writer.path, 0);
          rotations.push(`copy at 14000, killed while the copy stood by, restarted, truncated at ${writer.seq}`);
        },
      ],
    ]),
  );
  await finish(t, run, rotations, true);
});
