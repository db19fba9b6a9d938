// The UDP input's holding area for datagrams the pipeline cannot take yet (UDP cannot push back).
//
// One FIFO in two parts: the oldest datagrams in memory (up to `memoryBytes`), the newer ones in
// a spool file (up to `maxFileBytes`). Once anything is on disk, new datagrams go to disk too, so
// order is kept: `take` empties memory first, then reads the file; a fully read file is truncated
// to zero and memory is used again. What fits in neither is refused (the caller counts the drop).
//
// The file is scratch space, not state: it is truncated when first opened and deleted on close.
// Nothing survives a restart (UDP is at-most-once by nature). Record layout, little-endian:
//   u32 data length | u8 flags (1: tooLong) | u8 peer length | u16 0 | f64 receivedAt | peer | data

import { closeSync, ftruncateSync, mkdirSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Datagram {
  data: Buffer; // the message, already cut to the size limit
  tooLong: boolean;
  receivedAt: number;
  peer: string;
}

export type PushResult = 'memory' | 'disk' | 'full';

const HEADER = 16;
const READ_BLOCK = 1024 * 1024;

export class DatagramSpool {
  private memory: Datagram[] = [];
  private head = 0;
  private memoryUsed = 0;
  private fd: number | undefined;
  private readPos = 0;
  private writePos = 0;
  private onDisk = 0; // records written and not yet read

  constructor(private readonly o: { memoryBytes: number; maxFileBytes: number; path: string }) {}

  /** Datagrams held, in memory and on disk. */
  get size(): number {
    return this.memory.length - this.head + this.onDisk;
  }

  /** Holds a datagram; throws only on a spool file I/O error (the datagram is then not held). */
  push(d: Datagram): PushResult {
    const cost = footprint(d);
    if (this.onDisk === 0 && this.memoryUsed + cost <= this.o.memoryBytes) {
      this.memory.push(d);
      this.memoryUsed += cost;
      return 'memory';
    }
    const peer = Buffer.from(d.peer.slice(0, 255), 'latin1');
    if (this.writePos + HEADER + peer.length + d.data.length > this.o.maxFileBytes) return 'full';
    this.write(d, peer);
    return 'disk';
  }

  /** The oldest datagrams, up to `maxCount` (at least one when any is held), oldest first. */
  take(maxCount: number, maxBytes: number): Datagram[] {
    const out: Datagram[] = [];
    let bytes = 0;
    while (this.head < this.memory.length && out.length < maxCount && (out.length === 0 || bytes + this.memory[this.head]!.data.length <= maxBytes)) {
      const d = this.memory[this.head++]!;
      this.memoryUsed -= footprint(d);
      bytes += d.data.length;
      out.push(d);
    }
    if (this.head === this.memory.length) {
      this.memory = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.memory.length) {
      this.memory = this.memory.slice(this.head);
      this.head = 0;
    }
    if (out.length === 0 && this.onDisk > 0) this.readDisk(out, maxCount, maxBytes);
    return out;
  }

  /** Closes and deletes the spool file; what it still held is gone (returns how many). */
  close(): number {
    const lost = this.size;
    this.memory = [];
    this.head = 0;
    this.memoryUsed = 0;
    this.onDisk = 0;
    this.readPos = 0;
    this.writePos = 0;
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
      rmSync(this.o.path, { force: true });
    }
    return lost;
  }

  private write(d: Datagram, peer: Buffer): void {
    if (this.fd === undefined) {
      mkdirSync(dirname(this.o.path), { recursive: true });
      this.fd = openSync(this.o.path, 'w+'); // truncates what an earlier run left
    }
    const rec = Buffer.allocUnsafe(HEADER + peer.length + d.data.length);
    rec.writeUInt32LE(d.data.length, 0);
    rec.writeUInt8(d.tooLong ? 1 : 0, 4);
    rec.writeUInt8(peer.length, 5);
    rec.writeUInt16LE(0, 6);
    rec.writeDoubleLE(d.receivedAt, 8);
    peer.copy(rec, HEADER);
    d.data.copy(rec, HEADER + peer.length);
    let done = 0;
    while (done < rec.length) done += writeSync(this.fd, rec, done, rec.length - done, this.writePos + done);
    this.writePos += rec.length;
    this.onDisk++;
  }

  private readDisk(out: Datagram[], maxCount: number, maxBytes: number): void {
    const fd = this.fd!;
    let block = Buffer.allocUnsafe(Math.min(READ_BLOCK, this.writePos - this.readPos));
    let n = readSync(fd, block, 0, block.length, this.readPos);
    let at = 0;
    let bytes = 0;
    while (out.length < maxCount && this.onDisk > 0) {
      if (n - at < HEADER) break;
      const len = block.readUInt32LE(at);
      const peerLen = block.readUInt8(at + 5);
      const size = HEADER + peerLen + len;
      if (n - at < size) {
        if (at > 0) break; // the rest on the next take
        block = Buffer.allocUnsafe(size); // one record larger than the block
        n = readSync(fd, block, 0, size, this.readPos);
        if (n < size) throw new Error(`spool file ${this.o.path} is shorter than its records (read ${n} of ${size} bytes)`);
        continue;
      }
      if (out.length > 0 && bytes + len > maxBytes) break;
      out.push({
        tooLong: block.readUInt8(at + 4) === 1,
        receivedAt: block.readDoubleLE(at + 8),
        peer: block.toString('latin1', at + HEADER, at + HEADER + peerLen),
        data: Buffer.from(block.subarray(at + HEADER + peerLen, at + size)),
      });
      bytes += len;
      at += size;
      this.readPos += size;
      this.onDisk--;
    }
    if (this.onDisk === 0) {
      ftruncateSync(fd, 0);
      this.readPos = 0;
      this.writePos = 0;
    }
  }
}

/** What a datagram counts against the memory bound: its bytes plus a fixed allowance for the object. */
function footprint(d: Datagram): number {
  return d.data.length + d.peer.length + 64;
}
