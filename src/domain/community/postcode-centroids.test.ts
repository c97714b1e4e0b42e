import { describe, expect, it } from 'vitest';
import { csvFields, OnspdHeaderError, onspdColumns, SectorCentroids } from './postcode-centroids.js';

describe('csvFields', () => {
  it('reads quoted fields with commas and doubled quotes', () => {
    expect(csvFields('"RV1 2AB",52.1,"-1.5"')).toEqual(['RV1 2AB', '52.1', '-1.5']);
    expect(csvFields('a,"b, ""c""",\r')).toEqual(['a', 'b, "c"', '']);
  });
});

describe('onspdColumns', () => {
  it('finds the columns in any order and case', () => {
    expect(onspdColumns(['\uFEFFpcd', 'PCDS', 'doterm', 'Lat', 'long'])).toEqual({
      pcds: 1,
      lat: 3,
      long: 4,
      doterm: 2,
    });
    expect(onspdColumns(['pcds', 'lat', 'long']).doterm).toBeNull();
  });

  it('names the missing columns', () => {
    expect(() => onspdColumns(['pcd', 'lat'])).toThrow(OnspdHeaderError);
    expect(() => onspdColumns(['pcd', 'lat'])).toThrow(/pcds, long columns/);
  });
});

describe('SectorCentroids', () => {
  const columns = onspdColumns(['pcds', 'doterm', 'lat', 'long']);

  it('averages the live postcodes of each sector', () => {
    const centroids = new SectorCentroids(columns);
    expect(centroids.addRow(['RV1 2AB', '', '52.0', '-1.0'])).toBe('used');
    expect(centroids.addRow(['rv12ad', '', '52.2', '-1.2'])).toBe('used');
    expect(centroids.addRow(['RV1 3AB', '', '53', '-2'])).toBe('used');
    expect(centroids.addRow(['RV1 2ZZ', '200012', '60', '-5'])).toBe('terminated');
    expect(centroids.addRow(['RV1 2XX', '', '99.999999', '0.000000'])).toBe('no-location');
    expect(centroids.centres()).toEqual([
      { sector: 'RV1 2', latitude: 52.1, longitude: -1.1, postcodes: 2 },
      { sector: 'RV1 3', latitude: 53, longitude: -2, postcodes: 1 },
    ]);
  });

  it('refuses rows that are not postcodes or places, saying why', () => {
    const centroids = new SectorCentroids(columns);
    expect(centroids.addRow(['NOT A CODE', '', '52', '-1'])).toEqual({
      problem: '"NOT A CODE" is not a postcode',
    });
    expect(centroids.addRow(['', '', '52', '-1'])).toEqual({ problem: 'no postcode' });
    expect(centroids.addRow(['RV1 2AB', '', 'north', '-1'])).toEqual({
      problem: 'RV1 2AB: lat and long must be numbers',
    });
    expect(centroids.addRow(['RV1 2AB', '', '95', '-1'])).toEqual({
      problem: 'RV1 2AB: lat 95, long -1 is not a place on earth',
    });
    expect(centroids.addRow(['RV1 2AB'])).toEqual({ problem: 'RV1 2AB: lat and long must be numbers' });
    expect(centroids.centres()).toEqual([]);
  });
});
