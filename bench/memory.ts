// Resident memory of the association store with many distinct pairs: pairs are counted into a
// real LMDB StateStore through the same stage code the agent runs (applyObservations inside store
// transactions), then RSS is read. Runs in a child process so earlier benchmarks do not inflate it.

import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyObservations, LocalCalendar, type Observation } from '../processors/associations/index.js';
import { LmdbAssocState } from '../agent/associations/lmdb-state.js';
import { StateStore } from '../agent/store/store.js';

export interface MemoryResult {
  pairs: number;
  rssIdleMb: number;
  rssAfterMb: number;
  /** Anonymous memory (heap, native allocations): what the agent really holds. */
  rssAnonMb: number;
  /** File-backed pages: LMDB's memory-mapped store, reclaimable page cache. */
  rssFileMb: number;
  heapUsedMb: number;
  storeFileMb: number;
  insertSeconds: number;
  pairsPerSecond: number;
}

const mb = (b: number) => Math.round((b / 1048576) * 10) / 10;

export async function pairsMemory(pairs: number): Promise<MemoryResult> {
  const dir = mkdtempSync(join(tmpdir(), 'smf-bench-mem-'));
  const store = StateStore.open(dir);
  const state = new LmdbAssocState(store);
  const calendar = new LocalCalendar('UTC');
  global.gc?.();
  const rssIdle = process.memoryUsage().rss;
  const t0 = Date.now();
  const now = Date.parse('2025-03-20T12:00:00Z');
  const users = Math.max(1, Math.round(Math.sqrt(pairs) / 4));
  let batch: Observation[] = [];
  for (let i = 0; i < pairs; i++) {
    // Distinct (user, data set) pairs, heavy-tailed: few users own many data sets.
    batch.push({ def: 'userid-dsn', v1: `USER${i % users}`, v2: `HLQ${i % 97}.APP${Math.floor(i / users)}.DATA`, time: now - (i % 86_400) * 1000 });
    if (batch.length === 10_000) {
      const b = batch;
      await store.commit(() => applyObservations(state, b, { now, calendar }));
      batch = [];
    }
  }
  if (batch.length) {
    const b = batch;
    await store.commit(() => applyObservations(state, b, { now, calendar }));
  }
  const insertSeconds = (Date.now() - t0) / 1000;
  global.gc?.();
  const m = process.memoryUsage();
  const result: MemoryResult = {
    pairs,
    rssIdleMb: mb(rssIdle),
    rssAfterMb: mb(m.rss),
    ...rssSplit(),
    heapUsedMb: mb(m.heapUsed),
    storeFileMb: mb(statSync(join(dir, 'state.mdb')).size),
    insertSeconds: Math.round(insertSeconds * 10) / 10,
    pairsPerSecond: Math.round(pairs / insertSeconds),
  };
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return result;
}

/** RssAnon / RssFile from /proc (Linux): mapped store pages are not memory the agent holds. */
function rssSplit(): { rssAnonMb: number; rssFileMb: number } {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rssAnonMb: Math.round(kb('RssAnon') / 102.4) / 10, rssFileMb: Math.round(kb('RssFile') / 102.4) / 10 };
  } catch {
    return { rssAnonMb: -1, rssFileMb: -1 };
  }
}

// Child-process entry: `tsx bench/memory.ts <pairs>` prints the result as JSON.
if (process.argv[1]?.endsWith('memory.ts') && process.argv[2]) {
  pairsMemory(Number(process.argv[2])).then((r) => console.log(JSON.stringify(r)));
}
