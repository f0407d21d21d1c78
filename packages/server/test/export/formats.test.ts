/**
 * The export's text formats, without a database: CSV cells (RFC 4180
 * quoting, the formula-injection guard), JSON chunks that parse whole for
 * any number of pages, the file name, and the tree order that does not
 * depend on the ids of the person's own categories.
 */
import { describe, expect, it } from 'vitest';
import type { ExportEvent } from '@sundial/contracts';
import type { Category } from '@sundial/core';
import { csvCell } from '../../src/csv.js';
import {
  csvChunks,
  csvRow,
  exportFilename,
  jsonChunks,
  treeOrder,
  type ExportHead,
} from '../../src/services/export.js';
import { readCsv } from './support.js';

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let all = '';
  for await (const chunk of chunks) all += chunk;
  return all;
}

async function* pagesOf(...pages: ExportEvent[][]) {
  for (const page of pages) yield page;
}

const event = (id: string, extra: Partial<ExportEvent> = {}): ExportEvent => ({
  id,
  device: 'manual',
  bucket: 'sundial-window_manual',
  kind: 'window',
  start: '2025-06-01T10:00:00.000Z',
  end: '2025-06-01T10:01:30.500Z',
  app: 'Code',
  ...extra,
});

describe('CSV cells', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', `"'\rcmd"`],
    ['=HYPERLINK("x","y")', `"'=HYPERLINK(""x"",""y"")"`],
    ['a=b', 'a=b'],
  ])('%j becomes %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('reads back as the value, apart from the guard quote', () => {
    for (const value of ['a,"b"\r\nc', '=cmd|" /C calc"!A0', 'ünïcødé, 😀']) {
      const [[read]] = readCsv(`${csvCell(value)}\r\n`) as [[string]];
      expect(read.replace(/^'(?=[=+\-@\t\r])/, '')).toBe(value);
    }
  });

  it('writes a row with the duration in seconds and empty cells for absent fields', () => {
    expect(csvRow(event('e1', { away: undefined }))).toBe(
      'e1,manual,sundial-window_manual,window,2025-06-01T10:00:00.000Z,2025-06-01T10:01:30.500Z,90.5,Code,,,,',
    );
    expect(csvRow(event('e2', { kind: 'away', app: undefined, away: true })).endsWith(',,,,,true')).toBe(true);
  });

  it('writes the header once and a CRLF after every row', async () => {
    const csv = await text(csvChunks(pagesOf([event('a')], [], [event('b'), event('c')])));
    expect(csv.split('\r\n')).toHaveLength(5);
    expect(readCsv(csv).map((row) => row[0])).toEqual(['id', 'a', 'b', 'c']);
  });
});

describe('JSON chunks', () => {
  const head = { format: 'sundial-export', version: 1 } as unknown as ExportHead;

  it.each([
    ['no pages', []],
    ['empty pages', [[], []]],
    ['one page', [[event('a')]]],
    ['pages with an empty one between', [[event('a'), event('b')], [], [event('c')]]],
  ] as [string, ExportEvent[][]][])('parse whole with %s', async (_name, pages) => {
    const doc = JSON.parse(await text(jsonChunks(head, pagesOf(...pages)))) as { events: ExportEvent[] };
    expect(doc).toEqual({ ...head, events: pages.flat() });
  });

  it('writes one chunk per page', async () => {
    const chunks: string[] = [];
    for await (const chunk of jsonChunks(head, pagesOf([event('a')], [event('b')]))) chunks.push(chunk);
    expect(chunks).toHaveLength(4);
  });
});

describe('export file name', () => {
  it('names the UTC day', () => {
    expect(exportFilename('json', Date.UTC(2025, 0, 31, 23, 59))).toBe('sundial-export-2025-01-31.json');
    expect(exportFilename('csv', Date.UTC(2025, 11, 1))).toBe('sundial-export-2025-12-01.csv');
  });
});

describe('tree order', () => {
  const tree = (ids: [string, string]): Category[] => [
    { id: ids[1], parentId: 'work', name: 'zeta', level: 0, color: '#000000' },
    { id: 'work', parentId: null, name: 'Work', level: 1, color: '#000000' },
    { id: ids[0], parentId: ids[1], name: 'Alpha', level: 0, color: '#000000' },
    { id: 'extra', parentId: 'work', name: 'alpha', level: 0, color: '#000000' },
  ];

  it('puts parents first and siblings by name, whatever the ids', () => {
    const names = (ids: [string, string]) => treeOrder(tree(ids)).map((c) => c.name);
    expect(names(['a', 'b'])).toEqual(['Work', 'alpha', 'zeta', 'Alpha']);
    expect(names(['z', 'y'])).toEqual(names(['a', 'b']));
  });
});
