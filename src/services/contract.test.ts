import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { ContractError, contract, MAX_FIELD_ERRORS } from './contract.js';

const Example = contract(
  Type.Object(
    {
      statement: Type.String({ minLength: 1, maxLength: 2000 }),
      heldOn: Type.String({ format: 'date' }),
      kind: Type.Union([Type.Literal('first'), Type.Literal('review')]),
      score: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
      items: Type.Optional(
        Type.Array(Type.Object({ name: Type.String({ maxLength: 5 }) }), { maxItems: 50 }),
      ),
    },
    { additionalProperties: false },
  ),
);

describe('a use case contract', () => {
  it('passes input that keeps it, typed', () => {
    const input = Example.check({ statement: 'Seeing my grandson', heldOn: '2026-02-28', kind: 'first' });
    expect(input.kind).toBe('first');
  });

  it('names each field at fault by its path, with a message from the schema’s limits', () => {
    const error = (() => {
      try {
        Example.check({
          statement: 'x'.repeat(2001),
          heldOn: '2026-02-30',
          kind: 'other',
          score: 9,
          items: [{ name: 'toolong' }],
          extra: 1,
        });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ContractError);
    const fields = Object.fromEntries((error as ContractError).fields.map((f) => [f.field, f.message]));
    expect(fields).toMatchObject({
      statement: 'must be 2,000 characters or fewer',
      heldOn: 'must be a real date (YYYY-MM-DD)',
      kind: 'must be one of: first, review',
      score: 'must be 5 or less',
      'items.0.name': 'must be 5 characters or fewer',
      extra: 'is not a recognised field',
    });
    expect((error as ContractError).status).toBe(400);
  });

  it('reports a missing field as required', () => {
    expect(Example.problems({ heldOn: '2026-01-01', kind: 'first' })).toEqual([
      { field: 'statement', message: 'is required' },
    ]);
  });

  it('stops collecting after a handful of errors', () => {
    const many = contract(Type.Array(Type.String({ maxLength: 1 }), { maxItems: 10_000 }));
    expect(many.problems(Array.from({ length: 5000 }, () => 'too long'))).toHaveLength(MAX_FIELD_ERRORS);
  });

  it('says why a nullable field fails, rather than that the union does', () => {
    const nullable = contract(
      Type.Object({ score: Type.Union([Type.Integer({ minimum: 1, maximum: 4 }), Type.Null()]) }),
    );
    expect(nullable.problems({ score: null })).toEqual([]);
    expect(nullable.problems({ score: 7 })).toEqual([{ field: 'score', message: 'must be 4 or less' }]);
  });
});
