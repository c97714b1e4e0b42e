import { normalisePostcode, postcodeSector } from '../postcode.js';

/**
 * The centre of each postcode sector, from the ONS Postcode Directory (ONSPD; Office for National
 * Statistics, Open Government Licence v3.0, from the ONS Open Geography Portal). Its CSV has one row
 * per postcode with, among many columns, `pcds` (the postcode written with its space), `lat` and
 * `long` (WGS84 decimal degrees) and `doterm` (the month a postcode was terminated, blank while in
 * use). A sector's centre is the mean of its live postcodes' coordinates: over a sector's mile or
 * two the plain mean of latitudes and longitudes is within yards of the true centroid.
 */

/** ONSPD's mark for a postcode with no grid reference (lat 99.999999, long 0). */
const NO_LOCATION_LATITUDE = 99.999999;

export interface OnspdColumns {
  pcds: number;
  lat: number;
  long: number;
  /** Absent from some extracts: then every postcode is taken as live. */
  doterm: number | null;
}

export class OnspdHeaderError extends Error {
  override name = 'OnspdHeaderError';
}

/**
 * One CSV line as fields (RFC 4180 quoting: a quoted field may hold commas and doubled quotes).
 * ONSPD never breaks a field over lines, so a line is a row.
 */
export function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c !== '\r') field += c;
  }
  fields.push(field);
  return fields;
}

/** Where the columns the load needs are, from the header row (any case, any order). */
export function onspdColumns(header: readonly string[]): OnspdColumns {
  const names = header.map((h) =>
    h
      .trim()
      .replace(/^\uFEFF/, '')
      .toLowerCase(),
  );
  const at = (name: string) => names.indexOf(name);
  const missing = ['pcds', 'lat', 'long'].filter((n) => at(n) === -1);
  if (missing.length) {
    throw new OnspdHeaderError(
      `the header has no ${missing.join(', ')} column${missing.length > 1 ? 's' : ''}: is this the ONS Postcode Directory CSV?`,
    );
  }
  const doterm = at('doterm');
  return { pcds: at('pcds'), lat: at('lat'), long: at('long'), doterm: doterm === -1 ? null : doterm };
}

export interface SectorCentre {
  sector: string;
  latitude: number;
  longitude: number;
  /** How many postcodes the centre is the mean of. */
  postcodes: number;
}

/** What became of one row. */
export type RowOutcome = 'used' | 'terminated' | 'no-location' | { problem: string };

/** Adds postcodes one row at a time (the whole directory is 2.7 million rows) and gives each sector's centre. */
export class SectorCentroids {
  private readonly sums = new Map<string, { lat: number; long: number; n: number }>();

  constructor(private readonly columns: OnspdColumns) {}

  addRow(fields: readonly string[]): RowOutcome {
    const raw = fields[this.columns.pcds]?.trim() ?? '';
    const postcode = normalisePostcode(raw);
    if (!postcode) return { problem: raw ? `"${raw}" is not a postcode` : 'no postcode' };
    if (this.columns.doterm !== null && (fields[this.columns.doterm]?.trim() ?? '') !== '')
      return 'terminated';
    const latText = fields[this.columns.lat]?.trim() ?? '';
    const longText = fields[this.columns.long]?.trim() ?? '';
    const lat = Number(latText);
    const long = Number(longText);
    if (!latText || !longText || !Number.isFinite(lat) || !Number.isFinite(long)) {
      return { problem: `${postcode}: lat and long must be numbers` };
    }
    if (lat === NO_LOCATION_LATITUDE) return 'no-location';
    if (lat < -90 || lat > 90 || long < -180 || long > 180) {
      return { problem: `${postcode}: lat ${latText}, long ${longText} is not a place on earth` };
    }
    const sector = postcodeSector(postcode) as string;
    const sum = this.sums.get(sector) ?? { lat: 0, long: 0, n: 0 };
    sum.lat += lat;
    sum.long += long;
    sum.n += 1;
    this.sums.set(sector, sum);
    return 'used';
  }

  /** Each sector's centre, by sector. */
  centres(): SectorCentre[] {
    return [...this.sums.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([sector, s]) => ({
        sector,
        // Six decimal places is about 4 inches: more would be false precision.
        latitude: Math.round((s.lat / s.n) * 1e6) / 1e6,
        longitude: Math.round((s.long / s.n) * 1e6) / 1e6,
        postcodes: s.n,
      }));
  }
}
