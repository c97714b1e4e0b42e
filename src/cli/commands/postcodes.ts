import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { loadConfig } from '../../config.js';
import {
  csvFields,
  OnspdHeaderError,
  onspdColumns,
  SectorCentroids,
} from '../../domain/community/postcode-centroids.js';
import { storeSectorCentres } from '../../features/community/postcode-store.js';
import type { Command } from '../main.js';
import { openMigratedDatabase } from '../open-database.js';
import { UsageError } from '../usage-error.js';

const USAGE = 'postcodes load FILE.csv';

/** Exit status when the file was loaded but some rows were refused. */
export const SOME_ROWS_REJECTED = 3;

/** Refused rows printed on stderr, at most: the count covers them all. */
const MAX_PRINTED_PROBLEMS = 20;

/**
 * `postcodes load FILE.csv` reads the ONS Postcode Directory (ONSPD) CSV — columns pcds, lat, long,
 * and doterm when present; docs/COMMUNITY.md says where to get it — and stores each postcode
 * sector's centre (the mean of its live postcodes' coordinates), so the community directory can
 * measure distances from a postcode with no network call. Streams the file (the UK's is 2.7 million
 * rows) and stores every sector in one transaction. Prints one line of JSON on stdout; the first
 * refused rows on stderr (row, problem). Exits 0 when every row was read, 3 when some were refused
 * (the sectors were still stored), 2 on bad usage or a file that is not the directory.
 */
export const postcodesCommand: Command = {
  name: 'postcodes',
  usage: USAGE,
  summary: 'Load postcode sector centres from the ONS Postcode Directory CSV (pcds, lat, long)',
  async run(args) {
    const [action, file, ...extra] = args;
    if (action !== 'load' || !file || extra.length) throw new UsageError(`expected "${USAGE}".`);
    try {
      await access(file);
    } catch {
      throw new UsageError(`no such file: ${file}`);
    }
    const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    let centroids: SectorCentroids | null = null;
    let row = 0;
    const counts = { rows: 0, used: 0, terminated: 0, noLocation: 0, refused: 0 };
    for await (const line of lines) {
      if (!centroids) {
        try {
          centroids = new SectorCentroids(onspdColumns(csvFields(line)));
        } catch (error) {
          lines.close();
          if (error instanceof OnspdHeaderError) throw new UsageError(`${file}: ${error.message}`);
          throw error;
        }
        continue;
      }
      row += 1;
      if (!line.trim()) continue;
      counts.rows += 1;
      const outcome = centroids.addRow(csvFields(line));
      if (outcome === 'used') counts.used += 1;
      else if (outcome === 'terminated') counts.terminated += 1;
      else if (outcome === 'no-location') counts.noLocation += 1;
      else {
        counts.refused += 1;
        // Rows counted from the first after the header, as a spreadsheet shows them less one.
        if (counts.refused <= MAX_PRINTED_PROBLEMS) process.stderr.write(`row ${row}: ${outcome.problem}\n`);
      }
    }
    if (!centroids) throw new UsageError(`${file} is empty: expected the ONS Postcode Directory CSV.`);
    if (counts.refused > MAX_PRINTED_PROBLEMS) {
      process.stderr.write(`… and ${counts.refused - MAX_PRINTED_PROBLEMS} more rows refused\n`);
    }
    const centres = centroids.centres();
    const { database } = await openMigratedDatabase(loadConfig());
    try {
      await storeSectorCentres(database.db, centres);
    } finally {
      await database.close();
    }
    process.stdout.write(`${JSON.stringify({ sectors: centres.length, ...counts })}\n`);
    return counts.refused ? SOME_ROWS_REJECTED : 0;
  },
};
