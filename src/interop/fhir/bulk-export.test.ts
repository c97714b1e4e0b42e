import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../services/errors.js';
import { exportableTypes, NdjsonFiles, parseExportParams, queryOfParameters } from './bulk-export.js';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ServiceError);
    return error as ServiceError;
  }
  throw new Error('expected a refusal');
};

describe('parseExportParams', () => {
  it('accepts the three NDJSON output formats and none', () => {
    for (const f of ['application/fhir+ndjson', 'application/ndjson', 'ndjson']) {
      expect(parseExportParams({ _outputFormat: f }, 'system')).toEqual({ types: null, since: null });
    }
    expect(refusal(() => parseExportParams({ _outputFormat: 'text/csv' }, 'system')).field).toBe(
      '_outputFormat',
    );
  });

  it('reads _type comma-separated and repeated, once each, and refuses types not exported', () => {
    expect(parseExportParams({ _type: ['Patient', 'Patient,Goal'] }, 'system').types).toEqual([
      'Patient',
      'Goal',
    ]);
    const unknown = refusal(() => parseExportParams({ _type: 'Patient,Medication' }, 'system'));
    expect(unknown.status).toBe(400);
    expect(unknown.field).toBe('_type');
    expect(unknown.message).toContain('Medication');
    expect(refusal(() => parseExportParams({ _type: ',' }, 'system')).field).toBe('_type');
  });

  it('at Patient level refuses types kept outside records, pointing to system level', () => {
    const outside = exportableTypes('system').filter((t) => !exportableTypes('patient').includes(t));
    expect(outside.length).toBeGreaterThan(0);
    expect(refusal(() => parseExportParams({ _type: outside[0] }, 'patient')).message).toContain(
      '/fhir/$export',
    );
  });

  it('takes _since only as an instant with a zone', () => {
    expect(parseExportParams({ _since: '2026-01-31T09:00:00Z' }, 'system').since?.toISOString()).toBe(
      '2026-01-31T09:00:00.000Z',
    );
    expect(parseExportParams({ _since: '2026-01-31T09:00:00.5+01:00' }, 'system').since?.toISOString()).toBe(
      '2026-01-31T08:00:00.500Z',
    );
    for (const bad of ['2026-01-31', '2026-01-31T09:00:00', 'yesterday', '2026-02-31T09:00:00Z x']) {
      expect(refusal(() => parseExportParams({ _since: bad }, 'system')).field, bad).toBe('_since');
    }
    expect(
      refusal(() => parseExportParams({ _since: ['2026-01-31T09:00:00Z', '2026-01-31T09:00:00Z'] }, 'system'))
        .field,
    ).toBe('_since');
  });

  it('refuses parameters it does not support unless lenient', () => {
    expect(refusal(() => parseExportParams({ _typeFilter: 'Patient?gender=male' }, 'system')).field).toBe(
      '_typeFilter',
    );
    expect(parseExportParams({ _typeFilter: 'Patient?gender=male' }, 'system', { lenient: true })).toEqual({
      types: null,
      since: null,
    });
  });
});

describe('queryOfParameters', () => {
  it('reads a Parameters body as the query it means', () => {
    expect(
      queryOfParameters({
        resourceType: 'Parameters',
        parameter: [
          { name: '_type', valueString: 'Patient' },
          { name: '_type', valueString: 'Goal' },
          { name: '_since', valueInstant: '2026-01-31T09:00:00Z' },
        ],
      }),
    ).toEqual({ _type: ['Patient', 'Goal'], _since: ['2026-01-31T09:00:00Z'] });
  });

  it('refuses anything else', () => {
    expect(refusal(() => queryOfParameters({ __matrix: true })).field).toBe('resourceType');
    expect(
      refusal(() => queryOfParameters({ resourceType: 'Parameters', parameter: [{ name: '_type' }] })).field,
    ).toBe('Parameters.parameter');
    expect(refusal(() => queryOfParameters({ resourceType: 'Parameters', parameter: 'x' })).field).toBe(
      'Parameters.parameter',
    );
  });
});

describe('NdjsonFiles', () => {
  it('writes one line per resource to one file per type, opened on the first line', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-ndjson-'));
    try {
      const files = new NdjsonFiles(dir);
      // Enough to fill the stream's buffer many times over, so writes wait for drain.
      for (let i = 0; i < 5000; i++) {
        await files.write('Patient', {
          resourceType: 'Patient',
          id: `p${i}`,
          text: { status: 'generated', div: 'x'.repeat(100) },
        });
      }
      await files.write('Goal', { resourceType: 'Patient', id: 'g' });
      expect(await files.close()).toEqual([
        { type: 'Patient', file: 'Patient.ndjson', count: 5000 },
        { type: 'Goal', file: 'Goal.ndjson', count: 1 },
      ]);
      const lines = fs.readFileSync(path.join(dir, 'Patient.ndjson'), 'utf8').split('\n');
      expect(lines).toHaveLength(5001);
      expect(lines.at(-1)).toBe('');
      expect(JSON.parse(lines[4999] ?? '').id).toBe('p4999');
      expect(fs.readdirSync(dir).sort()).toEqual(['Goal.ndjson', 'Patient.ndjson']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
