// A harvester reads one file from an offset and emits complete lines.
//
// It reads fixed-size chunks, splits on '\n' (a trailing '\r' is dropped), and keeps an
// incomplete last line until its terminator arrives (a line is only emitted whole). A line
// longer than the limit is emitted once, cut to the limit and flagged `tooLong`, so it is
// dead-lettered with its start instead of growing memory without bound; the rest is skipped.
// Memory per harvester: one read buffer plus at most one limit-sized partial line.
//
// With a fingerprint, every read is followed by a check that the file still carries that content
// (it did not shrink, its head is unchanged). Only then are the bytes used: a truncation that
// happens before or during a read is seen by the check after it, so bytes of a rewritten file are
// never emitted as if they continued the old content (`changed` is returned instead).

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { RawLine, SourceRef } from '../../pipeline/event.js';
import { stillCarries, type Fingerprint } from './identity.js';

export interface HarvesterOptions {
  input: string;
  path: string;
  /** An already open descriptor of `path` (the harvester owns it from now on). */
  fd?: number;
  cursorKey: string;
  identity: string;
  /** The content the file must keep carrying; without it, reads are not checked. */
  fingerprint?: Fingerprint;
  offset: number;
  maxLineBytes: number;
  bufferBytes: number;
}

export interface Chunk {
  lines: RawLine[];
  eof: boolean;
  /** The file no longer carries the fingerprinted content (truncated or rewritten); nothing was read. */
  changed?: true;
}

export class Harvester {
  /** Current name of the file (updated on rename; stamped on the lines). */
  path: string;
  private cursorKeyValue: string;
  private identity: string;
  private fingerprint: Fingerprint | undefined;
  /** Byte offset just past the last byte read from the file. */
  private readPos: number;
  /** Offset where the pending partial line starts. */
  private lineStart: number;
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private skipping = false; // inside an over-long line, discarding until its terminator
  /** Largest size seen: a file only shrinks when it is truncated. */
  private maxSize: number;
  private readonly buf: Buffer;
  private fdValue: number | undefined;

  constructor(private readonly o: HarvesterOptions) {
    this.path = o.path;
    this.cursorKeyValue = o.cursorKey;
    this.identity = o.identity;
    this.fingerprint = o.fingerprint;
    this.readPos = o.offset;
    this.lineStart = o.offset;
    this.buf = Buffer.allocUnsafe(o.bufferBytes);
    this.fdValue = o.fd ?? openSync(o.path, 'r');
    this.maxSize = fstatSync(this.fdValue).size;
  }

  get cursorKey(): string {
    return this.cursorKeyValue;
  }

  get fd(): number {
    if (this.fdValue === undefined) throw new Error(`harvester of ${this.path} is closed`);
    return this.fdValue;
  }

  /** Current size of the open file (follows the handle, even after a rename). */
  size(): number {
    return this.fdValue === undefined ? 0 : fstatSync(this.fdValue).size;
  }

  /** Byte offset just past the last byte read. */
  get position(): number {
    return this.readPos;
  }

  /** Largest size of the file seen by this harvester. */
  get seenSize(): number {
    return this.maxSize;
  }

  /** Byte offset just past the last complete line emitted (where a successor would go on). */
  get emitted(): number {
    return this.lineStart;
  }

  /** Starts reading another content (or the same again) at `offset`; a pending partial line is dropped. */
  bind(source: { cursorKey: string; identity: string; fingerprint: Fingerprint }, offset: number): void {
    this.cursorKeyValue = source.cursorKey;
    this.identity = source.identity;
    this.fingerprint = source.fingerprint;
    this.readPos = offset;
    this.lineStart = offset;
    this.partial = [];
    this.partialBytes = 0;
    this.skipping = false;
  }

  /**
   * Whether the file still carries the fingerprinted content (always true without a fingerprint).
   * `extend`: let this file's longer head extend the fingerprint (only the content's own reader).
   */
  carries(extend = true): boolean {
    if (this.fdValue === undefined) return false;
    if (this.fingerprint === undefined) return true;
    const size = fstatSync(this.fdValue).size;
    if (size < this.maxSize) return false;
    this.maxSize = size;
    return stillCarries(this.fdValue, size, this.fingerprint, extend);
  }

  /** Reads one chunk; returns the complete lines in it ([] at end of file). */
  readChunk(now: number): Chunk {
    if (this.fdValue === undefined) return { lines: [], eof: true };
    const n = readSync(this.fdValue, this.buf, 0, this.buf.length, this.readPos);
    if (!this.carries()) return { lines: [], eof: true, changed: true };
    if (n === 0) return { lines: [], eof: true };
    const lines: RawLine[] = [];
    let segStart = 0;
    const base = this.readPos;
    for (;;) {
      const nl = this.buf.indexOf(10, segStart);
      if (nl === -1 || nl >= n) break;
      this.endLine(this.buf.subarray(segStart, nl), base + nl + 1, now, lines);
      segStart = nl + 1;
    }
    if (segStart < n) this.appendPartial(this.buf.subarray(segStart, n));
    this.readPos += n;
    return { lines, eof: false };
  }

  private appendPartial(chunk: Buffer): void {
    if (this.skipping) return;
    const room = this.o.maxLineBytes - this.partialBytes;
    if (chunk.length > room) {
      this.partial.push(Buffer.from(chunk.subarray(0, Math.max(0, room))));
      this.partialBytes += Math.max(0, room);
      this.skipping = true;
      return;
    }
    this.partial.push(Buffer.from(chunk)); // copy: the read buffer is reused
    this.partialBytes += chunk.length;
  }

  private endLine(tail: Buffer, end: number, now: number, out: RawLine[]): void {
    let tooLong = this.skipping;
    let bytes: Buffer;
    if (this.partial.length === 0) {
      bytes = tail;
    } else {
      this.appendPartial(tail);
      tooLong = this.skipping;
      bytes = Buffer.concat(this.partial, this.partialBytes);
    }
    if (!tooLong && bytes.length > this.o.maxLineBytes) {
      tooLong = true;
      bytes = bytes.subarray(0, this.o.maxLineBytes);
    }
    let len = bytes.length;
    if (!tooLong && len > 0 && bytes[len - 1] === 13) len--;
    const source: SourceRef = {
      input: this.o.input,
      cursorKey: this.cursorKeyValue,
      identity: this.identity,
      path: this.path,
      offset: this.lineStart,
      end,
    };
    out.push({ text: bytes.toString('utf8', 0, len), bytes: end - this.lineStart, source, receivedAt: now, ...(tooLong ? { tooLong } : {}) });
    this.lineStart = end;
    this.partial = [];
    this.partialBytes = 0;
    this.skipping = false;
  }

  close(): void {
    if (this.fdValue !== undefined) closeSync(this.fdValue);
    this.fdValue = undefined;
  }
}
