import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nhsNumberCheckDigit } from '../../src/domain/nhs-number.js';
import { runCli } from '../support/cli.js';
import { type CliDatabase, createCliDatabaseWithTeam } from '../support/cli-database.js';

/**
 * `whatmatters csv export|import`: a JSON report with each refused row, a dry run that keeps
 * nothing, an export to stdout or a file, and exit 2 with one line for usage and file errors.
 */

let cli: CliDatabase;
const organisationId = crypto.randomUUID();
const teamId = crypto.randomUUID();
const NHS = `943476591${nhsNumberCheckDigit('943476591')}`;
const PEOPLE = [
  'nhs_number,given_name,family_name,sex',
  `${NHS},Ada,Lovelace,female`,
  '1234567890,Bad,Number,female',
].join('\n');

const write = (name: string, content: string) => {
  const file = path.join(cli.dataDir, name);
  fs.writeFileSync(file, content);
  return file;
};
const people = async () => {
  const database = await cli.open();
  try {
    return await database.db.selectFrom('person').select('nhs_number').execute();
  } finally {
    await database.close();
  }
};

beforeAll(async () => {
  cli = await createCliDatabaseWithTeam(
    'csv-exchange',
    { organisationId, kind: 'council-adult-social-care', name: 'Westshire County Council' },
    { teamId, name: 'Adult social care' },
  );
}, 120_000);
afterAll(() => cli?.cleanup());

describe('whatmatters csv', () => {
  it('checks a file with --dry-run keeping nothing, imports it, and exports it', async () => {
    const file = write('people.csv', PEOPLE);
    const args = [
      'csv',
      'import',
      '--kind',
      'people',
      '--organisation-id',
      organisationId,
      '--team-id',
      teamId,
    ];
    const dry = await runCli([...args, '--dry-run', file], { env: cli.env });
    expect(dry.code, dry.stderr).toBe(0);
    const expected = {
      kind: 'people',
      rows: 2,
      imported: 1,
      skipped: 1,
      errors: [{ row: 3, field: 'nhs_number', message: expect.stringContaining('Modulus 11') }],
    };
    expect(JSON.parse(dry.stdout)).toEqual({ ...expected, dryRun: true });
    expect(await people()).toEqual([]);

    const real = await runCli([...args, file], { env: cli.env });
    expect(real.code, real.stderr).toBe(0);
    expect(JSON.parse(real.stdout)).toEqual({ ...expected, dryRun: false });
    expect(await people()).toEqual([{ nhs_number: NHS }]);

    const out = path.join(cli.dataDir, 'out.csv');
    const exported = await runCli(
      ['csv', 'export', '--kind', 'people', '--organisation-id', organisationId, '--out', out],
      {
        env: cli.env,
      },
    );
    expect(exported.code, exported.stderr).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toContain(`${NHS},Ada,Lovelace,`);
    const stdout = await runCli(
      ['csv', 'export', '--kind', 'outcomes', '--organisation-id', organisationId],
      { env: cli.env },
    );
    expect(stdout.code, stdout.stderr).toBe(0);
    expect(stdout.stdout.trim()).toBe(
      'nhs_number,statement,why_it_matters,importance,viewpoint,rating,rating_note,rated_on',
    );
  }, 180_000);

  it('exits 2 with one line naming what is wrong', async () => {
    const good = write('good.csv', PEOPLE);
    const badColumn = write('bad.csv', 'nhs_number,shoe_size\n1,2\n');
    const cases: [string[], RegExp][] = [
      [
        ['csv', 'import', '--kind', 'pets', '--organisation-id', organisationId, good],
        /--kind must be one of people, outcomes, plan-actions, feedback/,
      ],
      [['csv', 'import', '--kind', 'people', good], /--organisation-id is required/],
      [
        ['csv', 'import', '--kind', 'people', '--organisation-id', 'x', good],
        /--organisation-id must be a valid uuid/,
      ],
      [
        ['csv', 'import', '--kind', 'people', '--organisation-id', crypto.randomUUID(), good],
        /--organisation-id: No organisation has this id/,
      ],
      [
        [
          'csv',
          'import',
          '--kind',
          'people',
          '--organisation-id',
          organisationId,
          '--team-id',
          crypto.randomUUID(),
          good,
        ],
        /--team-id: The team is not/,
      ],
      [
        [
          'csv',
          'import',
          '--kind',
          'people',
          '--organisation-id',
          organisationId,
          path.join(cli.dataDir, 'nope.csv'),
        ],
        /no such file/,
      ],
      [
        ['csv', 'import', '--kind', 'people', '--organisation-id', organisationId, badColumn],
        /unknown column "shoe_size"/,
      ],
      [['csv', 'import', '--kind', 'people', '--organisation-id', organisationId], /expected "csv import/],
      [
        ['csv', 'export', '--kind', 'people', '--organisation-id', organisationId, '--dry-run'],
        /expected "csv export/,
      ],
      [['csv', 'frobnicate'], /expected "csv export/],
      [['csv', 'import', '--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, { env: cli.env });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
  }, 240_000);
});
