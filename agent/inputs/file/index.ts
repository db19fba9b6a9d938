// The file input (a prospector, in Beats' words): finds files matching its globs, keeps one
// harvester per file identity, and emits complete lines to the pipeline.
//
// Data flow:   scan globs → identity (dev+inode, head fingerprint) → harvester from the committed
//              offset → lines → sink (awaits: the pipeline's backpressure stops reading here).
// Acknowledgement flow: the pipeline commits `end` offsets per cursor key in the store once the
//              lines are delivered; `cursorValue` tells it what record to write.

import { closeSync, fstatSync, openSync, statSync, type Stats } from 'node:fs';
import { compileGlobs, type Glob } from '../../fs/glob.js';
import type { FileInputConfig } from '../../config/schema.js';
import type { AgentContext } from '../../context.js';
import { describeError } from '../../errors.js';
import type { StateStore } from '../../store/store.js';
import { wait } from '../../pipeline/backoff.js';
import { Harvester } from './harvester.js';
import type { Input, LineSink } from '../input.js';
import { cursorKey, headHash, HEAD_BYTES, identityOf, type FileCursor } from './identity.js';

interface Tracked {
  harvester: Harvester;
  cursor: FileCursor;
}

export class FileInput implements Input {
  readonly name: string;
  private readonly tracked = new Map<string, Tracked>();
  /** Cursors of harvesters released while their last lines may still be in flight (bounded LRU). */
  private readonly released = new Map<string, FileCursor>();
  private readonly glob: Glob;
  private readonly stopController = new AbortController();
  private loop: Promise<void> | undefined;
  private firstScan = true;

  constructor(
    private readonly config: FileInputConfig,
    private readonly ctx: AgentContext,
    private readonly store: StateStore,
  ) {
    this.name = config.name;
    this.glob = compileGlobs(config.paths);
  }

  start(sink: LineSink): void {
    this.loop ??= this.run(sink).catch((err) => {
      this.ctx.logger.error(`file input '${this.name}' stopped on an unexpected error: ${describeError(err)}`, { input: this.name });
    });
  }

  async stop(): Promise<void> {
    this.stopController.abort();
    await this.loop;
    for (const t of this.tracked.values()) t.harvester.close();
    this.tracked.clear();
  }

  cursorValue(key: string, identity: string | undefined, offset: number): FileCursor | undefined {
    const cursor = this.tracked.get(key)?.cursor ?? this.released.get(key);
    if (!cursor || identityOf(cursor) !== identity) return undefined;
    return { ...cursor, offset, updated: new Date(this.ctx.clock.now()).toISOString() };
  }

  private get stopped(): boolean {
    return this.stopController.signal.aborted || this.ctx.signal.aborted;
  }

  private async run(sink: LineSink): Promise<void> {
    while (!this.stopped) {
      this.scan();
      let progressed = false;
      for (const [key, t] of this.tracked) {
        if (this.stopped) break;
        progressed = (await this.harvest(t, sink)) || progressed;
        if (this.shouldRelease(t)) {
          t.harvester.close();
          this.tracked.delete(key);
          this.released.set(key, t.cursor);
          if (this.released.size > 1024) this.released.delete(this.released.keys().next().value!);
        }
      }
      if (!progressed && !(await wait(this.config.poll_interval_ms, this.stopController.signal))) break;
    }
  }

  /** Reads one file until end of file (or stop), emitting each chunk's lines. */
  private async harvest(t: Tracked, sink: LineSink): Promise<boolean> {
    const h = t.harvester;
    let progressed = false;
    const size = h.size();
    if (size < h.position) {
      this.ctx.logger.warn(`file ${h.path} was truncated (size ${size} < position ${h.position}); reading it again from the start`, { input: this.name });
      this.reopen(t.cursor.path, t);
      return true;
    }
    this.ctx.metrics.fileLagBytes.set({ input: this.name, path: h.path }, size - h.position);
    while (!this.stopped) {
      const { lines, eof } = h.readChunk(this.ctx.clock.now());
      if (eof) break;
      progressed = true;
      if (lines.length > 0) {
        let bytes = 0;
        for (const l of lines) bytes += l.bytes;
        this.ctx.metrics.linesRead.inc({ input: this.name }, lines.length);
        this.ctx.metrics.bytesRead.inc({ input: this.name }, bytes);
        await sink(lines);
      }
    }
    return progressed;
  }

  /** A file that no longer exists under any watched name, read to its end, is released. */
  private shouldRelease(t: Tracked): boolean {
    try {
      const st = statSync(t.cursor.path);
      if (st.ino === t.cursor.ino && st.dev === t.cursor.dev) return false;
    } catch {
      /* gone from that path */
    }
    return t.harvester.position >= t.harvester.size();
  }

  private scan(): void {
    for (const path of this.glob.list()) {
      let st: Stats;
      try {
        st = statSync(path);
      } catch {
        continue;
      }
      if (!st.isFile()) continue;
      const key = cursorKey(this.name, st);
      const existing = this.tracked.get(key);
      if (existing) {
        existing.cursor.path = path; // renamed: same file, keep reading
        continue;
      }
      try {
        this.open(path, key, st);
      } catch (err) {
        this.ctx.logger.warn(`cannot open ${path}: ${describeError(err)}`, { input: this.name });
      }
    }
    this.firstScan = false;
  }

  private open(path: string, key: string, st: Stats): void {
    const fd = openSync(path, 'r');
    let head: { head: string; headLength: number };
    try {
      if (fstatSync(fd).size === 0) return; // nothing to fingerprint yet
      const saved = this.store.db<string, FileCursor>('cursors').get(key);
      if (saved && saved.headLength > 0 && headHash(fd, saved.headLength).head === saved.head && st.size >= saved.offset) {
        this.track(path, key, { ...saved, path });
        return;
      }
      head = headHash(fd, HEAD_BYTES);
    } finally {
      closeSync(fd);
    }
    const startAtEnd = this.config.start_at === 'end' && this.firstScan;
    const cursor: FileCursor = { path, dev: st.dev, ino: st.ino, ...head, offset: startAtEnd ? st.size : 0, updated: '' };
    this.track(path, key, cursor);
  }

  private track(path: string, key: string, cursor: FileCursor): void {
    const harvester = new Harvester({
      input: this.name,
      path,
      cursorKey: key,
      identity: identityOf(cursor),
      offset: cursor.offset,
      maxLineBytes: this.config.max_line_bytes,
      bufferBytes: this.config.read_buffer_bytes,
    });
    this.tracked.set(key, { harvester, cursor });
    this.ctx.logger.info(`reading ${path} from offset ${cursor.offset}`, { input: this.name, file: { path } });
  }

  private reopen(path: string, t: Tracked): void {
    t.harvester.close();
    const key = t.harvester.cursorKey;
    this.tracked.delete(key);
    const fd = openSync(path, 'r');
    try {
      const st = fstatSync(fd);
      const head = headHash(fd, HEAD_BYTES);
      this.track(path, key, { path, dev: st.dev, ino: st.ino, ...head, offset: 0, updated: '' });
    } finally {
      closeSync(fd);
    }
  }
}
