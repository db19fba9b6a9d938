// Checks a document against an index template's mapping the way `dynamic: strict` would: every
// leaf must be mapped, with a type that accepts its value. Returns the problems, [] when none.

import { readFileSync } from 'node:fs';

interface MappingNode {
  type?: string;
  enabled?: boolean;
  properties?: Record<string, MappingNode>;
}

export function loadTemplate(file: string): { index_patterns: string[]; template: { mappings: MappingNode & { dynamic?: string } } } {
  return JSON.parse(readFileSync(new URL(`../../../mappings/${file}`, import.meta.url), 'utf8'));
}

const NUMBER_TYPES = new Set(['long', 'integer', 'short', 'byte', 'double', 'float', 'scaled_float']);
const INTEGER_TYPES = new Set(['long', 'integer', 'short', 'byte']);
const STRING_TYPES = new Set(['keyword', 'text', 'match_only_text', 'date', 'ip', 'wildcard']);

export function unmappedProblems(doc: unknown, root: MappingNode): string[] {
  const problems: string[] = [];
  const walk = (value: unknown, node: MappingNode | undefined, path: string) => {
    if (node === undefined) return void problems.push(`${path}: not mapped`);
    if (node.enabled === false) return;
    if (Array.isArray(value)) return value.forEach((v) => walk(v, node, path));
    if (value !== null && typeof value === 'object') {
      if (!node.properties) return void problems.push(`${path}: object where the mapping has ${node.type}`);
      for (const [k, v] of Object.entries(value)) walk(v, node.properties[k], path ? `${path}.${k}` : k);
      return;
    }
    const type = node.type ?? 'object';
    if (typeof value === 'number') {
      if (!NUMBER_TYPES.has(type)) problems.push(`${path}: number mapped as ${type}`);
      else if (!Number.isFinite(value)) problems.push(`${path}: ${value} is not finite`);
      else if (INTEGER_TYPES.has(type) && !Number.isInteger(value)) problems.push(`${path}: ${value} mapped as ${type}`);
    } else if (typeof value === 'string') {
      if (!STRING_TYPES.has(type)) problems.push(`${path}: string mapped as ${type}`);
    } else if (typeof value === 'boolean') {
      if (type !== 'boolean') problems.push(`${path}: boolean mapped as ${type}`);
    } else problems.push(`${path}: unexpected ${String(value)}`);
  };
  walk(doc, root, '');
  return problems;
}
