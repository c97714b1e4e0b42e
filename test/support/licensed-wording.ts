import { INSTRUMENTS } from '../../src/domain/measures/instruments/index.js';
import type { InstrumentKey, Questionnaire } from '../../src/domain/measures/types.js';
import type { TestApp } from './test-app.js';

/**
 * A built-in shipped without its wording (SWEMWBS, CollaboRATE: their owners license it), with
 * wording of the tests' own loaded over it through the import API, as an administrator of an
 * organisation that holds the licence would load the real wording. The structure (linkIds, answer
 * codes, ordinal values) is the built-in's, so scoring is unchanged; the texts say they are test
 * wording, not the owner's.
 */
export function testWordingFor(key: InstrumentKey): Questionnaire {
  const questionnaire = structuredClone(INSTRUMENTS[key].questionnaire);
  let question = 0;
  for (const item of questionnaire.item ?? []) {
    if (item.type !== 'choice') continue;
    question += 1;
    item.text = `Test wording for question ${question}`;
    item.answerOption?.forEach((option, i) => {
      if (option.valueCoding) option.valueCoding.display = `Test answer ${i + 1}`;
    });
  }
  return questionnaire;
}

/** Loads the tests' wording for a licence-required built-in, signed in as `adminCookie`. */
export async function loadTestWording(t: TestApp, adminCookie: string, key: InstrumentKey): Promise<void> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/questionnaires',
    headers: { cookie: adminCookie },
    payload: testWordingFor(key) as object,
  });
  if (response.statusCode !== 201) {
    throw new Error(`loading test wording for ${key}: ${response.statusCode} ${response.body}`);
  }
}
