import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../services/errors.js';
import { elementRules, wellFormed } from './handler.js';

describe('elementRules', () => {
  const { bad, keepOnly, unkeptExtension } = elementRules('Goal', ['resourceType', 'id', 'note']);

  it('names the element under its type, with status 422', () => {
    const error = bad('Give a statement.', 'description.text');
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ status: 422, field: 'Goal.description.text' });
  });

  it('keeps the listed elements and refuses the first one it does not keep', () => {
    expect(() => keepOnly({ resourceType: 'Goal', id: '1', note: [] })).not.toThrow();
    expect(() => keepOnly({ resourceType: 'Goal', outcomeCode: [] })).toThrow(
      expect.objectContaining({ field: 'Goal.outcomeCode' }),
    );
  });

  it('checks a nested element against its own list, naming the path', () => {
    const kept = new Set(['type']);
    expect(() => keepOnly({ type: 'permit', data: [] }, kept, 'provision')).toThrow(
      expect.objectContaining({
        field: 'Goal.provision.data',
        message: expect.stringMatching(/^Goal\.provision\.data is not kept/),
      }),
    );
  });

  it('refuses an extension it does not keep, by its url', () => {
    expect(unkeptExtension('https://example.org/x')).toMatchObject({
      field: 'Goal.extension',
      message: 'The extension https://example.org/x is not kept by this server.',
    });
    expect(unkeptExtension('u', 'activity[0].detail.extension').field).toBe(
      'Goal.activity[0].detail.extension',
    );
  });
});

describe('wellFormed', () => {
  it('turns a wrong JSON type met while mapping into a 422 naming the type', () => {
    expect(() => wellFormed('Patient', () => (null as unknown as { name: string[] }).name.length)).toThrow(
      expect.objectContaining({ status: 422, field: 'Patient' }),
    );
  });
});
