// File identity: which file is this, independent of its name?
//
// A cursor is keyed by device + inode and carries a fingerprint of the file's head (a hash of its
// first bytes, up to HEAD_BYTES, with the length hashed). A file matches a saved cursor when the
// inode is the same AND its first `headLength` bytes still hash to the saved value — so a rename
// keeps its position, while inode reuse or a rewrite from the start (copy-and-truncate, then new
// content) is recognised as a new file instead of resuming at a stale offset.

import { createHash } from 'node:crypto';
import { readSync, type Stats } from 'node:fs';

export const HEAD_BYTES = 1024;

export interface FileCursor {
  path: string; // last path seen (informational; identity does not depend on it)
  dev: number;
  ino: number;
  headLength: number; // bytes hashed into `head`
  head: string; // hex sha256 of the first headLength bytes
  offset: number; // committed: every line before this byte is delivered
  updated: string;
}

export function cursorKey(input: string, st: Pick<Stats, 'dev' | 'ino'>): string {
  return `${input}\u0000${st.dev}:${st.ino}`;
}

/** Hash of the first `length` bytes of an open file (fewer if the file is shorter). */
export function headHash(fd: number, length: number): { head: string; headLength: number } {
  const buf = Buffer.alloc(length);
  let n = 0;
  while (n < length) {
    const r = readSync(fd, buf, n, length - n, n);
    if (r === 0) break;
    n += r;
  }
  return { head: createHash('sha256').update(buf.subarray(0, n)).digest('hex'), headLength: n };
}

/** The stable identity used in document ids: one per file content origin. */
export function identityOf(c: Pick<FileCursor, 'dev' | 'ino' | 'head'>): string {
  return `${c.dev}:${c.ino}:${c.head.slice(0, 16)}`;
}
