// Shared test helpers: events, the shipped definitions and lists, a memory state.
import { readFileSync, readdirSync } from 'node:fs';
import type { EventDoc } from '../../../processors/schema/event.js';
import { parseDefinitions, type LoadedDefinitions, type PatternLists } from '../../../processors/associations/definition.js';
import { parsePatternList } from '../../../processors/associations/patterns.js';

const ROOT = new URL('../../../', import.meta.url);

type DeepPartial<T> = { [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = v !== null && typeof v === 'object' && !Array.isArray(v) && prev !== null && typeof prev === 'object' && !Array.isArray(prev)
      ? merge(prev as Record<string, unknown>, v as Record<string, unknown>)
      : v;
  }
  return out;
}

/** A minimal valid EventDoc with the given fields merged in. */
export function makeEvent(fields: DeepPartial<EventDoc> = {}): EventDoc {
  const base: EventDoc = {
    '@timestamp': '2025-03-10T10:00:00.000Z',
    event: { kind: 'event', module: 'smf', dataset: 'smf.racf', created: '2025-03-10T10:00:01.000Z' },
    host: { name: 'SYSA' },
    smf: { type: 80, format: 'leef', profile: 'test' },
  };
  return merge(base as unknown as Record<string, unknown>, fields as Record<string, unknown>) as unknown as EventDoc;
}

/** The shipped pattern lists (config/lists/*.txt). */
export function shippedLists(): PatternLists {
  const dir = new URL('config/lists/', ROOT);
  const out: Record<string, string[]> = {};
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.txt')).sort()) {
    out[f.replace(/\.txt$/, '')] = parsePatternList(readFileSync(new URL(f, dir), 'utf8'));
  }
  return out;
}

/** The shipped default definitions (config/associations/*.yaml), in file-name order. */
export function shippedDefinitions(): LoadedDefinitions {
  const dir = new URL('config/associations/', ROOT);
  const sources = readdirSync(dir)
    .filter((n) => n.endsWith('.yaml'))
    .sort()
    .map((n) => ({ name: `config/associations/${n}`, text: readFileSync(new URL(n, dir), 'utf8') }));
  return parseDefinitions(sources, shippedLists());
}

export function readFixture(name: string): string {
  return readFileSync(new URL(`test/fixtures/associations/${name}`, ROOT), 'utf8');
}

/** One definition from YAML text, asserting that it loads. */
export function defineOne(yaml: string, lists: PatternLists = {}) {
  const r = parseDefinitions([{ name: 'test.yaml', text: yaml }], lists);
  if (r.errors.length > 0 || r.definitions.length !== 1) {
    throw new Error(`definition did not load: ${r.errors.map((e) => e.message).join('; ')}`);
  }
  return r.definitions;
}
