import { type Kysely, sql } from 'kysely';
import { executeStatements } from './execute-statements.js';

/**
 * Where each postcode sector is ('RV1 2' → latitude, longitude in WGS84 decimal degrees), so the
 * community directory can say how far a group is from someone's postcode without any network call.
 * An operator loads the real centres from the ONS Postcode Directory (`whatmatters postcodes load`,
 * docs/COMMUNITY.md); each is the mean of the sector's postcodes' coordinates. Reference data, a
 * reference table under Citus (about 11,000 sectors for the UK).
 *
 * DEMO reference values only: the demo area's sectors are in the "RV" postcode area, which Royal
 * Mail does not use, and their coordinates are INVENTED for a small fictional town (a centre, RV1;
 * Northgate, RV2, to the north; RV3 east; RV4 south; RV5 west; RV6 suburbs to the north-east; and
 * two outlying villages, RV7 and RV8, six to seven miles out). They are no real place's. They are
 * marked source 'demo' and a real load never touches them.
 */
const DEMO_SECTORS: readonly [sector: string, latitude: number, longitude: number][] = [
  ['RV1 1', 52.95, -1.45],
  ['RV1 2', 52.954, -1.444],
  ['RV1 3', 52.946, -1.441],
  ['RV1 4', 52.947, -1.458],
  ['RV2 1', 52.962, -1.452],
  ['RV2 2', 52.966, -1.446],
  ['RV2 3', 52.97, -1.456],
  ['RV2 4', 52.974, -1.448],
  ['RV3 1', 52.952, -1.428],
  ['RV3 2', 52.956, -1.42],
  ['RV3 5', 52.948, -1.415],
  ['RV3 6', 52.944, -1.424],
  ['RV4 1', 52.938, -1.45],
  ['RV4 2', 52.934, -1.441],
  ['RV4 3', 52.93, -1.456],
  ['RV4 4', 52.926, -1.448],
  ['RV5 1', 52.951, -1.472],
  ['RV5 2', 52.956, -1.48],
  ['RV5 3', 52.945, -1.479],
  ['RV5 4', 52.95, -1.488],
  ['RV6 1', 52.968, -1.425],
  ['RV6 2', 52.972, -1.418],
  ['RV6 3', 52.964, -1.412],
  ['RV6 7', 52.978, -1.43],
  ['RV7 1', 53.015, -1.53],
  ['RV7 2', 53.02, -1.52],
  ['RV7 3', 53.01, -1.54],
  ['RV8 1', 52.87, -1.36],
  ['RV8 2', 52.865, -1.35],
  ['RV8 4', 52.86, -1.37],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`create table postcode_location (
      postcode_sector text primary key,
      latitude double precision not null check (latitude between -90 and 90),
      longitude double precision not null check (longitude between -180 and 180),
      postcodes integer not null default 1 check (postcodes > 0),
      source text not null check (source in ('demo', 'onspd')),
      loaded_at timestamptz not null default now()
    )`,
    sql`insert into postcode_location (postcode_sector, latitude, longitude, postcodes, source) values ${sql.join(
      DEMO_SECTORS.map(
        ([sector, lat, long]) => sql`(${sql.lit(sector)}, ${sql.lit(lat)}, ${sql.lit(long)}, 1, 'demo')`,
      ),
    )}`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [sql`drop table postcode_location`]);
}
