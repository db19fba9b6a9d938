// The contents one file input knows (its lineages, see identity.ts) and their committed positions.
//
// Records live in the store's `cursors` database under `cursorKey(input, identity)`. All of the
// input's records are loaded at start, so a file found after a restart is matched to its content
// by fingerprint, whatever its inode or name is now (a copy made while the agent was down resumes
// at the committed offset). A lineage stays known while a file holds it and, for a bounded number
// (`maxDormant`), after: a copy of a truncated file may still turn up. Only a lineage with nothing
// in flight (everything emitted is committed) is forgotten, from memory and from the store.

import type { Stats } from 'node:fs';
import type { AgentContext } from '../../context.js';
import { describeError } from '../../errors.js';
import type { StateStore } from '../../store/store.js';
import type { Harvester } from './harvester.js';
import { cursorKey, hashBytes, identityOf, newIdentity, sameContent, type FileCursor, type Fingerprint } from './identity.js';

/** What the registry needs of a reader: the harvester of its open file. */
export interface Carrier {
  readonly h: Harvester;
}

export interface Lineage<R extends Carrier = Carrier> {
  readonly identity: string;
  readonly key: string;
  /** Shared with the harvester reading the lineage, which extends it as the file grows. */
  readonly fp: Fingerprint;
  readonly origin: { dev: number; ino: number };
  path: string;
  /** Highest offset written to the store. */
  committed: number;
  /** End of the last line handed to the pipeline: where another file carrying it goes on. */
  emitted: number;
  updated: string;
  /** The one reader reading it. */
  active: R | undefined;
  /** Readers (active or standby) whose file carries it. */
  holders: number;
}

export interface Match<R extends Carrier> {
  lineage?: Lineage<R>;
  /** The lineage's reader holds the same content right now (the new file is a copy: standby). */
  live?: boolean;
  /** Lineages whose reader's file no longer carries them (truncated): the caller detaches those readers. */
  lost: Lineage<R>[];
  /**
   * The file is shorter than a live content's fingerprint and equal to its beginning: a copy in
   * progress, or a new file that so far only shares a prefix (a line's first bytes). Decided later.
   */
  undecided?: boolean;
}

export class Lineages<R extends Carrier> {
  private readonly byKey = new Map<string, Lineage<R>>();

  constructor(
    private readonly input: string,
    private readonly store: StateStore,
    private readonly ctx: Pick<AgentContext, 'logger' | 'clock'>,
    private readonly maxDormant = 1024,
  ) {}

  private get db() {
    return this.store.db<string, FileCursor>('cursors');
  }

  get(key: string): Lineage<R> | undefined {
    return this.byKey.get(key);
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Loads the input's records; records keyed by inode (format of 0.1) are re-keyed by identity. */
  load(): void {
    const rekey: [string, FileCursor][] = [];
    for (const { key, value } of this.db.getRange({ start: `${this.input}\u0000`, end: `${this.input}\u0001` })) {
      const identity = identityOf(value);
      const k = cursorKey(this.input, identity);
      if (k !== key) rekey.push([key, value]);
      if (this.byKey.has(k)) continue;
      this.byKey.set(k, {
        identity,
        key: k,
        fp: { head: value.head, headLength: value.headLength },
        origin: { dev: value.dev, ino: value.ino },
        path: value.path,
        committed: value.offset,
        emitted: value.offset,
        updated: value.updated,
        active: undefined,
        holders: 0,
      });
    }
    if (rekey.length > 0) {
      this.store.commitSync(() => {
        for (const [old, value] of rekey) {
          const identity = identityOf(value);
          this.db.put(cursorKey(this.input, identity), { ...value, identity });
          this.db.remove(old);
        }
      });
    }
  }

  /**
   * Which known content the file (open as `fd`, `size` bytes, first bytes `head`) carries.
   * First, lineages being read: the file must agree byte for byte with the reader's file (a copy
   * of a live file). Then lineages nobody reads (dormant, or whose reader's file was just found
   * truncated): the file's head must match the fingerprint. Undefined `lineage`: new content.
   */
  match(file: { fd: number; size: number; head: Buffer }): Match<R> {
    const lost: Lineage<R>[] = [];
    let undecided = false;
    for (const l of this.byKey.values()) {
      if (l.active === undefined) continue;
      const h = l.active.h;
      if (!h.carries()) lost.push(l);
      else if (sameContent({ fd: h.fd, size: h.size() }, file) && h.carries()) {
        // A copy must cover the whole fingerprint: a few equal bytes (the start of a line) are not enough.
        if (file.size >= l.fp.headLength) return { lineage: l, live: true, lost };
        undecided = true;
      }
    }
    if (undecided && lost.length === 0) return { lost, undecided };
    let best: Lineage<R> | undefined;
    const hashes = new Map<number, string>(); // head hash per length: most fingerprints are HEAD_BYTES long
    for (const l of this.byKey.values()) {
      if (l.active !== undefined && !lost.includes(l)) continue;
      if (file.size < l.fp.headLength) continue;
      let h = hashes.get(l.fp.headLength);
      if (h === undefined) hashes.set(l.fp.headLength, (h = hashBytes(file.head.subarray(0, l.fp.headLength))));
      if (h !== l.fp.head) continue;
      // The most specific fingerprint wins, then the most recently used content.
      if (!best || l.fp.headLength > best.fp.headLength || (l.fp.headLength === best.fp.headLength && l.updated > best.updated)) best = l;
    }
    return best ? { lineage: best, live: false, lost } : { lost };
  }

  /** Registers new content first seen in `path`, and stores its record before any line of it is emitted. */
  async create(path: string, st: Pick<Stats, 'dev' | 'ino'>, head: Buffer, offset: number): Promise<Lineage<R>> {
    // A name already taken (the same inode once held content with the same first bytes hash) gets
    // a suffix: two contents never share a name, so their document ids never collide.
    let identity = newIdentity(st, head);
    for (let n = 2; this.byKey.has(cursorKey(this.input, identity)); n++) identity = `${newIdentity(st, head)}~${n}`;
    const key = cursorKey(this.input, identity);
    const l: Lineage<R> = {
      identity,
      key,
      fp: { head: hashBytes(head), headLength: head.length },
      origin: { dev: st.dev, ino: st.ino },
      path,
      committed: offset,
      emitted: offset,
      updated: this.now(),
      active: undefined,
      holders: 0,
    };
    this.byKey.set(key, l);
    // Stored now, so that the identity (and with it every document id) survives a crash before the
    // first commit: found again after a restart, the file matches this record, not a new name.
    await this.store.commit(() => this.db.put(key, this.record(l)));
    return l;
  }

  /** The record the pipeline stores once every line of the lineage before `offset` is delivered. */
  cursorValue(key: string, identity: string | undefined, offset: number): FileCursor | undefined {
    const l = this.byKey.get(key);
    if (!l || l.identity !== identity) return undefined;
    l.committed = Math.max(l.committed, offset);
    l.updated = this.now();
    return this.record(l);
  }

  record(l: Lineage<R>): FileCursor {
    return { identity: l.identity, path: l.path, dev: l.origin.dev, ino: l.origin.ino, head: l.fp.head, headLength: l.fp.headLength, offset: l.committed, updated: l.updated };
  }

  /**
   * Forgets the least recently used dormant lineages beyond `maxDormant` (none with lines in
   * flight). Call it after a scan, when every file present holds its lineage.
   */
  evict(): void {
    const dormant = [...this.byKey.values()].filter((l) => l.holders === 0 && l.emitted <= l.committed);
    if (dormant.length <= this.maxDormant) return;
    dormant.sort((a, b) => (a.updated < b.updated ? -1 : a.updated > b.updated ? 1 : 0));
    const gone = dormant.slice(0, dormant.length - this.maxDormant);
    for (const l of gone) this.byKey.delete(l.key);
    this.store
      .commit(() => {
        for (const l of gone) this.db.remove(l.key);
      })
      .catch((err: unknown) => this.ctx.logger.warn(`file input '${this.input}': cannot remove ${gone.length} old position record(s): ${describeError(err)}`, { input: this.input }));
  }

  private now(): string {
    return new Date(this.ctx.clock.now()).toISOString();
  }
}
