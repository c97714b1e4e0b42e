import { readFileSync } from 'node:fs';
import { analyseQuestionnaire } from '../../src/domain/measures/questionnaire/analyse.js';
import type { Questionnaire } from '../../src/domain/measures/types.js';

/** A Questionnaire from elsewhere, as its JSON (test/fixtures/questionnaires/<name>.json). */
export const questionnaireFixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/questionnaires/${name}.json`, import.meta.url), 'utf8'));

/** The fixture as the engine imports it; throws when it does not import. */
export function importedFixture(name: string): Questionnaire {
  const { questionnaire } = analyseQuestionnaire(questionnaireFixture(name));
  if (!questionnaire) throw new Error(`${name} does not import`);
  return questionnaire;
}
