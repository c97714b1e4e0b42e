import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { FORMATS, registerFormats } from './formats.js';

describe('FORMATS', () => {
  it.each([
    ['2024-02-29', true],
    ['2026-12-31', true],
    ['2026-02-29', false],
    ['2026-02-31', false],
    ['2026-13-01', false],
    ['2026-1-01', false],
    ['01/02/2026', false],
  ])('date %s is %s', (value, valid) => {
    expect(FORMATS.date?.(value)).toBe(valid);
  });

  it.each([
    ['6f1c1f3e-2b4a-4c1e-9d3a-000000000001', true],
    ['6F1C1F3E-2B4A-4C1E-9D3A-000000000001', true],
    ['goal-1', false],
    ['6f1c1f3e2b4a4c1e9d3a000000000001', false],
  ])('uuid %s is %s', (value, valid) => {
    expect(FORMATS.uuid?.(value)).toBe(valid);
  });

  it('makes TypeBox check the formats once registered', () => {
    registerFormats();
    registerFormats();
    const schema = Type.String({ format: 'date' });
    expect(Value.Check(schema, '2026-03-27')).toBe(true);
    expect(Value.Check(schema, '2026-02-30')).toBe(false);
  });
});
