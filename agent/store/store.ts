// The embedded state store: one LMDB environment in `data_dir` holding everything that must
// survive a restart (input positions now; association state and the enrichment cache later).
//
// Why LMDB: real multi-key ACID transactions (positions and association counts commit together
// or not at all), durable commits (fsync) off the main thread, ordered keys for range scans, and
// it installs from the npm registry alone (prebuilt binaries ship in @lmdb/lmdb-<platform>).
//
// Safety rules:
// - a data_dir that holds our marker but no store, or a store that does not open or lacks its
//   format record, is an error (SMF_ERR_STORE_MISSING / _CORRUPT), never a silent fresh start
//   that would re-ship everything; the user decides with `--reset-state`;
// - one agent per store: a pid lock file refuses a second process.

import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, readSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import { SmfError } from '../errors.js';

const FORMAT = 1;
const MARKER = 'smf-agent-store.json';
const DB_FILE = 'state.mdb';
const LOCK = 'agent.lock';

/** Named sub-databases. Keys are strings or arrays of strings/numbers (ordered). */
export type StoreDbName = 'meta' | 'cursors' | 'assoc' | 'enrich';

export interface StoreInfo {
  agentId: string;
  created: string;
  format: number;
}

export class StateStore {
  readonly dir: string;
  readonly info: StoreInfo;
  private readonly root: RootDatabase;
  private readonly dbs: Map<StoreDbName, Database>;
  private closed = false;

  private constructor(dir: string, root: RootDatabase, dbs: Map<StoreDbName, Database>, info: StoreInfo) {
    this.dir = dir;
    this.root = root;
    this.dbs = dbs;
    this.info = info;
  }

  /**
   * Opens (or, on a first run, creates) the store in `dir`.
   * `reset: true` deletes an existing store first — only on the user's explicit request.
   */
  static open(dir: string, opts: { reset?: boolean } = {}): StateStore {
    mkdirSync(dir, { recursive: true });
    const lock = acquireLock(dir);
    try {
      if (opts.reset) {
        for (const f of [DB_FILE, `${DB_FILE}-lock`, MARKER]) rmSync(join(dir, f), { force: true });
      }
      const markerPath = join(dir, MARKER);
      const dbPath = join(dir, DB_FILE);
      const hasMarker = existsSync(markerPath);
      const hasDb = existsSync(dbPath);
      if (hasMarker && !hasDb) {
        throw new SmfError('SMF_ERR_STORE_MISSING', `state store ${dbPath} is missing, but ${markerPath} says this directory held one`, {
          hint: 'restore the file from a backup, or start over with --reset-state (inputs are re-read from their start_at, duplicates are absorbed by document ids)',
        });
      }
      if (!hasMarker && hasDb) {
        throw new SmfError('SMF_ERR_STORE_CORRUPT', `state store ${dbPath} has no marker ${MARKER}: not written by this agent, or damaged`, {
          hint: 'move the directory aside, or start over with --reset-state',
        });
      }
      if (hasDb) checkLmdbHeader(dbPath);
      let root: RootDatabase;
      try {
        root = open({ path: dbPath, noSubdir: true, maxDbs: 8, compression: false, mapSize: 4 * 1024 ** 3 });
      } catch (err) {
        throw new SmfError('SMF_ERR_STORE_CORRUPT', `state store ${dbPath} cannot be opened: ${(err as Error).message}`, {
          cause: err,
          hint: 'move the directory aside, or start over with --reset-state',
        });
      }
      const dbs = new Map<StoreDbName, Database>();
      for (const name of ['meta', 'cursors', 'assoc', 'enrich'] as const) dbs.set(name, root.openDB({ name, encoding: 'msgpack' }));
      const meta = dbs.get('meta')!;
      let info = meta.get('format') as StoreInfo | undefined;
      if (!hasDb) {
        info = { agentId: randomUUID(), created: new Date().toISOString(), format: FORMAT };
        meta.putSync('format', info);
        writeFileSync(markerPath, JSON.stringify(info, null, 2));
      } else if (!info || info.format !== FORMAT) {
        root.close();
        throw new SmfError('SMF_ERR_STORE_CORRUPT', `state store ${dbPath} has no valid format record (found ${JSON.stringify(info ?? null)})`, {
          hint: 'move the directory aside, or start over with --reset-state',
        });
      }
      const store = new StateStore(dir, root, dbs, info);
      store.releaseLock = lock;
      return store;
    } catch (err) {
      lock();
      throw err;
    }
  }

  private releaseLock: () => void = () => {};

  db<K extends string | (string | number)[] = string, V = unknown>(name: StoreDbName): Database<V, K> {
    return this.dbs.get(name)! as unknown as Database<V, K>;
  }

  /**
   * Runs `fn` inside one write transaction: every put/remove it makes on any sub-database
   * commits together, durably, or not at all. `fn` must be synchronous and do no I/O of its own.
   */
  async commit(fn: () => void): Promise<void> {
    // childTransaction, not transaction: lmdb-js keeps the puts of a plain async transaction
    // callback that throws; a child transaction is rolled back. Resolves once durable.
    await this.root.childTransaction(fn);
  }

  /** Synchronous variant for the rare place that cannot await (keeps atomicity). */
  commitSync(fn: () => void): void {
    this.root.transactionSync(fn);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.root.close();
    this.releaseLock();
  }
}

/**
 * LMDB trusts its file: opening a damaged one can crash the process natively instead of failing.
 * Its first two pages are meta pages carrying the magic 0xBEEFC0DE right after the page header
 * (byte 24 in the LMDB that lmdb-js bundles, byte 16 in classic 0.9 builds); a file without it
 * in either meta page is refused before LMDB sees it.
 */
function checkLmdbHeader(path: string): void {
  const corrupt = (why: string) =>
    new SmfError('SMF_ERR_STORE_CORRUPT', `state store ${path} is damaged: ${why}`, { hint: 'move the directory aside, or start over with --reset-state' });
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(28);
    if (readSync(fd, head, 0, 28, 0) < 28) throw corrupt('shorter than an LMDB header');
    const magicAt = (buf: Buffer) => buf.readUInt32LE(24) === 0xbeefc0de || buf.readUInt32LE(16) === 0xbeefc0de;
    if (!magicAt(head)) {
      // The second meta page sits one page further; page sizes are 4 KiB … 64 KiB.
      const ok = [4096, 8192, 16384, 32768, 65536].some((page) => readSync(fd, head, 0, 28, page) === 28 && magicAt(head));
      if (!ok) throw corrupt('no LMDB meta page (magic 0xBEEFC0DE missing)');
    }
  } finally {
    closeSync(fd);
  }
}

/** Store directories open in this process (a lock file naming our own pid is only stale if not listed). */
const OPEN_DIRS = new Set<string>();

/** Returns the release function. A lock whose pid is no longer alive is taken over. */
function acquireLock(dir: string): () => void {
  const path = join(dir, LOCK);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      OPEN_DIRS.add(dir);
      return () => {
        OPEN_DIRS.delete(dir);
        rmSync(path, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (pid && (pid === process.pid ? OPEN_DIRS.has(dir) : isAlive(pid))) {
        throw new SmfError('SMF_ERR_STORE_LOCKED', `state store in ${dir} is in use by process ${pid}`, {
          hint: 'stop the other agent, or give this one its own agent.data_dir',
        });
      }
      rmSync(path, { force: true }); // stale lock from a killed agent
    }
  }
  throw new SmfError('SMF_ERR_STORE_LOCKED', `could not lock the state store in ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when `dir` holds nothing of ours (used by `smf-agent check`). */
export function isEmptyStoreDir(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).filter((f) => f !== LOCK).length === 0;
}
