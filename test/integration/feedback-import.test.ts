import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { type CliDatabase, createCliDatabaseWithTeam } from '../support/cli-database.js';

/**
 * `whatmatters feedback import`: per-row errors (row, column, message) while good rows import, a
 * second run imports nothing twice, and exit 2 with one line for usage errors, a missing file or
 * a missing column.
 */

let cli: CliDatabase;
const teamId = crypto.randomUUID();
const organisationId = crypto.randomUUID();

const CSV = [
  'id,received_on,fft,good,better,writer,age_band,consent',
  'p-1,2026-10-01,Very good,"Kind, patient staff ""who listened""",,patient,65-74,yes',
  'p-2,2026-10-02,poor,,"The wait,\nand the parking",carer,,no',
  'p-3,2026-10-03,Brilliant,,,patient,,yes',
  `p-4,2026-13-40,Don't know,,${'x'.repeat(2001)},,,maybe`,
  'p-5,2026-10-05,neither,,,,,y',
].join('\n');

const write = (name: string, content: string) => {
  const file = path.join(cli.dataDir, name);
  fs.writeFileSync(file, content);
  return file;
};

beforeAll(async () => {
  cli = await createCliDatabaseWithTeam(
    'feedback-import',
    { organisationId, kind: 'nhs-trust', name: 'Riverside NHS Trust' },
    { teamId, name: 'Community nursing' },
  );
}, 120_000);
afterAll(() => cli?.cleanup());

describe('whatmatters feedback import', () => {
  it('imports the good rows, prints each refused row, and imports nothing twice', async () => {
    const file = write('feedback.csv', CSV);
    const first = await runCli(['feedback', 'import', '--service', teamId, file], { env: cli.env });
    expect(first.code, first.stderr).toBe(3);
    const summary = JSON.parse(first.stdout);
    expect(summary).toMatchObject({
      service: 'Community nursing, Riverside NHS Trust',
      rows: 5,
      imported: 3,
      alreadyImported: 0,
      rejectedRows: 2,
    });
    expect(summary.serviceKey).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const lines = first.stderr.trim().split('\n');
    expect(lines).toContain(
      'row 4, column fft: must be one of: very-good, good, neither, poor, very-poor, dont-know',
    );
    expect(lines).toContain('row 5, column consent: must be yes or no');
    expect(lines).toContain('row 5, column received_on: must be a real date (YYYY-MM-DD)');
    expect(lines).toContain('row 5, column better: must be 2,000 characters or fewer');

    // By the service's key this time: the same service, and nothing is imported twice.
    const second = await runCli(['feedback', 'import', '--service', summary.serviceKey, file], {
      env: cli.env,
    });
    expect(second.code).toBe(3);
    expect(JSON.parse(second.stdout)).toMatchObject({ imported: 0, alreadyImported: 3, rejectedRows: 2 });

    const database = await cli.open();
    try {
      const rows = await database.db.selectFrom('feedback').selectAll().orderBy('source_id').execute();
      expect(rows.map((r) => r.source_id)).toEqual(['p-1', 'p-2', 'p-5']);
      expect(rows[0]).toMatchObject({
        fft: 'very-good',
        what_was_good: 'Kind, patient staff "who listened"',
        consent_to_publish: true,
        channel: 'import',
        received_on: '2026-10-01',
      });
      expect(rows[1]?.what_could_be_better).toBe('The wait,\nand the parking');
    } finally {
      await database.close();
    }
  }, 120_000);

  it('exits 0 when every row imports', async () => {
    const file = write('good.csv', 'id,received_on,fft,consent\nq-1,2026-11-01,good,no\n');
    const result = await runCli(['feedback', 'import', '--service', teamId, file], { env: cli.env });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ imported: 1, rejectedRows: 0 });
  }, 60_000);

  it('exits 2 with one line for a missing file, a missing column, an unknown service or bad usage', async () => {
    const missingColumn = write('no-consent.csv', 'id,received_on,fft\nq-2,2026-11-01,good\n');
    const cases: [string[], RegExp][] = [
      [['feedback', 'import', '--service', teamId, path.join(cli.dataDir, 'nope.csv')], /no such file/],
      [['feedback', 'import', '--service', teamId, missingColumn], /missing column "consent"/],
      [
        ['feedback', 'import', '--service', crypto.randomUUID(), missingColumn.replace('no-consent', 'good')],
        /no service/,
      ],
      [['feedback', 'import', missingColumn], /expected "feedback import --service S FILE.csv"/],
      [['feedback', 'export'], /expected/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, { env: cli.env });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    }
  }, 120_000);
});
