import { describe, expect, it } from 'vitest';
import { csvFieldName, readCsvTable } from '../../../src/gpu/csv-table.js';

describe('csvFieldName', () => {
  it.each([
    ['memory.total [MiB]', 'memory.total'],
    ['utilization.gpu [%]', 'utilization.gpu'],
    [' index ', 'index'],
    ['clocks_event_reasons_counters.sw_power_cap [us]', 'clocks_event_reasons_counters.sw_power_cap'],
  ])('%j -> %j', (header, name) => {
    expect(csvFieldName(header)).toBe(name);
  });
});

describe('readCsvTable', () => {
  it.each<[string, string, string | undefined, string[][]]>([
    ['plain cells', 'a, b\n1, 2\n', undefined, [['1', '2']]],
    ['quoted commas and doubled quotes', 'a, b\n"x, y", "say ""hi"""', undefined, [['x, y', 'say "hi"']]],
    ['CRLF and blank lines', 'a, b\r\n\r\n1, 2\r\n', undefined, [['1', '2']]],
    ['a missing cell', 'a, b, c\n1, 2', undefined, [['1', '2', '']]],
    [
      'extra cells joined into the free-text column',
      'id, name, mem\n1, a, b, c, 5',
      'name',
      [['1', 'a, b, c', '5']],
    ],
    ['extra cells without a free-text column are dropped', 'id, mem\n1, 2, 3', undefined, [['1', '2']]],
    ['no rows', 'a, b', undefined, []],
  ])('%s', (_name, text, freeText, rows) => {
    const table = readCsvTable(text, freeText);
    expect(table.rows.map((row) => table.header.map((h) => row.get(h)))).toStrictEqual(rows);
  });
});
