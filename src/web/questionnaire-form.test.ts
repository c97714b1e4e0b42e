import { describe, expect, it } from 'vitest';
import { importedFixture } from '../../test/support/questionnaire-fixtures.js';
import { fieldIdFor, responseFromForm } from '../domain/measures/questionnaire/form.js';
import type { Questionnaire } from '../domain/measures/types.js';
import { type QuestionnaireNode, questionnaireFormView } from './questionnaire-form.js';
import { createViewEnvironment } from './render.js';

const flatten = (nodes: QuestionnaireNode[]): QuestionnaireNode[] =>
  nodes.flatMap((n) => (n.kind === 'group' ? [n, ...flatten(n.children)] : [n]));

describe('questionnaireFormView', () => {
  const wellbeing = importedFixture('wellbeing-check');

  it('chooses the NHS.UK component for each item and leaves out what it cannot ask', () => {
    const nodes = flatten(questionnaireFormView(wellbeing).nodes);
    const kinds = Object.fromEntries(
      nodes.map((n) => ['id' in n ? n.id : n.kind === 'group' ? n.legend : n.kind, n.kind]),
    );
    expect(kinds).toMatchObject({
      display: 'display',
      'About you': 'group',
      [fieldIdFor('name')]: 'input',
      [fieldIdFor('seen')]: 'date',
      [fieldIdFor('weight')]: 'input',
      [fieldIdFor('wake')]: 'input',
      [fieldIdFor('low')]: 'radios',
      [fieldIdFor('sleep')]: 'radios',
      [fieldIdFor('has-support')]: 'radios',
      [fieldIdFor('support-who')]: 'textarea',
      [fieldIdFor('talks')]: 'input',
      [fieldIdFor('helps')]: 'checkboxes',
    });
    expect(nodes.some((n) => 'id' in n && n.id === fieldIdFor('photo'))).toBe(false);
    expect(nodes.some((n) => 'id' in n && n.id === fieldIdFor('mood-score'))).toBe(false);
    expect(questionnaireFormView(wellbeing).calculated).toEqual(['Mood score']);
  });

  it('says when a question applies, in words', () => {
    const nodes = flatten(questionnaireFormView(wellbeing).nodes);
    const hint = (id: string) => {
      const node = nodes.find((n) => 'id' in n && n.id === id);
      return node && 'hint' in node ? node.hint : undefined;
    };
    expect(hint(fieldIdFor('support-who'))).toBe(
      'Answer this only if you answered ‘Yes’ to ‘Do you have someone to talk to’.',
    );
    expect(hint(fieldIdFor('talks'))).toBe(
      'Answer this only if you answered ‘Yes’ to ‘Do you have someone to talk to’, or if you did not answer ‘Never’ to ‘Feeling low’.',
    );
  });

  it('gives the page’s script each condition in terms of the form’s fields', () => {
    const nodes = flatten(questionnaireFormView(wellbeing).nodes);
    const showWhen = (id: string) => nodes.find((n) => 'id' in n && n.id === id)?.showWhen;
    expect(showWhen(fieldIdFor('support-who'))).toEqual({
      any: false,
      conditions: [{ field: 'q-has-support', op: '=', values: ['yes'] }],
    });
    expect(showWhen(fieldIdFor('talks'))).toEqual({
      any: true,
      conditions: [
        { field: 'q-has-support', op: '=', values: ['yes'] },
        { field: 'q-low', op: '!=', values: ['0'] },
      ],
    });
    expect(showWhen(fieldIdFor('name'))).toBeUndefined();
  });

  it('uses a select for a drop-down control or many options, and a help item as the hint', () => {
    const questionnaire: Questionnaire = {
      resourceType: 'Questionnaire',
      status: 'active',
      item: [
        {
          linkId: 'many',
          type: 'choice',
          text: 'Pick a number',
          answerOption: Array.from({ length: 13 }, (_, i) => ({ valueInteger: i })),
          item: [
            {
              linkId: 'many-help',
              type: 'display',
              text: 'Any number will do.',
              extension: [
                {
                  url: 'http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl',
                  valueCodeableConcept: { coding: [{ code: 'help' }] },
                },
              ],
            },
          ],
        },
      ],
    };
    const [node] = questionnaireFormView(questionnaire).nodes;
    expect(node).toMatchObject({ kind: 'select', hint: 'Any number will do.' });
  });

  it('renders with each error on its field, and the values given', () => {
    const { errors } = responseFromForm(wellbeing, {
      [fieldIdFor('weight')]: 'heavy',
      [fieldIdFor('low')]: '1',
    });
    const html = createViewEnvironment().renderString(
      '{% from "components/questionnaire-form.njk" import questionnaireFields %}{{ questionnaireFields(form) }}',
      {
        form: questionnaireFormView(
          wellbeing,
          { [fieldIdFor('weight')]: 'heavy', [fieldIdFor('low')]: '1' },
          errors,
        ),
      },
    );
    expect(html).toContain('id="q-weight-error"');
    expect(html).toContain('Enter a number between 20 and 300 for ‘Your weight’');
    expect(html).toContain('value="heavy"');
    expect(html).toMatch(/id="q-low-2" name="q-low" type="radio" value="1" checked/);
    expect(html).toContain('<h2 class="nhsuk-fieldset__heading">About you</h2>');
    expect(html).toContain('maxlength="40"');
  });
});
