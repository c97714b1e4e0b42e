/**
 * Demo text: the sentences good conversations, ratings, plans and comments are written from.
 * Fictional; read by demo-care.ts.
 */

import type { Weighted } from '../random.js';
import type { Theme } from './services.js';

export const FIRST_MEETING_PLACES: Weighted<string> = [
  ['at home', 8],
  ['at the practice', 2],
  ['at the community centre', 1],
  ['on the phone', 1],
];

export const FIRST_CLOSINGS: readonly string[] = [
  'Agreed a first plan together and who will do what.',
  'Will share the plan with the GP and the rest of the team.',
  '{name} was keen to get started.',
  'Talked through the options; {name} wants to take it one step at a time.',
];

export const REVIEW_OPENERS: Readonly<Record<'better' | 'same' | 'worse', readonly string[]>> = {
  better: [
    '{name} feels things are moving in the right direction.',
    'Good progress since the last review.',
    '{name} said this has been the best few months for a long time.',
  ],
  same: [
    'Things much the same as last time.',
    'A steady few months with no big changes.',
    'Some good weeks and some bad ones.',
  ],
  worse: [
    'A difficult few months.',
    '{name} has had a setback since the last review.',
    'Harder since last time, but {name} wants to keep going with the plan.',
  ],
};

export const REVIEW_CLOSINGS: readonly string[] = [
  'Plan updated.',
  'Agreed to carry on with the plan as it is.',
  'Next review booked.',
  'Will update the rest of the team.',
];

export const WHAT_HELPED: Readonly<Record<Theme, readonly string[]>> = {
  safety: [
    'Having the pendant alarm and knowing it works',
    'The video doorbell the family fitted',
    'Neighbours keeping an eye out',
  ],
  activity: ['The volunteer who went along to the first sessions', 'Dial-a-Ride for the weekly trip'],
  social: ['Weekly visits from the befriender', 'Family coming round more often'],
  health: [
    'The dosette box and the phone reminder',
    'Seeing the same nurse at each visit',
    'The health coaching sessions',
  ],
  home: ['The grab rails and the perching stool', 'The housing officer chasing the repair'],
  money: [
    'Citizens Advice sorting out the Attendance Allowance claim',
    'A repayment plan that is actually affordable',
  ],
  mind: ['The breathing exercises', 'Talking to the peer supporter, who has been through it too'],
  skills: ['One-to-one help at the library drop-in', 'Practising a little every day'],
  mobility: ['Doing the strength and balance exercises every morning', 'The new walking frame'],
  stigma: ['Meeting other people in the same position', 'The peer-led group'],
  voice: [
    'Having the plan in their own words where everyone can see it',
    'Seeing the same worker at every review',
  ],
};

export const GENERAL_HELPED: readonly string[] = [
  'Regular contact with the key worker',
  'Everyone working from the same plan',
];

export const WHAT_GOT_IN_THE_WAY: readonly string[] = [
  'A chest infection in {month}',
  'The care agency changing staff again',
  'Waiting for the OT assessment',
  'Bad weather, so not out much',
  'A fall at home in {month} (no injury) knocked confidence',
  'Low mood after a family bereavement',
  'Hospital appointments clashing with the group',
  'The transport did not turn up twice',
  'Waiting list for the peer support group',
  'Money worries after a benefits review',
];

export const RATING_NOTES: Readonly<Record<'better' | 'same' | 'worse', readonly string[]>> = {
  better: ['Been three times now', 'Much better than last time', 'Getting there', 'Really pleased with this'],
  same: ['About the same', 'Some good days, some bad', 'Slow going', 'Not much change'],
  worse: ['Knocked back after being unwell', 'Harder lately', 'Not managed it since the fall', 'A bad month'],
};

export const MOST_IMPORTANT_LINES: readonly string[] = [
  'Staying independent in my own home.',
  'My family, and being part of their lives.',
  'Being treated as me, not as my illness.',
  'Getting out and about again.',
  'Feeling useful.',
  'My faith, my home and my routines.',
];

export const COMMUNICATION_LINES: readonly string[] = [
  "I'm a bit deaf in my left ear, so sit on my right and don't rush me.",
  'Give me time to answer. I get there in the end.',
  'Write things down for me. I forget what was said once you have gone.',
  "Phone before you come. I don't open the door to people I don't know.",
  'Text rather than phone; I get anxious on calls.',
  'I wear glasses for reading, so large print letters please.',
  'Plain words please, no jargon.',
  'Talk to me, not to the person with me.',
];

export const LANGUAGE_LINES: Readonly<Record<string, readonly string[]>> = {
  C: [
    'My first language is Polish. I understand English well, but for important things I would like an interpreter.',
  ],
  H: ['My first language is Gujarati. My son helps me with letters, but please speak to me directly.'],
  J: ['I am more comfortable in Urdu or Punjabi for important conversations; please book an interpreter.'],
  K: ['I speak Sylheti. Please book an interpreter rather than asking my grandchildren to translate.'],
  R: ['My first language is Cantonese. My English is fine for everyday things.'],
};

export const PLEASE_DO: readonly string[] = [
  'Knock and wait. It takes me a while to get to the door.',
  'Ask me first, before asking my family.',
  'Tell me if you are going to be late.',
  'Have a cup of tea with me if you have time.',
  'Let me do what I can for myself, even if it takes longer.',
  'Call me by my first name.',
  'Keep to the plan we agreed, and tell me if it has to change.',
];

export const PLEASE_DONT: readonly string[] = [
  "Don't move my things around.",
  "Don't talk about me as if I'm not in the room.",
  "Don't rush me in the mornings.",
  "Don't call me 'love' or 'dear'.",
  "Don't turn up without ringing first.",
  "Don't make promises you can't keep.",
  "Don't assume I can't do something. Ask me.",
];

export const STRENGTHS: readonly string[] = [
  "I'm stubborn in a good way. I don't give up.",
  'Good sense of humour.',
  "I know my own body and when something's not right.",
  'Close family who want to help.',
  "I'm good with my phone.",
  "I've looked after myself for years.",
  "I'm a good cook.",
  'I get on with people.',
  'I keep a diary and I am organised.',
  "I'm willing to try new things.",
  'My faith keeps me going.',
  'Good neighbours who look out for me.',
  'I used to work in care, so I know how the system works.',
  'I love my garden.',
  'My dog gets me out every day.',
];

export const LATER_STRENGTHS: readonly string[] = [
  'I got myself back to the group after a bad patch.',
  "I've learned to ask for help when I need it.",
  'I know the warning signs now and what to do.',
];

export const PERSON_COMMENTS: readonly string[] = [
  'Can we move the Tuesday visit to the afternoon? Mornings are hard for me.',
  "The walking group is going well. I've been three times now.",
  "I don't want the key safe on the front of the house where everyone can see it.",
  "Thank you for sorting the rail, it's made a big difference.",
  "I'd like my daughter to come to the next review; she remembers things better than me.",
  "I'm not sure about the lunch club yet, but I'll give it another go.",
  'Please can the plan say I take my tablets with food? It upsets my stomach otherwise.',
  'I felt listened to this time. Thank you.',
];

export const CARER_COMMENTS: readonly string[] = [
  "I can manage Sundays, but I can't do the weekday mornings any more with my job.",
  'Mum seems brighter since the befriender started. Thank you.',
  'Could someone ring me after the review? I could not get time off work.',
];

export const RELAYED_COMMENTS: readonly string[] = [
  'Spoke to {name} on the phone. {name} asked me to add: “{quote}”',
  '{name} rang the office and asked for this to go on the plan: “{quote}”',
];
