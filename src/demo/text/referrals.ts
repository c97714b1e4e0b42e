/**
 * Demo text: the words of the demo's referrals and signposts to community resources — why someone
 * was referred, what an organisation said when it declined, how support ended, notes on attendance —
 * and the staff of the directory's voluntary organisations who answer referrals. Fictional. Read by
 * demo-referrals.ts.
 */

import type { DeclineReason } from '../../domain/community/referrals.js';
import type { ResourceKind } from '../../domain/community/vocabulary.js';
import type { DIRECTORY_ORGANISATIONS } from './directory.js';
import type { Theme } from './services.js';

/**
 * The kinds of support a link worker would suggest for an outcome about each theme (the themes of
 * text/outcomes.ts), so a wish to manage money is not sent to a choir because both touch on
 * "living as you want".
 */
export const KINDS_FOR_THEME: Record<Theme, readonly ResourceKind[]> = {
  safety: ['befriending', 'housing-support', 'other'],
  activity: [
    'walking-group',
    'physical-activity',
    'arts-culture',
    'faith-group',
    'befriending',
    'learning-skills',
  ],
  social: ['befriending', 'peer-support', 'arts-culture', 'faith-group', 'walking-group', 'mental-wellbeing'],
  health: ['health-coaching', 'physical-activity', 'walking-group', 'peer-support'],
  home: ['housing-support', 'food-support', 'other'],
  money: ['debt-benefits-advice', 'food-support'],
  mind: ['mental-wellbeing', 'peer-support', 'arts-culture', 'walking-group'],
  skills: ['learning-skills', 'employment-support'],
  mobility: ['physical-activity', 'walking-group', 'other'],
  stigma: ['peer-support', 'mental-wellbeing'],
  voice: ['peer-support', 'other'],
};

/** The referrer's short reason (at most 150 characters: the standard's free text), by kind of support. */
export const REFERRAL_REASONS: Record<ResourceKind, readonly string[]> = {
  'walking-group': [
    'Wants to get out of the house more and build up stamina with others at a gentle pace.',
    'Walking was suggested after the falls review; would like company while building confidence outdoors.',
  ],
  'physical-activity': [
    'Keen to get stronger on their feet and meet people at the same time.',
    'Would like regular, gentle exercise to help with balance and mood.',
  ],
  'peer-support': [
    'Would value meeting others who have been through the same thing.',
    'Finds it hard to talk to family about it; hopes a group of peers will help.',
  ],
  'carers-centre': ['Caring role is wearing them down; needs a break and someone to talk to.'],
  'debt-benefits-advice': [
    'Worried about bills and not sure what benefits they can claim.',
    'Letters about arrears are piling up; needs help to sort out money.',
  ],
  'housing-support': [
    'Struggling with the stairs and upkeep at home; wants advice on adaptations.',
    'Home is cold and damp; needs help with repairs and heating.',
  ],
  befriending: [
    'Lives alone and sees nobody most days; would like a regular visitor or a friendly call.',
    'Has lost touch with friends since the illness; would like company again.',
  ],
  'health-coaching': [
    'Wants help to make changes to manage their condition, one step at a time.',
    'Would like support to set small goals and stick to them.',
  ],
  'employment-support': ['Hoping to get back into work or volunteering at their own pace.'],
  'arts-culture': [
    'Used to love making things; would like a creative group to get them out again.',
    'Wants something to look forward to in the week, with other people.',
  ],
  'faith-group': ['Would like a welcoming place to meet people nearby.'],
  'learning-skills': ['Wants to learn something new and build confidence.'],
  'mental-wellbeing': [
    'Low mood lately; would like a friendly space to talk and to learn ways to cope.',
    'Feels anxious going out; hopes a small group will help step by step.',
  ],
  'food-support': [
    'Running short on food at the end of the month; needs help now and with cooking on a budget.',
  ],
  other: ['Needs help getting about and staying independent at home.'],
};

/** What the organisation wrote when declining, by reason. */
export const DECLINE_NOTES: Record<DeclineReason, readonly string[]> = {
  'no-capacity': [
    'The group is full this term; we have put them on our waiting list and will ring when a place opens.',
  ],
  'not-eligible': ['This group is for a different age range; we have suggested our other sessions.'],
  'needs-not-met': ['We cannot offer the one-to-one help needed; the advice line would suit better.'],
  'person-declined': ['We rang and had a good chat; they have decided it is not for them just now.'],
  'could-not-contact': ['We tried three times by phone and left messages, but could not reach them.'],
  other: ['The sessions are moving venue; please refer again in the spring.'],
};

/** Why a referral was withdrawn while it was open. */
export const WITHDRAWAL_NOTES: readonly string[] = [
  'Went into hospital, so not able to start for now.',
  'Found another group nearer home.',
  'Has decided to wait until feeling stronger.',
];

/** How support came to an end. */
export const END_NOTES: readonly string[] = [
  'Finished the course and keeps in touch with people from the group.',
  'Now goes along without needing support from us.',
  'Moved on to another group closer to home.',
  'Stopped coming after a few weeks; said it was not the right time.',
];

/** Now and then, a word about a session. */
export const ATTENDANCE_NOTES: Record<'attended' | 'did-not-attend', readonly string[]> = {
  attended: [
    'Joined in well.',
    'Came with a neighbour.',
    'Chatted with others over tea.',
    'Stayed to help clear up.',
  ],
  'did-not-attend': ['Rang to say unwell.', 'Hospital appointment.', 'No word; we will ring.'],
};

/** What people said when rating an outcome a few weeks after they started going. */
export const FOLLOW_UP_NOTES: Record<'better' | 'same' | 'worse', readonly string[]> = {
  better: [
    'Going to the group has given me something to look forward to.',
    'I have got to know a few people now.',
    'I feel more like myself since I started going.',
  ],
  same: ['Early days; still finding my feet there.', 'It is nice, but it has not changed much yet.'],
  worse: ['A rough few weeks; I have missed some sessions.'],
};

/**
 * Staff of the directory's own organisations (demo-directory.ts adds those without staff in the
 * population), who answer referrals to their organisation's resources: name and job title.
 */
export const DIRECTORY_STAFF: Record<
  keyof typeof DIRECTORY_ORGANISATIONS,
  readonly (readonly [string, string])[]
> = {
  'carers-centre': [['Lorraine Whitaker', 'Carers Support Worker']],
  'money-advice': [
    ['Dev Mistry', 'Welfare Rights Adviser'],
    ['Claire Osei', 'Debt Adviser'],
  ],
  'active-riverside': [
    ['Gemma Hartley', 'Activity Coordinator'],
    ['Kwame Boateng', 'Walk Leader Coordinator'],
  ],
  'wellbeing-collective': [['Rosa Delgado', 'Wellbeing Coordinator']],
  'food-network': [['Ian Brennan', 'Volunteer Coordinator']],
  'churches-together': [['Ruth Ogunleye', 'Community Projects Worker']],
  'old-mill-arts': [['Hannah Lowe', 'Community Arts Coordinator']],
  'home-matters': [['Stuart McAllister', 'Home Improvement Caseworker']],
};
