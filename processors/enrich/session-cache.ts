// Learned session cache: learns user ↔ IP ↔ job name ↔ job id ↔ terminal bindings from the
// stream itself and fills them into later records that lack them (domain.md §1: the TN3270 LU is
// the join key between a client IP and a TSO session's terminal, user and job).
//
// Per event, in this order (`enrich`):
//   1. sweep    drop up to two expired entries from the least recently learned end
//   2. rebind   a session start record (start_actions) drops the old binding of its terminal
//   3. learn    a record carrying ≥ 2 of {user, IP, job name, job id, terminal} teaches each of its
//               keys (job id, terminal, job name; scoped by host.name) the other values it carries
//   4. fill     missing fields from the entries of the record's keys, job id → terminal → job name;
//               a missing key is derived first (job name → terminal), so chains such as
//               job name → terminal → IP work
//   5. end      a session / job end record (end_actions) forgets the keys it names, after it has
//               itself been filled
// End records are recognised by event.action only: event.type 'end' is too broad (SMF 30-4 step
// end and SMF 119-2 TCP connection end are 'end' but end no session).
//
// Contracts: only fields the record lacks are written, and only values the record itself carried
// are learned (never filled ones). Freshness is judged by @timestamp: a value is usable while
// |event time − learned_at| ≤ ttl. A value contradicted within the TTL is ambiguous for a TTL after
// the last contradiction and never used; an ambiguous user.name means the key is shared by several
// people (CICSPRD), so nothing else is taken from that key either. A fill neither refreshes nor
// reorders an entry (it only drops expired ones it meets): the TTL runs from learning, so
// evicting the least recently learned entry evicts the one closest to expiry, and only learning
// produces store writes. Same events in the same order → same documents and same state,
// whatever the batch boundaries and restarts.

import type { EventDoc } from '../schema/event.js';
import type { FillField } from './config.js';
import { markField, markSource } from './marks.js';
import { Entry, IP, JOB, JOB_ID, KEY_ORDER, NEVER, SLOTS, SLOT_PATHS, SOURCE_NAME, TERMINAL, USER, type KeySlot } from './session-entry.js';
import { EntryIndex, type CacheChanges } from './session-index.js';

export type { CacheChanges } from './session-index.js';

export interface SessionCacheOptions {
  ttlMs: number;
  maxEntries: number;
  fill: readonly FillField[];
  endActions: readonly string[];
  startActions: readonly string[];
}

export interface SessionStats {
  entries: number;
  /** Records taught to the cache. */
  learned: number;
  /**
   * Records that lacked user.name, source.ip or process.name (those in `fill`) and named a key;
   * hits got at least one of them filled, misses none. Job id / terminal fills count in `filled` only.
   */
  lookups: number;
  hits: number;
  misses: number;
  filled: Record<FillField, number>;
  /** A value found but not used because it (or the key's user) was ambiguous. */
  ambiguous_skips: number;
  /** Values contradicted while fresh (what makes a field ambiguous). */
  conflicts: number;
  evictions: number;
  /** Entries dropped because every value had outlived the TTL. */
  expirations: number;
  /** Entries forgotten because an end record named them. */
  ended: number;
  /** Terminal bindings dropped by a new session on the same terminal. */
  rebound: number;
}

const MAX_SWEEP = 2;
/** Order fields are filled in (and listed in enrichment.fields): keys first, as config.ts FILL_FIELDS. */
const FILL_ORDER = [JOB, JOB_ID, TERMINAL, USER, IP] as const;
/** The fields the source documents require on every event; lookups / hits / misses count these only. */
const CORE = (1 << USER) | (1 << IP) | (1 << JOB);

export class SessionCache {
  private readonly ttl: number;
  private readonly fillMask: number;
  private readonly ends: ReadonlySet<string>;
  private readonly starts: ReadonlySet<string>;
  private readonly store: EntryIndex;
  private readonly s: SessionStats;
  // Per-event scratch, reused: enrich allocates nothing unless it learns a new key or fills a field.
  private readonly vals: (string | undefined)[] = [undefined, undefined, undefined, undefined, undefined];
  private readonly ents: (Entry | undefined)[] = [undefined, undefined, undefined, undefined, undefined];
  /** Per key slot: bit mask of the key slots the key was derived through (0 when the record carried it). */
  private readonly via: number[] = [0, 0, 0, 0, 0];

  constructor(options: SessionCacheOptions) {
    if (options.maxEntries < 3) throw new RangeError('maxEntries must be at least 3'); // one event touches up to 3 keys
    this.ttl = options.ttlMs;
    this.store = new EntryIndex(options.maxEntries);
    this.fillMask = options.fill.reduce((m, f) => m | (1 << SLOT_PATHS.indexOf(f)), 0);
    this.ends = new Set(options.endActions);
    this.starts = new Set(options.startActions);
    const filled = { 'process.name': 0, 'zos.job_id': 0, 'zos.terminal': 0, 'user.name': 0, 'source.ip': 0 };
    this.s = { entries: 0, learned: 0, lookups: 0, hits: 0, misses: 0, filled, ambiguous_skips: 0, conflicts: 0, evictions: 0, expirations: 0, ended: 0, rebound: 0 };
  }

  /** Learns from `doc` and fills what it lacks. `now` is its @timestamp in epoch ms; NaN skips the event. */
  enrich(doc: EventDoc, now: number): void {
    if (Number.isNaN(now)) return;
    const vals = this.vals;
    vals[USER] = doc.user?.name;
    vals[IP] = doc.source?.ip;
    vals[JOB] = doc.process?.name;
    vals[JOB_ID] = doc.zos?.job_id;
    vals[TERMINAL] = doc.zos?.terminal;
    const system = doc.host.name ?? '';
    this.sweep(now);
    const action = doc.event.action;
    const ending = action !== undefined && this.ends.has(action);
    if (!ending) {
      if (action !== undefined && vals[TERMINAL] !== undefined && this.starts.has(action)) {
        const old = this.get(TERMINAL, system, vals[TERMINAL]);
        if (old !== undefined) this.remove(old, 'rebound');
      }
      let present = 0;
      for (let f = 0; f < SLOTS; f++) if (vals[f] !== undefined) present++;
      if (present >= 2) this.learn(system, now);
    }
    // A source.address is the record's own (non-IP) client address: no IP is filled over it.
    let missing = 0;
    for (let f = 0; f < SLOTS; f++) if (vals[f] === undefined) missing |= 1 << f;
    if (doc.source?.address !== undefined) missing &= ~(1 << IP);
    if ((missing & this.fillMask) !== 0) this.fill(doc, system, now, missing & this.fillMask);
    if (ending) this.end(system, now, missing);
  }

  private learn(system: string, now: number): void {
    const vals = this.vals;
    if (vals[JOB_ID] === undefined && vals[TERMINAL] === undefined && vals[JOB] === undefined) return;
    this.s.learned++;
    for (const k of KEY_ORDER) {
      const key = vals[k];
      if (key === undefined) continue;
      const e = this.store.touch(k, system, key);
      for (let f = 0; f < SLOTS; f++) {
        const v = vals[f];
        if (f !== k && v !== undefined) this.learnField(e, f, v, now);
      }
      e.updateSeen();
    }
  }

  private learnField(e: Entry, f: number, v: string, now: number): void {
    const cur = e.v[f];
    const t = e.t[f] as number;
    if (cur === undefined || !this.fresh(t, now)) {
      e.v[f] = v;
      e.t[f] = now;
      e.a[f] = NEVER;
      return;
    }
    if (now > t) e.t[f] = now;
    if (cur === v) return;
    e.v[f] = v; // the latest value wins once the ambiguity has passed
    if (now > (e.a[f] as number)) e.a[f] = now;
    this.s.conflicts++;
  }

  private fill(doc: EventDoc, system: string, now: number, want: number): void {
    const vals = this.vals;
    const ents = this.ents;
    const via = this.via;
    let keys = 0;
    for (const k of KEY_ORDER) {
      via[k] = 0;
      const key = vals[k];
      ents[k] = key === undefined ? undefined : this.get(k, system, key, now);
      if (key !== undefined) keys++;
    }
    if (keys === 0) return;
    // Derive missing keys from the keys at hand (two rounds reach every key from any one).
    for (let round = 0; round < 2; round++) {
      let derived = false;
      for (const k of KEY_ORDER) {
        if (vals[k] !== undefined) continue;
        const from = this.pick(k, now);
        if (from < 0) continue;
        const key = (ents[from] as Entry).v[k] as string;
        vals[k] = key;
        via[k] = (1 << from) | (via[from] as number);
        ents[k] = this.get(k, system, key, now);
        derived = true;
      }
      if (!derived) break;
    }
    let sources = 0;
    let core = 0;
    for (const f of FILL_ORDER) {
      if ((want & (1 << f)) === 0) continue;
      let value: string | undefined;
      if (f === JOB || f === JOB_ID || f === TERMINAL) {
        value = vals[f]; // derived above (the record lacked it)
        sources |= via[f] as number;
      } else {
        const from = this.pick(f, now);
        if (from >= 0) {
          value = (ents[from] as Entry).v[f];
          sources |= (1 << from) | (via[from] as number);
        }
      }
      if (value === undefined) continue;
      setField(doc, f, value);
      markField(doc, SLOT_PATHS[f] as string);
      this.s.filled[SLOT_PATHS[f] as FillField]++;
      if (f === USER || f === IP || f === JOB) core++;
    }
    for (const k of KEY_ORDER) if ((sources & (1 << k)) !== 0) markSource(doc, SOURCE_NAME[k] as string);
    if ((want & CORE) !== 0) {
      this.s.lookups++;
      if (core > 0) this.s.hits++;
      else this.s.misses++;
    }
    for (const k of KEY_ORDER) ents[k] = undefined; // hold no entries between events
  }

  /** The first key slot, in lookup order, whose entry has a usable value for field `f`; -1 when none. */
  private pick(f: number, now: number): number {
    for (const k of KEY_ORDER) {
      const e = this.ents[k];
      if (e === undefined || k === f || e.v[f] === undefined || !this.fresh(e.t[f] as number, now)) continue;
      if (this.fresh(e.a[f] as number, now) || (e.v[USER] !== undefined && this.fresh(e.a[USER] as number, now))) {
        this.s.ambiguous_skips++;
        continue;
      }
      return k;
    }
    return -1;
  }

  /**
   * An end record forgets its job id and terminal, and its job name when that entry describes the
   * same job (same job id) or session (same terminal): other jobs may run under the same name.
   */
  private end(system: string, now: number, missing: number): void {
    const vals = this.vals;
    // Only the keys the record carried: fill may have derived others into vals.
    const jid = (missing & (1 << JOB_ID)) === 0 ? vals[JOB_ID] : undefined;
    const term = (missing & (1 << TERMINAL)) === 0 ? vals[TERMINAL] : undefined;
    let job = (missing & (1 << JOB)) === 0 ? vals[JOB] : undefined;
    const byTerminal = term === undefined ? undefined : this.get(TERMINAL, system, term);
    // A session end without a job name: the job name its terminal was bound to ends with it.
    if (job === undefined && byTerminal !== undefined && this.fresh(byTerminal.t[JOB] as number, now) && !this.fresh(byTerminal.a[JOB] as number, now)) {
      job = byTerminal.v[JOB];
    }
    if (job !== undefined) {
      const e = this.get(JOB, system, job);
      if (e !== undefined && ((jid !== undefined && this.usable(e, JOB_ID, jid, now)) || (term !== undefined && this.usable(e, TERMINAL, term, now)))) {
        this.remove(e, 'ended');
      }
    }
    const byId = jid === undefined ? undefined : this.get(JOB_ID, system, jid);
    if (byId !== undefined) this.remove(byId, 'ended');
    if (byTerminal !== undefined) this.remove(byTerminal, 'ended');
  }

  private usable(e: Entry, f: number, value: string, now: number): boolean {
    return e.v[f] === value && this.fresh(e.t[f] as number, now) && !this.fresh(e.a[f] as number, now);
  }

  private fresh(t: number, now: number): boolean {
    const d = now - t;
    return d <= this.ttl && d >= -this.ttl;
  }

  /** The entry for a key; with `now`, an expired entry is dropped and undefined returned. */
  private get(k: KeySlot, system: string, value: string, now?: number): Entry | undefined {
    const e = this.store.get(k, system, value);
    if (e !== undefined && now !== undefined && now - e.seen > this.ttl) {
      this.remove(e, 'expirations');
      return undefined;
    }
    return e;
  }

  private sweep(now: number): void {
    for (let i = 0; i < MAX_SWEEP; i++) {
      const e = this.store.tail;
      if (e === undefined || now - e.seen <= this.ttl) return;
      this.remove(e, 'expirations');
    }
  }

  private remove(e: Entry, reason: 'expirations' | 'ended' | 'rebound'): void {
    this.store.remove(e);
    this.s[reason]++;
  }

  /** Entries changed since the last call (detached plain objects) and keys removed since. */
  takeChanges(): CacheChanges {
    return this.store.takeChanges();
  }

  /** Restores persisted entries; throws SMF_ERR_STORE_CORRUPT naming an invalid one. */
  load(entries: Iterable<readonly [string, unknown]>): void {
    this.store.load(entries);
  }

  stats(): SessionStats {
    return { ...this.s, entries: this.store.size, evictions: this.store.evictions, filled: { ...this.s.filled } };
  }
}

function setField(doc: EventDoc, f: number, v: string): void {
  switch (f) {
    case USER:
      (doc.user ??= {}).name = v;
      break;
    case IP:
      (doc.source ??= {}).ip = v;
      break;
    case JOB:
      (doc.process ??= {}).name = v;
      break;
    case JOB_ID:
      (doc.zos ??= {}).job_id = v;
      break;
    case TERMINAL:
      (doc.zos ??= {}).terminal = v;
      break;
  }
}
