import { describe, expect, it } from 'vitest';
import { questionnaireFixture } from '../../../../test/support/questionnaire-fixtures.js';
import { analyseQuestionnaire, isAsked } from './analyse.js';

const minimal = (items: unknown[], extra: Record<string, unknown> = {}) => ({
  resourceType: 'Questionnaire',
  status: 'active',
  title: 'Test',
  item: items,
  ...extra,
});

describe('analyseQuestionnaire', () => {
  it('imports the LOINC PHQ-9 (LHC-Forms shape) with nothing unsupported', () => {
    const analysis = analyseQuestionnaire(questionnaireFixture('loinc-phq9'));
    expect(analysis.problems).toEqual([]);
    expect(analysis.unsupported).toEqual([]);
    expect(analysis.questionnaire?.item).toHaveLength(11);
  });

  it('lists the attachment item of the wellbeing check as unsupported and reads its contained value set', () => {
    const analysis = analyseQuestionnaire(questionnaireFixture('wellbeing-check'));
    expect(analysis.problems).toEqual([]);
    expect(analysis.unsupported).toEqual([
      expect.objectContaining({ path: 'item[1].item[4]', feature: 'item type attachment' }),
    ]);
    const sleep = analysis.questionnaire?.item?.[2]?.item?.[2];
    expect(sleep?.answerOption?.map((o) => o.valueCoding?.display)).toEqual(['Never', 'Sometimes', 'Often']);
    expect(isAsked(sleep as never)).toBe(true);
  });

  it('refuses what is not a Questionnaire', () => {
    expect(analyseQuestionnaire({ resourceType: 'Patient' }).problems).toEqual([
      { path: 'resourceType', message: expect.stringContaining('not a FHIR Questionnaire') },
    ]);
    expect(analyseQuestionnaire('text').questionnaire).toBeUndefined();
  });

  it('names each problem by its path', () => {
    const { problems, questionnaire } = analyseQuestionnaire({
      resourceType: 'Questionnaire',
      status: 'nonsense',
      item: [
        { linkId: 'a', type: 'string', text: 'A' },
        { linkId: 'a', type: 'string', text: 'Again' },
        { linkId: 'b', type: 'choice', text: 'No options' },
        { linkId: 'c', type: 'wibble' },
        {
          linkId: 'd',
          type: 'string',
          text: 'D',
          enableWhen: [{ question: 'zz', operator: '=', answerString: 'x' }],
        },
        {
          linkId: 'e',
          type: 'string',
          text: 'E',
          enableWhen: [{ question: 'a', operator: '=', answerBoolean: true }],
        },
        {
          linkId: 'f',
          type: 'string',
          text: 'F',
          enableWhen: [
            { question: 'a', operator: 'exists', answerBoolean: true },
            { question: 'a', operator: 'exists', answerBoolean: false },
          ],
        },
      ],
    });
    expect(questionnaire).toBeUndefined();
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'status', message: expect.any(String) },
        { path: 'title', message: expect.any(String) },
        { path: 'item[1].linkId', message: 'linkId "a" is also used by item[0]' },
        { path: 'item[2].answerOption', message: expect.stringContaining('no answer options') },
        { path: 'item[3].type', message: '"wibble" is not a Questionnaire item type' },
        { path: 'item[4].enableWhen[0].question', message: expect.stringContaining('"zz"') },
        { path: 'item[5].enableWhen[0]', message: expect.stringContaining('answerBoolean') },
        { path: 'item[6].enableBehavior', message: expect.any(String) },
      ]),
    );
  });

  it('compiles every expression at import: syntax, unknown functions and variables, servers, runtime errors', () => {
    const calc = (expression: string, language = 'text/fhirpath') => ({
      linkId: `calc-${expression}`,
      type: 'integer',
      text: 'Calculated',
      extension: [
        {
          url: 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression',
          valueExpression: { language, expression },
        },
      ],
    });
    const messages = (expression: string) =>
      analyseQuestionnaire(minimal([calc(expression)])).problems.map((p) => p.message);
    expect(messages('1 +')).toEqual([expect.stringContaining('does not parse')]);
    expect(messages('%resource.item.answer.value.frobnicate()')).toEqual([
      expect.stringContaining('frobnicate(), which is not a FHIRPath function'),
    ]);
    expect(messages('%total + 1')).toEqual([expect.stringContaining('%total, which is not declared')]);
    expect(messages("%resource.item.answer.value.memberOf('http://x')")).toEqual([
      expect.stringContaining('needs a terminology or FHIR server'),
    ]);
    expect(messages("'a' * 2")).toEqual([expect.stringContaining('fails when worked out')]);
    expect(messages('%resource.item.count()')).toEqual([]);
    const cql = analyseQuestionnaire(minimal([calc('Sum(x)', 'text/cql')]));
    expect(cql.problems).toEqual([]);
    expect(cql.unsupported).toEqual([
      expect.objectContaining({ feature: 'calculatedExpression in text/cql' }),
    ]);
  });

  it('lists what imports but is not done as its author meant, with the item path', () => {
    const { problems, unsupported } = analyseQuestionnaire(
      minimal([
        { linkId: 'a', type: 'open-choice', text: 'Open', answerOption: [{ valueString: 'x' }] },
        { linkId: 'b', type: 'choice', text: 'From a server', answerValueSet: 'http://loinc.org/vs/LL358-3' },
        {
          linkId: 'c',
          type: 'string',
          text: 'Starts filled',
          extension: [
            {
              url: 'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-initialExpression',
              valueExpression: { language: 'text/fhirpath', expression: "'x'" },
            },
            {
              url: 'http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl',
              valueCodeableConcept: { coding: [{ code: 'slider' }] },
            },
          ],
        },
        { linkId: 'd', type: 'quantity', text: 'How tall' },
        { linkId: 'e', type: 'string', text: 'Repeats', repeats: true },
      ]),
    );
    expect(problems).toEqual([]);
    expect(unsupported.map((u) => [u.path, u.feature])).toEqual([
      ['item[0]', 'item type open-choice'],
      ['item[1].answerValueSet', 'answer value set'],
      [
        'item[2].extension[0]',
        'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-initialExpression',
      ],
      ['item[2]', 'item control slider'],
      ['item[3]', 'item type quantity'],
      ['item[4].repeats', 'repeating string'],
    ]);
  });

  it('refuses a modifier extension and a question nested under a question', () => {
    const { problems } = analyseQuestionnaire(
      minimal([
        {
          linkId: 'a',
          type: 'string',
          text: 'A',
          modifierExtension: [{ url: 'http://example.org/negate', valueBoolean: true }],
          item: [{ linkId: 'b', type: 'string', text: 'B' }],
        },
      ]),
    );
    expect(problems.map((p) => p.path)).toEqual(['item[0].modifierExtension', 'item[0].item[0]']);
  });

  it('keeps the imported JSON unchanged', () => {
    const json = questionnaireFixture('wellbeing-check');
    const before = JSON.stringify(json);
    analyseQuestionnaire(json);
    expect(JSON.stringify(json)).toBe(before);
  });
});
