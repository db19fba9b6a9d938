// CSV rows, as IBM Z Common Data Provider streams (SMF_030, SMF_080, …) and converters write them:
// a header row, then wide, sparse rows.
//
// - RFC 4180 quoting: a cell in double quotes may hold commas, with `""` for a quote; after the closing
//   quote only a comma or the end of the line may follow (else `bad_csv`). A quote inside an unquoted
//   cell is literal. A quoted cell cannot span lines (the input is split into lines first): an
//   unclosed quote is `bad_csv`.
// - Header: the configured `csvHeader`, else the first line this reader sees (the pipeline gives
//   each stream its own parser). Names are trimmed; a column with an empty name is ignored. A later
//   line identical to the header (files concatenated) is taken as the header again, not as data.
// - Rows: empty cells are absent, other cells are kept verbatim as strings. Fewer cells than columns
//   is fine (the rest are absent); more is `bad_csv` unless the extra cells are all empty.

import type { ParseResult, ParsedRecord } from '../schema/record.js';
import { accept, clip, putField, reject, type Fields } from './outcome.js';

export interface CsvReader {
  parse(payload: string): ParseResult;
}

export function createCsvReader(configuredHeader?: readonly string[]): CsvReader {
  let columns: string[] | undefined = configuredHeader ? configuredHeader.map((c) => c.trim()) : undefined;

  return {
    parse(payload: string): ParseResult {
      const cells = splitRow(payload);
      if (typeof cells === 'string') return reject('bad_csv', cells);
      if (columns === undefined || isHeader(cells, columns)) {
        columns = cells.map((c) => c.trim());
        return { ok: true, record: null, header: true, columns: [...columns] };
      }
      if (cells.length > columns.length) {
        for (let i = columns.length; i < cells.length; i++) {
          if (cells[i] !== '') {
            return reject('bad_csv', `row has ${cells.length} cells but the header has ${columns.length} columns`);
          }
        }
      }
      const fields: Fields = {};
      const n = Math.min(cells.length, columns.length);
      for (let i = 0; i < n; i++) putField(fields, columns[i] as string, cells[i] as string);
      const record: ParsedRecord = { format: 'csv', fields };
      return accept(record);
    },
  };
}

function isHeader(cells: string[], columns: string[]): boolean {
  if (cells.length !== columns.length || cells[0]?.trim() !== columns[0]) return false;
  for (let i = 1; i < cells.length; i++) if (cells[i]?.trim() !== columns[i]) return false;
  return true;
}

/** The cells of one row, or the reason it is malformed. */
export function splitRow(s: string): string[] | string {
  const cells: string[] = [];
  let pos = 0;
  for (;;) {
    if (s.charCodeAt(pos) === 0x22) {
      let cell = '';
      let from = pos + 1;
      for (;;) {
        const q = s.indexOf('"', from);
        if (q < 0) return `unclosed quote in cell ${cells.length + 1}`;
        if (s.charCodeAt(q + 1) === 0x22) {
          cell += s.slice(from, q + 1);
          from = q + 2;
          continue;
        }
        cell += s.slice(from, q);
        pos = q + 1;
        break;
      }
      cells.push(cell);
      if (pos === s.length) return cells;
      if (s.charCodeAt(pos) !== 0x2c) return `"${clip(s.slice(pos), 10)}" after the closing quote of cell ${cells.length}`;
      pos++;
    } else {
      const comma = s.indexOf(',', pos);
      if (comma < 0) {
        cells.push(s.slice(pos));
        return cells;
      }
      cells.push(s.slice(pos, comma));
      pos = comma + 1;
    }
  }
}
