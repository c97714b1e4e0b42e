import type { Questionnaire } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { expectValidFhir } from '../../../test/support/fhir-validator.js';
import { INSTRUMENTS } from '../../domain/measures/instruments/index.js';
import { canonicalOf, importOf, questionnaireOf } from './fhir-questionnaire.js';
import type { LibraryQuestionnaire } from './service.js';

const phq9 = INSTRUMENTS.phq9.questionnaire;
const library = (over: Partial<LibraryQuestionnaire> = {}): LibraryQuestionnaire => ({
  questionnaireId: '66666666-6666-4666-8666-666666666666',
  url: phq9.url as string,
  version: 3,
  title: 'PHQ-9',
  instrumentKey: 'phq9',
  status: 'active',
  builtIn: true,
  wordingNeeded: false,
  scoring: { kind: 'instrument', instrumentKey: 'phq9' },
  unsupported: [],
  importedAt: '2025-01-02T03:04:05.000Z',
  questionnaire: phq9,
  resource: { ...phq9, meta: { versionId: '9' } } as LibraryQuestionnaire['resource'],
  ...over,
});

describe('Questionnaire mapping', () => {
  it.each(Object.values(INSTRUMENTS))(
    'serves the built-in $key as a valid Questionnaire with the library’s identity',
    (instrument) => {
      const q = questionnaireOf(
        library({ resource: instrument.questionnaire, url: instrument.questionnaire.url as string }),
      );
      expectValidFhir(q);
      expect(q.id).toBe('66666666-6666-4666-8666-666666666666');
      expect(q.version).toBe('3');
      expect(q.item?.length).toBe(instrument.questionnaire.item?.length);
    },
  );

  it('replaces the stored id and meta, and says retired for a retired version', () => {
    const q = questionnaireOf(library({ status: 'retired' }));
    expect(q.meta).toEqual({ versionId: '1', lastUpdated: '2025-01-02T03:04:05.000Z' });
    expect(q.status).toBe('retired');
    expect(canonicalOf(library())).toBe(`${phq9.url}|3`);
  });

  it('imports what was sent without the identity another server gave it', () => {
    const sent: Questionnaire = {
      resourceType: 'Questionnaire',
      id: 'theirs',
      meta: { versionId: '4', profile: ['http://example.org/p'] },
      status: 'active',
      url: 'http://example.org/q',
    };
    expect(importOf(sent)).toEqual({
      resourceType: 'Questionnaire',
      meta: { profile: ['http://example.org/p'] },
      status: 'active',
      url: 'http://example.org/q',
    });
  });
});
