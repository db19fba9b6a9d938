// File globs (*, **, {a,b}, …) expanded with picomatch over a directory walk. Node 20 has no
// fs.glob; the walk starts at each pattern's non-glob base and descends only when the pattern
// needs it.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch';

export interface Glob {
  /** Every existing file that matches, sorted. */
  list(): string[];
}

export function compileGlobs(patterns: readonly string[]): Glob {
  const matchers = patterns.map((pattern) => {
    const scan = picomatch.scan(pattern);
    const base = scan.isGlob ? scan.base || '.' : pattern;
    return { base, recursive: scan.glob.includes('/') || scan.glob.includes('**'), isMatch: picomatch(pattern, { dot: true }) };
  });
  return {
    list() {
      const out = new Set<string>();
      for (const m of matchers) for (const p of walk(m.base, m.recursive)) if (m.isMatch(p)) out.add(p);
      return [...out].sort();
    },
  };
}

function walk(dir: string, recursive: boolean): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    try {
      return statSync(dir).isFile() ? [dir] : [];
    } catch {
      return [];
    }
  }
  const out: string[] = [];
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isFile()) out.push(p);
    else if (e.isDirectory() && recursive) out.push(...walk(p, true));
  }
  return out;
}
