// Parse stage: one text line in, one ParseResult out. Pure code, no I/O, never throws on input.
//
// Data flow per line:
//   prepareLine (line.ts)       length, terminator, BOM, empty, binary
//   → splitEnvelope (syslog.ts) optional RFC 5424 / RFC 3164 header, on every line and every format
//   → payload format            configured, or detectPayload (detect.ts) when `auto`
//   → payload parser            leef.ts, cef.ts, kv.ts, json.ts, csv.ts; free text behind a header
//   → ParsedRecord              envelope attached; RFC 5424 SD params also copied into `fields`
// A parser only takes syntax apart; naming fields in the event schema is normalization's job.
//
// A parser instance holds per-stream state (the CSV header), so the pipeline creates one per stream.

import { SmfError } from '../../agent/errors.js';
import type { ParseResult, ParsedRecord, PayloadFormat } from '../schema/record.js';
import { parseCef } from './cef.js';
import { createCsvReader } from './csv.js';
import { detectPayload } from './detect.js';
import { parseJson } from './json.js';
import { parseKv, parseTagged } from './kv.js';
import { parseLeef } from './leef.js';
import { prepareLine } from './line.js';
import { accept, clip, putField, reject } from './outcome.js';
import { splitEnvelope } from './syslog.js';

export type ParseFormat = 'auto' | 'leef' | 'cef' | 'kv' | 'tagged' | 'json' | 'csv' | 'rfc5424' | 'rfc3164';

export const PARSE_FORMATS: readonly ParseFormat[] = ['auto', 'leef', 'cef', 'kv', 'tagged', 'json', 'csv', 'rfc5424', 'rfc3164'];

export interface ParserOptions {
  /**
   * Payload format of the stream. `auto` detects it per line. `rfc5424` / `rfc3164` require that
   * syslog header on every line and detect the payload behind it. The envelope is detected whatever
   * this says.
   */
  format?: ParseFormat;
  /** Lines longer than this many UTF-16 code units are rejected as `too_long`. */
  maxLineLength?: number;
  /** CSV column names; without it the first line of a `csv` stream is taken as the header. */
  csvHeader?: readonly string[];
}

export const PARSER_DEFAULTS = { format: 'auto', maxLineLength: 65536 } as const satisfies ParserOptions;

export interface Parser {
  /** Total: returns a result for every input, never throws. */
  parse(line: string): ParseResult;
}

/** Formats that fix the payload parser; the others detect it per line. */
const FIXED: Partial<Record<ParseFormat, PayloadFormat>> = {
  leef: 'leef',
  cef: 'cef',
  kv: 'kv',
  tagged: 'tagged',
  json: 'json',
  csv: 'csv',
};

/** Checks the options (all problems at once) and returns a parser for one stream. */
export function createParser(options: ParserOptions = {}): Parser {
  const format = options.format ?? PARSER_DEFAULTS.format;
  const maxLineLength = options.maxLineLength ?? PARSER_DEFAULTS.maxLineLength;
  validate(options, format, maxLineLength);

  const fixed = FIXED[format];
  const csv = fixed === 'csv' ? createCsvReader(options.csvHeader) : undefined;
  const envelopeKind = format === 'rfc5424' || format === 'rfc3164' ? format : undefined;

  return {
    parse(line: string): ParseResult {
      if (typeof line !== 'string') return reject('unknown_format', `input is a ${typeof line}, not a string`);
      const text = prepareLine(line, maxLineLength);
      if (typeof text !== 'string') return text;

      const split = splitEnvelope(text);
      if ('ok' in split) return split;
      const { envelope, payload } = split;
      if (envelopeKind !== undefined && envelope?.kind !== envelopeKind) {
        return reject('bad_envelope', `format is ${envelopeKind} but the line has ${envelope ? `an ${envelope.kind} header` : 'no syslog header'}`);
      }

      let result: ParseResult;
      switch (fixed ?? detectPayload(payload)) {
        case 'leef':
          result = parseLeef(payload);
          break;
        case 'cef':
          result = parseCef(payload);
          break;
        case 'kv':
          result = parseKv(payload);
          break;
        case 'tagged':
          result = parseTagged(payload);
          break;
        case 'json':
          result = parseJson(payload);
          break;
        case 'csv': // only ever configured: detection never guesses CSV, so `csv` exists here
          result = (csv ?? createCsvReader()).parse(payload);
          break;
        default: {
          if (!envelope) return reject('unknown_format', `no known format at the start of "${clip(payload)}"`);
          const record: ParsedRecord = { format: 'text', fields: {} };
          const body = payload.trim();
          if (body) record.text = body;
          result = accept(record);
        }
      }
      if (!result.ok || result.record === null || !envelope) return result;
      attachEnvelope(result.record, envelope);
      return result;
    },
  };
}

/** Attaches the envelope; RFC 5424 SD params fill `fields` under their PARAM-NAME unless the payload set them. */
function attachEnvelope(record: ParsedRecord, envelope: NonNullable<ParsedRecord['envelope']>): void {
  record.envelope = envelope;
  const sd = envelope.structuredData;
  if (!sd) return;
  for (const id of Object.keys(sd)) {
    const params = sd[id] as Record<string, string>;
    for (const name of Object.keys(params)) {
      if (!Object.hasOwn(record.fields, name)) putField(record.fields, name, params[name] as string);
    }
  }
}

function validate(options: ParserOptions, format: ParseFormat, maxLineLength: number): void {
  const problems: string[] = [];
  if (!PARSE_FORMATS.includes(format)) {
    problems.push(`format "${String(format)}" is not one of ${PARSE_FORMATS.join(', ')}`);
  }
  if (!Number.isSafeInteger(maxLineLength) || maxLineLength < 1) {
    problems.push(`maxLineLength ${String(maxLineLength)} must be a positive integer`);
  }
  const header = options.csvHeader;
  if (header !== undefined) {
    if (format !== 'csv') problems.push(`csvHeader is only used with format "csv", not "${String(format)}"`);
    if (!Array.isArray(header) || header.length === 0 || !header.every((c) => typeof c === 'string')) {
      problems.push('csvHeader must be a non-empty list of column names');
    } else if (header.every((c) => c.trim() === '')) {
      problems.push('csvHeader has no non-empty column name');
    }
  }
  if (problems.length > 0) {
    throw new SmfError('SMF_ERR_CONFIG', `invalid parser options: ${problems.join('; ')}`, {
      hint: 'check the input\'s "format", "maxLineLength" and "csvHeader" settings',
    });
  }
}
