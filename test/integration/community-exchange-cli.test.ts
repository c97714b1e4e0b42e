import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { type CliDatabase, createCliDatabaseWithTeam } from '../support/cli-database.js';

/**
 * `whatmatters community import|export`: a JSON report of every file with each refused row, a dry
 * run that keeps nothing, importing twice changes nothing, exports in both formats, and exit 2
 * with one line for bad usage and files that cannot be read.
 */

let cli: CliDatabase;
const organisationId = crypto.randomUUID();

const CSV = [
  'name,kind,summary,online,cost_kind,self_referral,accepting_referrals,sessions',
  'Tuesday Knit and Natter,arts-culture,Knitting and a chat,yes,free,yes,yes,tue 14:00-16:00',
  'Nameless,walking-group,Bad,maybe,free,yes,yes,',
].join('\n');

const write = (name: string, content: string) => {
  const file = path.join(cli.dataDir, name);
  fs.writeFileSync(file, content);
  return file;
};
const names = async () => {
  const database = await cli.open();
  try {
    return (await database.db.selectFrom('community_resource').select(['name', 'version']).execute()).map(
      (r) => `${r.name} v${r.version}`,
    );
  } finally {
    await database.close();
  }
};

beforeAll(async () => {
  cli = await createCliDatabaseWithTeam(
    'community-exchange',
    { organisationId, kind: 'council-adult-social-care', name: 'Westshire County Council' },
    { teamId: crypto.randomUUID(), name: 'Community connectors' },
  );
}, 120_000);
afterAll(() => cli?.cleanup());

describe('whatmatters community', () => {
  it('checks with --dry-run keeping nothing, imports, imports again changing nothing, and exports', async () => {
    const file = write('directory.csv', CSV);
    const args = ['community', 'import', '--organisation', organisationId];
    const dry = await runCli([...args, '--dry-run', file], { env: cli.env });
    expect(dry.code, dry.stderr).toBe(0);
    const fileReport = {
      file,
      format: 'csv',
      rows: 2,
      added: 1,
      changed: 0,
      unchanged: 0,
      refused: 1,
      errors: [{ row: 3, field: 'online', message: 'must be yes or no' }],
    };
    expect(JSON.parse(dry.stdout)).toEqual({ dryRun: true, files: [{ ...fileReport, dryRun: true }] });
    expect(await names()).toEqual([]);

    const real = await runCli([...args, file], { env: cli.env });
    expect(real.code, real.stderr).toBe(0);
    expect(JSON.parse(real.stdout).files[0]).toMatchObject({ added: 1, refused: 1 });
    expect(await names()).toEqual(['Tuesday Knit and Natter v1']);

    const out = path.join(cli.dataDir, 'out.json');
    const exported = await runCli(['community', 'export', '--format', 'openreferral', '--out', out], {
      env: cli.env,
    });
    expect(exported.code, exported.stderr).toBe(0);
    const services = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(services).toHaveLength(1);
    expect(services[0]).toMatchObject({
      name: 'Tuesday Knit and Natter',
      organization: { id: organisationId, name: 'Westshire County Council' },
      regular_schedules: [{ byday: 'TU', opens_at: '14:00:00', closes_at: '16:00:00' }],
    });

    // The export and the first file again: nothing changes.
    const again = await runCli(['community', 'import', '--organisation', organisationId, out, file], {
      env: cli.env,
    });
    expect(again.code, again.stderr).toBe(0);
    const [json, csv] = JSON.parse(again.stdout).files;
    expect(json).toMatchObject({ format: 'openreferral', added: 0, changed: 0, unchanged: 1 });
    expect(csv).toMatchObject({ format: 'csv', added: 0, changed: 0, unchanged: 1, refused: 1 });
    expect(await names()).toEqual(['Tuesday Knit and Natter v1']);

    const stdout = await runCli(['community', 'export', '--format', 'csv'], { env: cli.env });
    expect(stdout.code, stdout.stderr).toBe(0);
    expect(stdout.stdout).toContain('Tuesday Knit and Natter,arts-culture,Knitting and a chat');
    expect(stdout.stdout).toContain('tue 14:00-16:00');
  }, 240_000);

  it('exits 2 with one line naming what is wrong, importing nothing', async () => {
    const good = write('good.csv', CSV);
    const badColumn = write('bad.csv', 'name,shoe_size\nA,9\n');
    const badJson = write('bad.json', '{"services": 3}');
    const cases: [string[], RegExp][] = [
      [['community', 'import'], /name a file to import/],
      [['community', 'import', path.join(cli.dataDir, 'nope.csv')], /no such file/],
      [['community', 'import', good, badColumn], /bad\.csv: unknown column "shoe_size"/],
      [['community', 'import', badJson], /not Open Referral UK JSON/],
      [['community', 'import', '--organisation', 'x', good], /--organisation: Choose an organisation/],
      [
        ['community', 'import', '--organisation', crypto.randomUUID(), good],
        /--organisation: No organisation has this id/,
      ],
      [['community', 'import', '--bogus', good], /Unknown option '--bogus'/],
      [['community', 'export'], /--format must be one of csv, openreferral/],
      [['community', 'export', '--format', 'xml'], /--format must be one of/],
      [['community', 'frobnicate'], /expected "community import/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, { env: cli.env });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
    expect(await names()).toEqual(['Tuesday Knit and Natter v1']);
  }, 240_000);
});
