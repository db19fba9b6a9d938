// Reads definition and pattern-list files and compiles them (processors/associations does the
// parsing and validation). A definition that cannot be loaded is reported, by name and problem,
// and the others keep working.

import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseDefinitions, parsePatternList, type LoadedDefinitions } from '../../processors/associations/index.js';
import { compileGlobs } from '../fs/glob.js';
import type { AssociationsConfig } from './config.js';
import { BUNDLED_CONFIG } from './config.js';

export interface LoadResult extends LoadedDefinitions {
  files: string[];
  /** Problems with list files (unreadable): every definition using that list then fails to load. */
  listErrors: string[];
}

export function loadDefinitions(c: Pick<AssociationsConfig, 'include_defaults' | 'definitions' | 'lists'>): LoadResult {
  const listFiles: Record<string, string> = {};
  for (const name of ['pii', 'honeypot', 'sensitive']) listFiles[name] = join(BUNDLED_CONFIG, 'lists', `${name}.txt`);
  Object.assign(listFiles, c.lists);
  const lists: Record<string, string[]> = {};
  const listErrors: string[] = [];
  for (const [name, file] of Object.entries(listFiles)) {
    try {
      lists[name] = parsePatternList(readFileSync(file, 'utf8'));
    } catch (err) {
      listErrors.push(`pattern list '${name}' (${file}) cannot be read: ${(err as Error).message}`);
    }
  }
  const patterns = [...(c.include_defaults ? [join(BUNDLED_CONFIG, 'associations', '*.yaml')] : []), ...c.definitions];
  const files = compileGlobs(patterns).list();
  // A user file whose name matches a bundled one replaces it (last wins by file name).
  const byName = new Map<string, string>();
  for (const f of files) byName.set(basename(f), f);
  const sources = [...byName.values()].map((f) => {
    try {
      return { name: f, text: readFileSync(f, 'utf8') };
    } catch (err) {
      return { name: f, text: `# unreadable: ${(err as Error).message}\n:` };
    }
  });
  return { ...parseDefinitions(sources, lists), files: [...byName.values()], listErrors };
}
