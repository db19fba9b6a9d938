// A harvester reads one file from an offset and emits complete lines.
//
// It reads fixed-size chunks, splits on '\n' (a trailing '\r' is dropped), and keeps an
// incomplete last line until its terminator arrives (a line is only emitted whole). A line
// longer than the limit is emitted once, cut to the limit and flagged `tooLong`, so it is
// dead-lettered with its start instead of growing memory without bound; the rest is skipped.
// Memory per harvester: one read buffer plus at most one limit-sized partial line.

import { fstatSync, openSync, readSync, closeSync } from 'node:fs';
import type { RawLine, SourceRef } from '../../pipeline/event.js';

export interface HarvesterOptions {
  input: string;
  path: string;
  cursorKey: string;
  identity: string;
  offset: number;
  maxLineBytes: number;
  bufferBytes: number;
}

export class Harvester {
  readonly path: string;
  readonly cursorKey: string;
  /** Byte offset just past the last byte read from the file. */
  private readPos: number;
  /** Offset where the pending partial line starts. */
  private lineStart: number;
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private skipping = false; // inside an over-long line, discarding until its terminator
  private readonly buf: Buffer;
  private fd: number | undefined;

  constructor(private readonly o: HarvesterOptions) {
    this.path = o.path;
    this.cursorKey = o.cursorKey;
    this.readPos = o.offset;
    this.lineStart = o.offset;
    this.buf = Buffer.allocUnsafe(o.bufferBytes);
    this.fd = openSync(o.path, 'r');
  }

  /** Current size of the open file (follows the handle, even after a rename). */
  size(): number {
    return this.fd === undefined ? 0 : fstatSync(this.fd).size;
  }

  get position(): number {
    return this.readPos;
  }

  /** Reads one chunk; returns the complete lines in it ([] at end of file). */
  readChunk(now: number): { lines: RawLine[]; eof: boolean } {
    if (this.fd === undefined) return { lines: [], eof: true };
    const n = readSync(this.fd, this.buf, 0, this.buf.length, this.readPos);
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
      cursorKey: this.o.cursorKey,
      identity: this.o.identity,
      path: this.o.path,
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
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
