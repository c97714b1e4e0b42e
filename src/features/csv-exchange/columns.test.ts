import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nhsNumberCheckDigit } from '../../domain/nhs-number.js';
import { COLUMNS, CsvFileError, readCsv, requiredColumns, writeCsv } from './columns.js';
import { CSV_KINDS, PersonCsvContract } from './schema.js';
import { rowProblems } from './service.js';

const NHS = `943476591${nhsNumberCheckDigit('943476591')}`;

describe('the CSV columns', () => {
  it('require in the header the columns of the contract’s required fields', () => {
    expect(requiredColumns('people')).toEqual(['nhs_number', 'given_name', 'family_name', 'sex']);
    expect(requiredColumns('outcomes')).toEqual(['nhs_number', 'statement']);
    expect(requiredColumns('plan-actions')).toEqual([
      'nhs_number',
      'goal',
      'action',
      'who',
      'who_name',
      'status',
    ]);
    expect(requiredColumns('feedback')).toEqual(['id', 'received_on', 'fft', 'consent']);
  });

  it('name every field of each row contract once', () => {
    const people = COLUMNS.people.map((c) => c.field).sort();
    expect(people).toEqual(Object.keys(PersonCsvContract.schema.properties).sort());
    for (const kind of CSV_KINDS) {
      const names = COLUMNS[kind].map((c) => c.name);
      expect(new Set(names).size, kind).toBe(names.length);
    }
  });

  it('are each described in docs/CSV.md', () => {
    const docs = readFileSync(new URL('../../../docs/CSV.md', import.meta.url), 'utf8');
    for (const kind of CSV_KINDS) {
      const section = docs.split(/^## /m).find((s) => s.includes(`: \`--kind ${kind}\`\n`)) ?? '';
      expect(section, `a section for ${kind}`).not.toBe('');
      for (const column of COLUMNS[kind])
        expect(section, `${kind} ${column.name}`).toContain(`| \`${column.name}\` |`);
    }
  });
});

describe('readCsv', () => {
  it('maps columns in any order to fields, leaving blanks out, with rows numbered as a spreadsheet does', () => {
    const rows = readCsv(
      'outcomes',
      `\uFEFFStatement,nhs_number,importance,rating\r\n"Walk, again",${NHS},7,\r\nCook,${NHS},x,2\r\n`,
    );
    expect(rows).toEqual([
      { row: 2, input: { statement: 'Walk, again', nhsNumber: NHS, importance: 7 }, problems: [] },
      { row: 3, input: { statement: 'Cook', nhsNumber: NHS, importance: 'x', rating: 2 }, problems: [] },
    ]);
  });

  it('reports a yes/no that is neither, by column', () => {
    const [row] = readCsv(
      'people',
      `nhs_number,given_name,family_name,sex,not_a_duplicate\n${NHS},A,B,female,perhaps`,
    );
    expect(row?.problems).toEqual([{ column: 'not_a_duplicate', message: 'must be yes or no' }]);
  });

  it('refuses a file it cannot read as the kind, saying why', () => {
    expect(() => readCsv('people', '')).toThrow(CsvFileError);
    expect(() => readCsv('people', 'nhs_number,given_name,family_name,sex,pet\n')).toThrow(
      /unknown column "pet"/,
    );
    expect(() => readCsv('people', 'nhs_number,given_name\n')).toThrow('missing column "family_name", "sex"');
    expect(() => readCsv('people', 'nhs_number,nhs_number,given_name,family_name,sex\n')).toThrow(
      /named twice/,
    );
    expect(() => readCsv('people', 'nhs_number,given_name,family_name,sex\n"unclosed')).toThrow(
      /not valid CSV/,
    );
  });
});

describe('writeCsv', () => {
  it('writes the header and rows, yes/no for booleans, and neutralises formulas', () => {
    const csv = writeCsv('people', [
      {
        nhsNumber: NHS,
        givenName: '=HYPERLINK("x")',
        familyName: 'O, Brien',
        sex: 'female',
        notADuplicate: true,
        phone: '+44 1234 567890',
      },
    ]);
    const [header, row] = csv.trim().split('\r\n');
    expect(header).toBe(COLUMNS.people.map((c) => c.name).join(','));
    expect(row).toContain(`${NHS},"'=HYPERLINK(""x"")","O, Brien",`);
    expect(row).toContain(',+44 1234 567890,');
    expect(row?.endsWith(',yes')).toBe(true);
  });

  it('reads back what it wrote', () => {
    const written = {
      nhsNumber: NHS,
      goal: 'Get out',
      what: 'Walk, daily',
      whoKind: 'person',
      whoName: 'Ada',
      status: 'done',
      confidence: 3,
    };
    expect(readCsv('plan-actions', writeCsv('plan-actions', [written]))[0]?.input).toEqual(written);
  });
});

describe('rowProblems', () => {
  it('checks the NHS number with Modulus 11 and dates the contract cannot', () => {
    const wrong = `${NHS.slice(0, 9)}${(Number(NHS[9]) + 1) % 10}`;
    expect(rowProblems('outcomes', { nhsNumber: wrong })).toEqual([
      { field: 'nhsNumber', message: 'must be a valid 10-digit NHS number (it fails the Modulus 11 check)' },
    ]);
    expect(rowProblems('outcomes', { nhsNumber: `${NHS.slice(0, 3)} ${NHS.slice(3)}` })).toEqual([]);
    expect(rowProblems('outcomes', { nhsNumber: NHS, ratedOn: '2999-01-01', rating: 2 })).toEqual([
      { field: 'ratedOn', message: 'must be today or in the past' },
    ]);
    expect(rowProblems('people', { nhsNumber: NHS, dateOfBirth: '2999-01-01' })).toEqual([
      { field: 'dateOfBirth', message: 'The date of birth must be in the past.' },
    ]);
    expect(rowProblems('people', { nhsNumber: NHS, dateOfBirth: 'soon' })).toEqual([]);
  });
});
