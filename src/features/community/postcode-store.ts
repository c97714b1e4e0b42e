import { type Kysely, sql } from 'kysely';
import type { SectorCentre } from '../../domain/community/postcode-centroids.js';
import type { LatLong } from '../../domain/community/search.js';
import type { DB } from '../../store/schema.js';

/** The reads and writes of `postcode_location`: where each postcode sector's centre is. */

/** Where a postcode sector's centre is, or null when it is not known here. */
export async function sectorLocation(db: Kysely<DB>, sector: string): Promise<LatLong | null> {
  const row = await db
    .selectFrom('postcode_location')
    .select(['latitude', 'longitude'])
    .where('postcode_sector', '=', sector)
    .executeTakeFirst();
  return row ? { latitude: Number(row.latitude), longitude: Number(row.longitude) } : null;
}

/** Rows per insert: well under PostgreSQL's 65,535 bind parameters (5 a row). */
const BATCH = 2000;

/**
 * Stores sector centres from the ONS Postcode Directory, replacing any earlier centre of the same
 * sector, in one transaction: a load that fails leaves the table as it was.
 */
export async function storeSectorCentres(db: Kysely<DB>, centres: readonly SectorCentre[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < centres.length; i += BATCH) {
      await trx
        .insertInto('postcode_location')
        .values(
          centres.slice(i, i + BATCH).map((c) => ({
            postcode_sector: c.sector,
            latitude: c.latitude,
            longitude: c.longitude,
            postcodes: c.postcodes,
            source: 'onspd',
          })),
        )
        .onConflict((oc) =>
          oc.column('postcode_sector').doUpdateSet({
            latitude: (eb) => eb.ref('excluded.latitude'),
            longitude: (eb) => eb.ref('excluded.longitude'),
            postcodes: (eb) => eb.ref('excluded.postcodes'),
            source: (eb) => eb.ref('excluded.source'),
            loaded_at: sql<Date>`now()`,
          }),
        )
        .execute();
    }
  });
}
