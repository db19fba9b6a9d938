// Index and component templates from mappings/: a file with `index_patterns` is a composable
// index template, one with only `template` is a component template; the file name is the name.
// Component templates are installed first so index templates can compose them.

import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@elastic/elasticsearch';


export interface TemplateFile {
  name: string;
  kind: 'component' | 'index';
  body: Record<string, unknown>;
}

export function loadTemplates(dir = resolveMappingsDir()): TemplateFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const body = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>;
      return { name: basename(f, '.json'), kind: 'index_patterns' in body ? ('index' as const) : ('component' as const), body };
    });
}

/** Installs (create or replace) every template; returns the names installed. */
export async function installTemplates(es: Client, templates = loadTemplates()): Promise<string[]> {
  const done: string[] = [];
  for (const t of templates.filter((x) => x.kind === 'component')) {
    await es.cluster.putComponentTemplate({ name: t.name, ...(t.body as object) } as never);
    done.push(`component:${t.name}`);
  }
  for (const t of templates.filter((x) => x.kind === 'index')) {
    await es.indices.putIndexTemplate({ name: t.name, ...(t.body as object) } as never);
    done.push(`index:${t.name}`);
  }
  return done;
}

/** mappings/ beside the package root, whether we run from sources (tsx) or from dist/. */
function resolveMappingsDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const root = here.includes('/dist/') ? here.slice(0, here.indexOf('/dist/')) : here.slice(0, here.indexOf('/agent/'));
  return join(root, 'mappings');
}
