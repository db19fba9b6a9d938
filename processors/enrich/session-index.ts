// Storage of the session cache: entries by key, the learning-order list that bounds the size, and
// the change tracking behind takeChanges. No policy lives here (what to learn, when an entry has
// expired): session-cache.ts decides, this file keeps the books.
//
// The list runs from the most recently learned entry (head) to the least recently learned (tail).
// A lookup never reorders it, so fills leave the store untouched and only learning produces writes.

import { Entry, entryKey, restore, snapshot, type KeySlot, type StoredEntry } from './session-entry.js';

export interface CacheChanges {
  /** Entries created or changed since the last takeChanges, as detached plain objects. */
  put: [string, StoredEntry][];
  /** Keys removed since the last takeChanges (and not re-created since). */
  remove: string[];
}

export class EntryIndex {
  /** Per key slot: system → value → entry. Nested maps so a lookup builds no key string. */
  private readonly bySlot: Map<string, Map<string, Entry>>[] = [new Map(), new Map(), new Map(), new Map(), new Map()];
  private head: Entry | undefined;
  tail: Entry | undefined;
  size = 0;
  evictions = 0;
  private nextSeq = 1;
  private readonly dirty = new Set<Entry>();
  private readonly removed = new Set<string>();

  constructor(private readonly max: number) {}

  get(k: KeySlot, system: string, value: string): Entry | undefined {
    return this.bySlot[k]?.get(system)?.get(value);
  }

  /**
   * The entry for a key, created when missing (evicting the least recently learned entry when
   * full), moved to the head with a new learning sequence number and marked changed.
   */
  touch(k: KeySlot, system: string, value: string): Entry {
    const values = this.values(k, system);
    let e = values.get(value);
    if (e === undefined) {
      if (this.size >= this.max && this.tail !== undefined) {
        this.remove(this.tail);
        this.evictions++;
      }
      e = new Entry(entryKey(k, system, value), k, system, value);
      values.set(value, e);
      this.size++;
      this.removed.delete(e.key);
    } else {
      this.unlink(e);
    }
    this.linkHead(e);
    e.seq = this.nextSeq++;
    this.dirty.add(e);
    return e;
  }

  remove(e: Entry): void {
    this.unlink(e);
    this.bySlot[e.kind]?.get(e.system)?.delete(e.value);
    this.size--;
    this.dirty.delete(e);
    this.removed.add(e.key);
  }

  takeChanges(): CacheChanges {
    const put: [string, StoredEntry][] = [];
    for (const e of this.dirty) put.push([e.key, snapshot(e)]);
    const remove = [...this.removed];
    this.dirty.clear();
    this.removed.clear();
    return { put, remove };
  }

  /**
   * Restores persisted entries, replacing any with the same key, in their learning order. Loaded
   * entries are not reported as changed. Beyond the bound (a smaller configured max), the least
   * recently learned are evicted and reported as removed by the next takeChanges.
   */
  load(entries: Iterable<readonly [string, unknown]>): void {
    const restored: Entry[] = [];
    for (const [key, stored] of entries) restored.push(restore(key, stored));
    restored.sort((x, y) => x.seq - y.seq);
    for (const e of restored) {
      const values = this.values(e.kind, e.system);
      const old = values.get(e.value);
      if (old !== undefined) {
        this.unlink(old);
        this.size--;
        this.dirty.delete(old);
      }
      values.set(e.value, e);
      this.removed.delete(e.key);
      this.linkHead(e);
      this.size++;
      if (e.seq >= this.nextSeq) this.nextSeq = e.seq + 1;
    }
    while (this.size > this.max && this.tail !== undefined) {
      this.remove(this.tail);
      this.evictions++;
    }
  }

  private values(k: KeySlot, system: string): Map<string, Entry> {
    const systems = this.bySlot[k] as Map<string, Map<string, Entry>>;
    let values = systems.get(system);
    if (values === undefined) systems.set(system, (values = new Map()));
    return values;
  }

  private unlink(e: Entry): void {
    if (e.prev !== undefined) e.prev.next = e.next;
    else this.head = e.next;
    if (e.next !== undefined) e.next.prev = e.prev;
    else this.tail = e.prev;
    e.prev = e.next = undefined;
  }

  private linkHead(e: Entry): void {
    e.next = this.head;
    if (this.head !== undefined) this.head.prev = e;
    this.head = e;
    if (this.tail === undefined) this.tail = e;
  }
}
