import { describe, expect, it } from 'vitest';
import { csvContentDisposition, csvFilename, toCsv } from './csv.js';

describe('toCsv', () => {
  it('writes a header row, then the rows, with CRLF line ends, text quoted and numbers bare', () => {
    expect(toCsv(['Team', 'Value'], [['North', 0.5]])).toBe('"Team","Value"\r\n"North",0.5\r\n');
  });

  it('doubles quotes and keeps commas and line breaks inside one quoted field', () => {
    const csv = toCsv(['Label'], [['Say "hello", then\nwave']]);
    expect(csv).toBe('"Label"\r\n"Say ""hello"", then\nwave"\r\n');
  });

  it.each(['=SUM(A1:A9)', '+1+2', '-2+3', '@cmd', '\tx', '\rx', '=HYPERLINK("http://x")'])(
    'neutralises a cell a spreadsheet would run as a formula: %j',
    (cell) => {
      const line = toCsv(['h'], [[cell]]).split('\r\n')[1] ?? '';
      expect(line.startsWith(`"'`)).toBe(true);
    },
  );

  it('neutralises a formula in the header too', () => {
    expect(toCsv(['=1+1'], [])).toBe(`"'=1+1"\r\n`);
  });

  it('leaves numbers, and text that is wholly a number, as they are', () => {
    expect(toCsv(['a', 'b', 'c'], [[-3.5, '-3.5', '+4']])).toBe('"a","b","c"\r\n-3.5,"-3.5","+4"\r\n');
  });

  it('writes nothing for null, undefined and numbers that are not finite', () => {
    expect(toCsv(['a', 'b', 'c'], [[null, undefined, Number.NaN]])).toBe('"a","b","c"\r\n,,\r\n');
  });
});

describe('csvFilename', () => {
  it('makes a lower-case, hyphenated name from a title', () => {
    expect(csvFilename('Outcomes achieved: North team (2025)')).toBe('outcomes-achieved-north-team-2025.csv');
  });

  it('keeps nothing that could break a header or name a path', () => {
    const name = csvFilename('../../etc/passwd"; x=<script>\r\n');
    expect(name).toMatch(/^[a-z0-9-]+\.csv$/);
    expect(name).toBe('etc-passwd-x-script.csv');
  });

  it('spells out % and drops accents', () => {
    expect(csvFilename('% rated by Zoë')).toBe('percent-rated-by-zoe.csv');
  });

  it('has a name even when the title has no letters or digits, and is never over-long', () => {
    expect(csvFilename('«»')).toBe('chart-data.csv');
    expect(csvFilename('a '.repeat(100)).length).toBeLessThanOrEqual(84);
  });

  it('gives a Content-Disposition header that downloads under that name', () => {
    expect(csvContentDisposition('GAS by team')).toBe('attachment; filename="gas-by-team.csv"');
  });
});
