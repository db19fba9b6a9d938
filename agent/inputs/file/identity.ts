// File identity: which content is this, whatever file, name or inode it is read from?
//
// The unit of identity is a *content lineage*: the bytes a log file received since it was created
// (or last truncated). A lineage is named once, when first seen, after that file (device, inode,
// and a hash of its head): that name is the `identity` in document ids and in the cursor's store
// key, and it never changes. Its *fingerprint* is a hash of its first bytes (up to HEAD_BYTES,
// re-hashed longer while the file grows towards that length). A file whose head still hashes to the
// fingerprint carries the lineage at the same byte offsets: the same file after a rename, or a
// copy made by copy-and-truncate. A file that shrank, or whose head changed, no longer carries it
// (truncated or rewritten): what it holds now is a new lineage.

import { createHash } from 'node:crypto';
import { readSync, type Stats } from 'node:fs';

export const HEAD_BYTES = 1024;
/** Bytes compared at the end of the common part when deciding that one live file copies another. */
export const TAIL_BYTES = 4096;

/** A lineage's fingerprint. Mutable: it is extended (never changed) as the content grows. */
export interface Fingerprint {
  head: string; // hex sha256 of the first headLength bytes
  headLength: number; // bytes hashed into `head` (at most HEAD_BYTES)
}

/** The record stored per lineage under `cursorKey(input, identity)`. */
export interface FileCursor extends Fingerprint {
  /** Lineage name (absent in records of format 1, where identityOf derives it). */
  identity?: string;
  path: string; // last path read from (informational)
  dev: number; // the file the lineage was first seen in (informational)
  ino: number;
  offset: number; // committed: every line before this byte is delivered
  updated: string;
}

export function cursorKey(input: string, identity: string): string {
  return `${input}\u0000${identity}`;
}

/** The stable identity used in document ids: one per content lineage. */
export function identityOf(c: Pick<FileCursor, 'dev' | 'ino' | 'head'> & { identity?: string }): string {
  return c.identity ?? `${c.dev}:${c.ino}:${c.head.slice(0, 16)}`;
}

/** The identity of a lineage first seen in the file `st` with these head bytes. */
export function newIdentity(st: Pick<Stats, 'dev' | 'ino'>, head: Buffer): string {
  return identityOf({ dev: st.dev, ino: st.ino, head: hashBytes(head) });
}

export function hashBytes(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Up to `length` bytes of an open file from `position` (fewer at end of file). */
export function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  let n = 0;
  while (n < length) {
    const r = readSync(fd, buf, n, length - n, position + n);
    if (r === 0) break;
    n += r;
  }
  return n === length ? buf : buf.subarray(0, n);
}

/** Hash of the first `length` bytes of an open file (fewer if the file is shorter). */
export function headHash(fd: number, length: number): Fingerprint {
  const bytes = readAt(fd, 0, length);
  return { head: hashBytes(bytes), headLength: bytes.length };
}

/** Whether `head` (a file's first bytes) begins with the fingerprinted bytes. */
export function headMatches(head: Buffer, fp: Fingerprint): boolean {
  return head.length >= fp.headLength && hashBytes(head.subarray(0, fp.headLength)) === fp.head;
}

/**
 * Whether the open file (of `size` bytes) still begins with the fingerprinted bytes. When it does,
 * has grown past them and `extend` is set (the file is the lineage's own reader, not a copy), the
 * fingerprint is extended to min(size, HEAD_BYTES) bytes: a longer fingerprint makes a
 * coincidental match with another file less likely.
 */
export function stillCarries(fd: number, size: number, fp: Fingerprint, extend = true): boolean {
  if (size < fp.headLength) return false;
  const head = readAt(fd, 0, Math.min(size, HEAD_BYTES));
  if (!headMatches(head, fp)) return false;
  if (extend && head.length > fp.headLength) {
    fp.head = hashBytes(head);
    fp.headLength = head.length;
  }
  return true;
}

/**
 * Whether two open files agree where both have bytes: over their heads and over the last
 * TAIL_BYTES of the shorter one. Files only grow, so a copy of a live file agrees at both places;
 * an unrelated file that merely starts the same differs further on.
 */
export function sameContent(a: { fd: number; size: number }, b: { fd: number; size: number }): boolean {
  const common = Math.min(a.size, b.size);
  if (common === 0) return false;
  const headLen = Math.min(common, HEAD_BYTES);
  if (!readAt(a.fd, 0, headLen).equals(readAt(b.fd, 0, headLen))) return false;
  const tailFrom = Math.max(headLen, common - TAIL_BYTES);
  return tailFrom >= common || readAt(a.fd, tailFrom, common - tailFrom).equals(readAt(b.fd, tailFrom, common - tailFrom));
}
