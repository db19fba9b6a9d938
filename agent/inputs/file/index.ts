// The file input (a prospector, in Beats' words): finds files matching its globs, works out which
// content each one carries, reads every content once, and emits complete lines to the pipeline.
//
// Data flow:   scan globs → per new file (inode): identity (lineages.ts: the content it carries) →
//              reader: a harvester from the content's position → lines → sink (awaits: the
//              pipeline's backpressure stops reading here).
// Acknowledgement flow: the pipeline commits `end` offsets per content (cursor key) in the store
//              once the lines are delivered; `cursorValue` tells it what record to write.
//
// Rotation:
// - rename: the same inode, found under its new name; its reader keeps its handle and position.
// - copy-and-truncate: the copy is a new inode carrying the same content at the same offsets. While
//   the original still holds that content the copy waits as a standby; when the original is found
//   truncated, the copy takes over at the end of the last line emitted, under the same identity,
//   so no line is read twice and every document id stays the same.
// - truncation (or a rewrite from the start): every read is checked against the content's
//   fingerprint; a file that no longer carries it is identified afresh (new content from byte 0).
// A reader whose file left the globs (renamed away, deleted) is released only after it has read to
// the end and the file has stayed idle for RELEASE_IDLE_MS (a writer may not have reopened yet).

import { closeSync, fstatSync, openSync, statSync, type Stats } from 'node:fs';
import { compileGlobs, type Glob } from '../../fs/glob.js';
import type { FileInputConfig } from '../../config/schema.js';
import type { AgentContext } from '../../context.js';
import { describeError } from '../../errors.js';
import type { StateStore } from '../../store/store.js';
import { wait } from '../../pipeline/backoff.js';
import { Harvester } from './harvester.js';
import type { Input, LineSink } from '../input.js';
import { HEAD_BYTES, readAt, sameContent, type FileCursor } from './identity.js';
import { Lineages, type Lineage } from './lineages.js';

/** Chunks read from one file before the others get their turn (and the globs are scanned again). */
const MAX_CHUNKS_PER_PASS = 16;
/** How long a file that left the globs must stay at its end, unchanged, before it is closed. */
const RELEASE_IDLE_MS = 5000;

/** One open file. Active: reads its lineage. Standby: a copy of content another file is reading. */
interface Reader {
  readonly inode: string;
  readonly h: Harvester;
  lineage: Lineage<Reader>;
  active: boolean;
  /** Number of the last scan that found the file under a watched name. */
  seen: number;
  /** Active readers: since when the file has been at its end without new bytes. */
  idleSince: number | undefined;
  /** When the reader last reached the end of the file (lag in seconds counts from here). */
  caughtUpAt?: number;
}

export class FileInput implements Input {
  readonly name: string;
  private readonly readers = new Map<string, Reader>(); // by "dev:ino"
  private readonly lineages: Lineages<Reader>;
  private readonly glob: Glob;
  private readonly stopController = new AbortController();
  private loop: Promise<void> | undefined;
  private scans = 0;
  /** Contents cut off by a truncation with bytes unread: lost unless the next scan finds a copy. */
  private readonly orphans: { lineage: Lineage<Reader>; path: string; unread: number }[] = [];
  private lastScan = -Infinity;

  constructor(
    private readonly config: FileInputConfig,
    private readonly ctx: AgentContext,
    store: StateStore,
  ) {
    this.name = config.name;
    this.glob = compileGlobs(config.paths);
    this.lineages = new Lineages(config.name, store, ctx);
  }

  start(sink: LineSink): void {
    this.loop ??= this.run(sink).catch((err) => {
      this.ctx.logger.error(`file input '${this.name}' stopped on an unexpected error: ${describeError(err)}`, { input: this.name });
    });
  }

  async stop(): Promise<void> {
    this.stopController.abort();
    await this.loop;
    for (const r of this.readers.values()) r.h.close();
    this.readers.clear();
  }

  cursorValue(key: string, identity: string | undefined, offset: number): FileCursor | undefined {
    return this.lineages.cursorValue(key, identity, offset);
  }

  private get stopped(): boolean {
    return this.stopController.signal.aborted || this.ctx.signal.aborted;
  }

  private async run(sink: LineSink): Promise<void> {
    this.lineages.load();
    while (!this.stopped) {
      let progressed = false;
      try {
        if (this.ctx.clock.now() - this.lastScan >= this.config.poll_interval_ms) {
          this.lastScan = this.ctx.clock.now();
          await this.scan();
        }
        for (const r of [...this.readers.values()]) {
          if (this.stopped) break;
          if (r.active && this.readers.get(r.inode) === r) progressed = (await this.harvest(r, sink)) || progressed;
        }
        this.release();
      } catch (err) {
        if (this.stopped) break; // the queue closed under a pending emit
        // Never give up reading after start: log, and go on after a pause.
        this.ctx.logger.error(`file input '${this.name}': ${describeError(err)}`, { input: this.name });
        progressed = false;
      }
      if (!progressed && !(await wait(this.config.poll_interval_ms, this.stopController.signal))) break;
    }
  }

  /** Reads up to MAX_CHUNKS_PER_PASS chunks of one file (less at its end), emitting each chunk's lines. */
  private async harvest(r: Reader, sink: LineSink): Promise<boolean> {
    const { h, lineage } = r;
    let progressed = false;
    for (let i = 0; i < MAX_CHUNKS_PER_PASS && !this.stopped; i++) {
      const now = this.ctx.clock.now();
      let chunk;
      try {
        chunk = h.readChunk(now);
      } catch (err) {
        // An I/O error (a stale network file handle…): close it; the next scan opens the file again
        // and, matching its content, goes on from the last line emitted under the same identity.
        this.ctx.logger.warn(`cannot read ${h.path}: ${describeError(err)}; opening it again`, { input: this.name, file: { path: h.path } });
        this.drop(r);
        return false;
      }
      if (chunk.changed) {
        this.detach(r, 'was truncated or rewritten');
        return true;
      }
      if (chunk.eof) {
        r.idleSince ??= now;
        r.caughtUpAt = now;
        break;
      }
      r.idleSince = undefined;
      progressed = true;
      if (chunk.lines.length > 0) {
        let bytes = 0;
        for (const l of chunk.lines) bytes += l.bytes;
        this.ctx.metrics.linesRead.inc({ input: this.name }, chunk.lines.length);
        this.ctx.metrics.bytesRead.inc({ input: this.name }, bytes);
        await sink(chunk.lines);
        lineage.emitted = h.emitted;
      }
    }
    const lag = Math.max(0, h.size() - h.position);
    this.ctx.metrics.fileLagBytes.set({ input: this.name, path: h.path }, lag);
    // Seconds behind: how long since the reader was last at the end of this file (0 when it is).
    r.caughtUpAt ??= this.ctx.clock.now();
    this.ctx.metrics.fileLagSeconds.set({ input: this.name, path: h.path }, lag === 0 ? 0 : (this.ctx.clock.now() - r.caughtUpAt) / 1000);
    return progressed;
  }

  private async scan(): Promise<void> {
    const scan = ++this.scans;
    for (const path of this.glob.list()) {
      let st: Stats;
      try {
        st = statSync(path);
      } catch {
        continue; // gone between listing and stat (rotation in progress): the next scan finds it
      }
      if (!st.isFile()) continue;
      const r = this.readers.get(`${st.dev}:${st.ino}`);
      if (r) {
        r.seen = scan;
        if (r.h.path !== path) {
          r.h.path = path; // renamed: same file, keep reading
          if (r.active) r.lineage.path = path;
        }
        continue;
      }
      if (st.size === 0) continue; // nothing to fingerprint yet
      try {
        await this.identify(path, st, scan);
      } catch (err) {
        this.ctx.logger.warn(`cannot open ${path}: ${describeError(err)}`, { input: this.name });
      }
    }
    this.checkStandbys();
    this.reportOrphans();
    this.lineages.evict();
  }

  /** A file not read yet: which content does it carry, and does it read it or stand by? */
  private async identify(path: string, st: Stats, scan: number): Promise<void> {
    const fd = openSync(path, 'r');
    let owned = false;
    try {
      const fst = fstatSync(fd);
      if (fst.dev !== st.dev || fst.ino !== st.ino || fst.size === 0) return; // replaced meanwhile: next scan
      const head = readAt(fd, 0, Math.min(fst.size, HEAD_BYTES));
      const file = { fd, size: fst.size, head };
      let m = this.lineages.match(file);
      while (m.lost.length > 0) {
        // Readers whose file was truncated: a copy of theirs may take over; then look again.
        for (const l of m.lost) if (l.active) this.detach(l.active, 'was truncated or rewritten');
        m = this.lineages.match(file);
      }
      if (m.undecided) return; // looked at again at the next scan, once it has more bytes
      let lineage = m.lineage;
      let offset: number;
      if (lineage && m.live) {
        this.add(path, fd, scan, lineage, false);
        owned = true;
        this.ctx.logger.info(`${path} is a copy of ${lineage.path} (content ${lineage.identity}); it is read if that file loses the content`, { input: this.name, file: { path } });
        return;
      }
      if (lineage) {
        offset = lineage.emitted; // no file reads it (a copy of truncated content, or found again)
      } else {
        const startAtEnd = this.config.start_at === 'end' && scan === 1;
        offset = startAtEnd ? fst.size : 0;
        lineage = await this.lineages.create(path, fst, head, offset);
      }
      lineage.path = path;
      this.add(path, fd, scan, lineage, true, offset);
      owned = true;
      const how = m.lineage ? ` (content ${lineage.identity}, found again or copied${offset > fst.size ? `; the file is ${fst.size} bytes, so only what it gains after byte ${offset}` : ''})` : '';
      this.ctx.logger.info(`reading ${path} from offset ${offset}${how}`, { input: this.name, file: { path } });
    } finally {
      if (!owned) closeSync(fd);
    }
  }

  private add(path: string, fd: number, scan: number, lineage: Lineage<Reader>, active: boolean, offset = 0): Reader {
    const h = new Harvester({
      input: this.name,
      path,
      fd,
      cursorKey: lineage.key,
      identity: lineage.identity,
      fingerprint: lineage.fp,
      offset,
      maxLineBytes: this.config.max_line_bytes,
      bufferBytes: this.config.read_buffer_bytes,
    });
    const st = fstatSync(fd);
    const r: Reader = { inode: `${st.dev}:${st.ino}`, h, lineage, active, seen: scan, idleSince: undefined };
    this.readers.set(r.inode, r);
    lineage.holders++;
    if (active) lineage.active = r;
    return r;
  }

  /** The reader's file no longer carries its content: a copy takes over, the file is identified afresh. */
  private detach(r: Reader, why: string): void {
    const l = r.lineage;
    const unread = r.h.seenSize - l.emitted;
    this.drop(r);
    const next = this.promote(l);
    this.ctx.logger.info(
      `${r.h.path} ${why} (content ${l.identity} read to byte ${l.emitted}${unread > 0 ? `, ${unread} bytes after it not yet` : ''}): ${next ? `going on in its copy ${next.h.path}` : 'looking for a copy'}; what the file holds now is read as new content`,
      { input: this.name, file: { path: r.h.path } },
    );
    if (!next && unread > 0) this.orphans.push({ lineage: l, path: r.h.path, unread });
    this.lastScan = -Infinity; // identify what the file holds now, and look for a copy, at once
  }

  /** After a scan: content cut off with unread bytes and still no copy of it is reported lost. */
  private reportOrphans(): void {
    for (const o of this.orphans.splice(0)) {
      if (o.lineage.active) continue; // a copy took over
      this.ctx.logger.warn(`${o.path}: ${o.unread} bytes of content ${o.lineage.identity} after byte ${o.lineage.emitted} were truncated before they could be read, and no copy of them was found`, {
        input: this.name,
        file: { path: o.path },
      });
    }
  }

  /** Makes the largest standby copy of `l` its reader, at the end of the last line emitted. */
  private promote(l: Lineage<Reader>): Reader | undefined {
    let best: { r: Reader; size: number } | undefined;
    for (const r of this.readers.values()) {
      if (r.lineage !== l || r.active) continue;
      const size = r.h.size();
      if (!best || size > best.size) best = { r, size };
    }
    if (!best) return undefined;
    const r = best.r;
    r.active = true;
    r.idleSince = undefined;
    r.h.bind({ cursorKey: l.key, identity: l.identity, fingerprint: l.fp }, l.emitted);
    l.active = r;
    l.path = r.h.path;
    this.ctx.logger.info(`reading ${r.h.path} from offset ${l.emitted}: it carries content ${l.identity}`, { input: this.name, file: { path: r.h.path } });
    return r;
  }

  /**
   * After a scan: each standby copy still agrees with its content's reader; if that reader's file
   * lost the content, the copy takes over; if the copy differs, it is an unrelated file that only
   * began alike, read as content of its own; if it is longer than a reader already at its end
   * (found first after a restart, the copy was made the reader), the longer file reads on.
   */
  private checkStandbys(): void {
    for (const r of [...this.readers.values()]) {
      if (r.active || this.readers.get(r.inode) !== r) continue;
      const l = r.lineage;
      const a = l.active;
      if (!a) {
        this.promote(l);
        continue;
      }
      if (!a.h.carries()) {
        this.detach(a, 'was truncated or rewritten');
        continue;
      }
      const copy = { fd: r.h.fd, size: r.h.size() };
      const reader = { fd: a.h.fd, size: a.h.size() };
      if (!r.h.carries(false) || !sameContent(reader, copy)) {
        if (!a.h.carries()) {
          this.detach(a, 'was truncated or rewritten'); // the comparison saw the truncation
          continue;
        }
        this.drop(r);
        this.ctx.logger.info(`${r.h.path} began like ${a.h.path} but differs: read as content of its own`, { input: this.name, file: { path: r.h.path } });
        this.lastScan = -Infinity;
      } else if (copy.size > reader.size && a.idleSince !== undefined) {
        a.active = false;
        l.active = undefined;
        this.promote(l);
      }
    }
  }

  /** Releases readers whose file left the globs: standbys at once, readers once read to the end and idle. */
  private release(): void {
    const now = this.ctx.clock.now();
    for (const r of [...this.readers.values()]) {
      if (r.seen === this.scans) continue;
      if (!r.active) {
        this.drop(r);
        continue;
      }
      if (r.idleSince === undefined || now - r.idleSince < RELEASE_IDLE_MS || r.h.position < r.h.size()) continue;
      const l = r.lineage;
      this.drop(r);
      this.ctx.metrics.fileLagBytes.remove({ input: this.name, path: r.h.path });
      this.ctx.metrics.fileLagSeconds.remove({ input: this.name, path: r.h.path });
      this.ctx.logger.info(`released ${r.h.path}: no longer matched by the paths, read to its end (byte ${l.emitted})`, { input: this.name, file: { path: r.h.path } });
      this.promote(l);
    }
  }

  private drop(r: Reader): void {
    r.h.close();
    this.readers.delete(r.inode);
    r.lineage.holders--;
    if (r.lineage.active === r) r.lineage.active = undefined;
  }
}
