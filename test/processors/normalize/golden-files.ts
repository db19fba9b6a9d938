// The golden fixture files in test/fixtures/normalize/, shared by the golden runner and the
// mapping coverage test (test/mappings), which checks every expected document against mappings/.

import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const GOLDEN_DIR = fileURLToPath(new URL('../../fixtures/normalize/', import.meta.url));

export interface GoldenFiles {
  /** "<profile>/<case>" */
  name: string;
  input: string;
  expected: string;
  refused: string;
}

export function listGoldenInputs(dir = GOLDEN_DIR): GoldenFiles[] {
  const out: GoldenFiles[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.input.json')) {
        const base = path.slice(0, -'.input.json'.length);
        out.push({ name: relative(dir, base), input: path, expected: `${base}.expected.json`, refused: `${base}.refused.json` });
      }
    }
  };
  walk(dir);
  return out;
}
