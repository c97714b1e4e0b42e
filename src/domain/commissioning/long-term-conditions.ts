import type { CommissioningFrameworkDefinition } from './framework.js';

/**
 * The example commissioning framework shipped with WhatMatters: living well with long-term
 * conditions. Its I statements are our own, in the manner of National Voices' "A narrative for
 * person-centred coordinated care" (2013) and the Talking Points personal outcomes it maps to
 * (domain codes of TALKING_POINTS_FRAMEWORK in domain/outcome-frameworks.ts). The stakeholder
 * involvement is illustrative: a commissioner publishing their own version records their own.
 *
 * Indicator keys are text references to the indicator library (INDICATOR_LIBRARY in
 * domain/indicators/library.ts; a test checks each is there); the migration seeds this version as
 * reference data.
 */
export const LONG_TERM_CONDITIONS_FRAMEWORK: CommissioningFrameworkDefinition = {
  key: 'long-term-conditions',
  name: 'Living well with long-term conditions (example)',
  description:
    'An example outcomes framework for commissioning community support for people living with one ' +
    'or more long-term conditions, such as diabetes, COPD, heart failure or arthritis. Each overarching ' +
    'outcome is described by what good looks like to the person, in their words.',
  outcomesFrameworkKey: 'talking-points',
  changeSummary: 'First version, shaped in workshops with people, carers, providers and staff.',
  outcomes: [
    {
      code: 'living-well',
      statement: 'People with long-term conditions live well, doing the things that matter to them.',
      iStatements: [
        {
          code: 'things-that-matter',
          text: 'I can do the things that matter to me.',
          domainCodes: ['having-things-to-do', 'living-as-you-want', 'improved-skills'],
          indicatorKeys: ['person-rated-achieved', 'person-rating-change', 'what-matters'],
        },
        {
          code: 'as-well-as-i-can-be',
          text: 'I am as well as I can be.',
          domainCodes: ['staying-well', 'reduced-symptoms', 'improved-mobility'],
          indicatorKeys: ['person-rated-achieved', 'outcomes-improved', 'gas-per-person'],
        },
        {
          code: 'people-to-turn-to',
          text: 'I have people I can turn to.',
          domainCodes: ['seeing-people', 'improved-confidence'],
          indicatorKeys: ['person-rated-achieved', 'viewpoints-agree'],
        },
        {
          code: 'feel-safe',
          text: 'I feel safe at home and when I go out.',
          domainCodes: ['feeling-safe'],
          indicatorKeys: ['person-rated-achieved', 'practitioner-rated-achieved'],
        },
      ],
    },
    {
      code: 'planned-together',
      statement: 'Care and support are planned with people, around what matters to them.',
      iStatements: [
        {
          code: 'plan-my-care',
          text: 'I can plan my care with people who work together to understand me and my carers.',
          domainCodes: ['having-a-say', 'listened-to'],
          indicatorKeys: ['current-plan', 'multi-agency-plans', 'rated-by-person'],
        },
        {
          code: 'tell-my-story-once',
          text: 'I tell my story once, and the people who support me know it.',
          domainCodes: ['listened-to', 'reliability'],
          indicatorKeys: ['multi-agency-plans', 'viewpoints-agree'],
        },
        {
          code: 'reviewed-when-agreed',
          text: 'We look at how things are going when we agreed to, and change the plan if it is not working.',
          domainCodes: ['responded-to', 'reliability'],
          indicatorKeys: ['reviews-on-time', 'current-plan'],
        },
      ],
    },
    {
      code: 'managing-my-health',
      statement: 'People have the information, confidence and respect they need to manage their own health.',
      iStatements: [
        {
          code: 'information-i-need',
          text: 'I have the information I need, when I need it.',
          domainCodes: ['having-a-say', 'responded-to'],
          indicatorKeys: ['rated-by-person', 'person-rated-achieved'],
        },
        {
          code: 'treated-as-a-whole-person',
          text: 'I am treated with dignity and respect, as a whole person and not a condition.',
          domainCodes: ['treated-with-respect', 'dealing-with-stigma'],
          indicatorKeys: ['person-rated-achieved', 'viewpoints-agree'],
        },
        {
          code: 'confident-to-manage',
          text: 'I feel more confident to look after my health, and I reach the goals I set.',
          domainCodes: ['improved-confidence', 'improved-skills'],
          indicatorKeys: ['outcomes-improved', 'gas-service', 'person-rating-change'],
        },
      ],
    },
  ],
  shapedBy: [
    {
      group: 'people-who-use-services',
      how: 'Three workshops with people living with diabetes, COPD and heart failure wrote the I statements in their own words.',
      on: '2026-03-12',
    },
    {
      group: 'carers',
      how: 'A carers’ centre focus group added what matters to carers to the planning statements.',
      on: '2026-03-19',
    },
    {
      group: 'providers',
      how: 'The community provider forum tested which indicators could be collected in everyday conversations.',
      on: '2026-04-02',
    },
    {
      group: 'staff',
      how: 'District nurses, social workers and link workers checked the mapping to the Talking Points domains.',
      on: '2026-04-09',
    },
    {
      group: 'commissioners',
      how: 'The place commissioning team agreed the framework for community contracts from 2026.',
      on: '2026-05-07',
    },
  ],
};

/** Who published the shipped example, shown where a person's name would be. */
export const EXAMPLE_PUBLISHER = 'WhatMatters example data';
/** When the shipped example was published (fixed, so every database shows the same). */
export const EXAMPLE_PUBLISHED_AT = '2026-05-14T12:00:00.000Z';
