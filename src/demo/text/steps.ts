import type { DemoDomainCode } from '../demo-care.js';

/**
 * Small steps people set themselves between reviews, in their own words, by the framework domain
 * of the outcome they are for; and what they said helped or got in the way. Written by us for the
 * demo; a step is picked from its outcome's first domain, or from the general list.
 */
export const STEPS_BY_DOMAIN: Partial<Record<DemoDomainCode, readonly string[]>> = {
  'seeing-people': [
    'Ring my sister on Sunday',
    'Go to the coffee morning at the church hall',
    'Ask my neighbour in for a cup of tea',
    'Text my friend to arrange a walk',
  ],
  'having-things-to-do': [
    'Go to the library on Tuesday',
    'Spend half an hour in the garden three times this week',
    'Find out about the walking group at the leisure centre',
    'Do the crossword each morning',
  ],
  'staying-well': [
    'Walk to the shop twice this week',
    'Drink a glass of water with every meal',
    'Take my tablets with breakfast every day',
    'Go to bed by eleven on weeknights',
  ],
  'improved-mobility': [
    'Do my chair exercises every morning',
    'Walk to the end of the road and back with my stick',
    'Use the stairs once a day with someone there',
  ],
  'improved-confidence': [
    'Catch the bus into town with my daughter',
    'Answer the phone when it rings',
    'Speak up at my next appointment about what worries me',
  ],
  'improved-skills': [
    'Make myself a hot meal twice this week',
    'Pay one bill online with help',
    'Write a shopping list before going out',
  ],
  'feeling-safe': [
    'Put the key safe number somewhere my carer can find it',
    'Keep the hall light on at night',
    'Wear my pendant alarm every day',
  ],
  'living-as-you-want': [
    'Choose what I want for tea and tell my carer',
    'Get dressed before lunchtime every day',
  ],
  'reduced-symptoms': [
    'Write down when the pain is worst each day',
    'Try the breathing exercise when I feel panicky',
  ],
};

export const GENERAL_STEPS: readonly string[] = [
  'Go out for a short walk twice this week',
  'Ring someone I have not spoken to for a while',
  'Write down three things that went well each week',
];

export const WHAT_HELPED: readonly string[] = [
  'My daughter came with me the first time',
  'Doing it at the same time each day',
  'The weather was good',
  'Writing it on the calendar by the kettle',
  'My neighbour reminded me',
  'Having my stick and taking my time',
  'Knowing someone would be there',
];

export const WHAT_GOT_IN_THE_WAY: readonly string[] = [
  'I was too tired after my appointment',
  'It rained most of the week',
  'My knee was bad for a few days',
  'The bus did not turn up',
  'I did not feel up to seeing anyone',
];
