import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { type CliDatabase, createCliDatabase } from '../support/cli-database.js';

/**
 * `whatmatters postcodes load FILE`: sector centres from an ONS Postcode Directory CSV, the mean of
 * each sector's live postcodes, with each refused row counted and named, and exit 2 with one line
 * for a file that is not the directory.
 */

let cli: CliDatabase;
beforeAll(async () => {
  cli = await createCliDatabase('postcodes');
}, 120_000);
afterAll(() => cli?.cleanup());

const write = (name: string, content: string) => {
  const file = path.join(cli.dataDir, name);
  fs.writeFileSync(file, content);
  return file;
};

// The real directory's columns in its order (abridged), quoted as ONS writes some extracts.
const ONSPD = [
  'pcd,pcd2,pcds,dointr,doterm,oseast1m,osnrth1m,lat,long',
  '"AB1 2CD","AB1  2CD","AB1 2CD","199801","","394251","806376",57.1,-2.1',
  'AB1 2CE,AB1  2CE,AB1 2CE,199801,,394251,806376,57.3,-2.3',
  'AB1 2CF,AB1  2CF,AB1 2CF,199801,200306,394251,806376,50.0,-5.0',
  'AB1 9ZZ,AB1  9ZZ,AB1 9ZZ,199801,,,,99.999999,0.000000',
  'XX,XX,not-a-postcode,199801,,,,57,-2',
  'AB1 3AA,AB1  3AA,AB1 3AA,199801,,,,north,-2',
  'CD2 1AB,CD2  1AB,CD2 1AB,199801,,,,51.5,-0.1',
  '',
].join('\r\n');

describe('whatmatters postcodes load', () => {
  it('stores each sector’s centre, counting and naming the rows refused', async () => {
    const result = await runCli(['postcodes', 'load', write('onspd.csv', ONSPD)], { env: cli.env });
    expect(result.code, result.stderr).toBe(3);
    expect(JSON.parse(result.stdout)).toEqual({
      sectors: 2,
      rows: 7,
      used: 3,
      terminated: 1,
      noLocation: 1,
      refused: 2,
    });
    expect(result.stderr).toContain('row 5: "not-a-postcode" is not a postcode');
    expect(result.stderr).toContain('row 6: AB1 3AA: lat and long must be numbers');
    const database = await cli.open();
    try {
      const rows = await database.db
        .selectFrom('postcode_location')
        .select(['postcode_sector', 'latitude', 'longitude', 'postcodes', 'source'])
        .where('postcode_sector', 'in', ['AB1 2', 'CD2 1', 'RV1 2'])
        .orderBy('postcode_sector')
        .execute();
      expect(
        rows.map((r) => ({ ...r, latitude: Number(r.latitude), longitude: Number(r.longitude) })),
      ).toEqual([
        { postcode_sector: 'AB1 2', latitude: 57.2, longitude: -2.2, postcodes: 2, source: 'onspd' },
        { postcode_sector: 'CD2 1', latitude: 51.5, longitude: -0.1, postcodes: 1, source: 'onspd' },
        // The demo area's invented sectors stay as they were.
        { postcode_sector: 'RV1 2', latitude: 52.954, longitude: -1.444, postcodes: 1, source: 'demo' },
      ]);
    } finally {
      await database.close();
    }
    // Loading again replaces the centres rather than adding to them.
    const again = await runCli(
      ['postcodes', 'load', write('onspd2.csv', ONSPD.replace('57.3,-2.3', '57.5,-2.5'))],
      {
        env: cli.env,
      },
    );
    expect(again.code, again.stderr).toBe(3);
    const reopened = await cli.open();
    try {
      const row = await reopened.db
        .selectFrom('postcode_location')
        .select(['latitude', 'postcodes'])
        .where('postcode_sector', '=', 'AB1 2')
        .executeTakeFirstOrThrow();
      expect(Number(row.latitude)).toBeCloseTo(57.3, 6);
      expect(row.postcodes).toBe(2);
    } finally {
      await reopened.close();
    }
  }, 180_000);

  it('exits 2 with one line for a file that is not the directory, or no file', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['postcodes', 'load', write('wrong.csv', 'postcode,x,y\nAB1 2CD,1,2\n')],
        /no pcds, lat, long columns/,
      ],
      [['postcodes', 'load', path.join(cli.dataDir, 'missing.csv')], /no such file/],
      [['postcodes', 'load'], /expected "postcodes load FILE.csv"/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, { env: cli.env });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  }, 120_000);
});
