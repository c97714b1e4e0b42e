/**
 * Demo text: care-experience feedback about the Riverside services (demo-feedback.ts puts it
 * together). Written for this demo, in the plain words people use on Friends and Family Test cards;
 * fictional. Each sentence names the theme of the default framework (domain/coding/framework.ts)
 * it is about, so the demo can link a change made to the concerns it answers. Concern sentences
 * avoid the words the harm detector flags: only the safeguarding stories below describe harm.
 */

import type { ServiceKey } from './services.js';

/** Who the story is about, by service: `{worker}` in a sentence becomes one of these. */
export const WORKERS: Readonly<Record<ServiceKey, readonly string[]>> = {
  'district-nursing': ['the district nurses', 'the nurse who came', 'the nursing team'],
  frailty: ['the physio', 'the frailty team', 'the occupational therapist'],
  'older-adults-mh': ['my care coordinator', 'the memory nurse', 'the psychiatrist', 'the team'],
  gp: ['the doctor', 'the practice nurse', 'the receptionists', 'the care coordinator at the surgery'],
  'social-work': ['the social worker', 'our social worker', 'the duty social worker'],
  reablement: ['the reablement workers', 'my support worker', 'the carers who came each morning'],
  tenancy: ['my tenancy support officer', 'the housing officer', 'the support worker'],
  'independent-living': ['the independent living team', 'the support worker', 'the scheme manager'],
  befriending: ['my befriender', 'the volunteer', 'the coordinator'],
  'peer-support': ['the peer supporters', 'the group leader', 'my peer mentor'],
  'social-prescribing': ['the link worker', 'my link worker', 'the social prescriber'],
  'health-coaching': ['my health coach', 'the coach', 'the wellbeing team'],
};

/** "What was good?" sentences, by theme. */
export const PRAISE: Readonly<Record<string, readonly string[]>> = {
  'staff-manner': [
    'Kind and patient with me every single time: {worker} made all the difference.',
    'Everyone was friendly and polite, and treated my mum with real respect.',
    '{worker} always had a smile and made me feel at ease.',
    'Lovely caring people who never made me feel like a nuisance.',
  ],
  continuity: [
    'It was the same person each time, so I did not have to repeat my story.',
    'Seeing the same faces week after week made a big difference to Dad.',
  ],
  competence: [
    '{worker} really knew what they were doing and checked everything thoroughly.',
    'My leg has healed far quicker than I expected, thanks to their skill.',
    'They spotted a problem early that others had missed.',
  ],
  'communication-information': [
    '{worker} explained everything clearly and wrote it down for me afterwards.',
    'I always knew what was happening next and who to ring.',
    'The leaflet they left was easy to read and answered my questions.',
  ],
  'listening-involvement': [
    '{worker} listened to what mattered to me, not just the medical side.',
    'They asked what I wanted to get back to doing and planned around that.',
    'They involved my daughter in every decision, which we both appreciated.',
  ],
  responsiveness: [
    'When I rang with a worry someone called me back the same afternoon.',
    'They sorted the equipment within two days of asking.',
  ],
  'access-waiting': [
    'I was seen much sooner than I expected after the referral.',
    'Easy to get hold of someone on the phone.',
  ],
  appointments: [
    'Visits were at a time that suited me and they always turned up when they said.',
    'They were happy to move the appointment when I had a hospital visit.',
  ],
  'coordination-discharge': [
    'Everything was ready at home when I came out of hospital.',
    '{worker} spoke to my GP and the pharmacy so I did not have to chase anything.',
  ],
  medication: [
    'They went through all my tablets with me and took two off that I no longer needed.',
    'The nurse made sure my new prescription was ready before I ran out.',
  ],
  'feeling-safe': [
    'The new rails and the pendant alarm mean I feel confident at home again.',
    'They checked the house over and I feel much more secure now.',
  ],
  pain: ['My pain is much better controlled since they changed the patches.'],
  'environment-facilities': ['The clinic room was clean, quiet and private.'],
  food: ['They helped me plan simple meals I can manage on my own again.'],
  'travel-transport-parking': ['They arranged transport to the group, which I could never have managed.'],
};

/** "What could be better?" sentences, by theme. */
export const CONCERN: Readonly<Record<string, readonly string[]>> = {
  'access-waiting': [
    'I waited nearly three months for the first visit after my GP referred me.',
    'It took far too long to be seen and nobody told me how long the wait would be.',
    'The phone line was always engaged and I gave up trying to get through.',
  ],
  appointments: [
    'Visits were cancelled twice at short notice with no explanation.',
    'I waited in all morning and the visit was moved without anyone ringing me.',
    'Appointment times were never kept, so I could not plan my day.',
  ],
  'communication-information': [
    'Nobody explained what the plan was or what would happen next.',
    'The letter had the wrong date on it and I only found out when I rang.',
    'Different people told me different things about my medication.',
  ],
  continuity: [
    'A different person came every time and I had to explain everything again.',
    'There was no handover, so the new worker did not know about my care plan.',
  ],
  'staffing-levels': [
    'It was clear {worker} had far too much on, and there was no time to talk.',
    'They seemed very short-staffed and visits were cut short.',
  ],
  'staff-manner': [
    'One member of staff was quite abrupt and made me feel I was wasting their time.',
    'I did not appreciate being spoken about as if I was not in the room.',
  ],
  'listening-involvement': [
    'I felt nobody listened to what I actually wanted.',
    'My husband knows my needs best and he was not asked for his view.',
  ],
  'coordination-discharge': [
    'The hospital and the community team did not talk to each other, so nothing was ready.',
    'I had to chase the equipment myself for weeks after coming home.',
  ],
  responsiveness: [
    'I left three messages and nobody rang me back.',
    'It took a fortnight to get a reply to a simple question.',
  ],
  medication: [
    'My prescription was late again and I nearly ran out of tablets.',
    'Nobody explained the side effects of the new tablets.',
  ],
  'travel-transport-parking': [
    'Parking at the clinic is impossible and I was late because of it.',
    'The transport did not turn up, so I missed the session.',
  ],
  'environment-facilities': ['The waiting area was cold and there was nowhere private to talk.'],
};

/** Short words for a mild "what could be better" on an otherwise happy story. */
export const NOTHING_BETTER: readonly string[] = [
  'Nothing, keep doing what you are doing.',
  'Nothing I can think of.',
  'Nothing, thank you.',
  '',
];

/**
 * Personal details people put in feedback, which the de-identifier should mask: a name to thank,
 * a phone number to ring back. `{name}` and `{phone}` are filled from the lists below.
 */
export const WITH_PERSONAL_DETAILS: readonly string[] = [
  'Please pass my thanks to {name}, who went above and beyond.',
  'Special thanks to {name} for all the extra time.',
  'If anyone wants to talk to me about this my number is {phone}.',
  'Please ring me back on {phone}, I would like to discuss it.',
];
/** Names in fictional feedback. */
export const THANKED_NAMES: readonly string[] = [
  'Nurse Jackie',
  'Dr Patel',
  'Mrs Okafor',
  'Sarah Lewis',
  'Tom Bradley',
];
/** Drama-reserved UK numbers (Ofcom's ranges for fiction), so no real line is printed. */
export const FICTIONAL_PHONES: readonly string[] = [
  '07700 900456',
  '07700 900981',
  '01632 960123',
  '0113 496 0741',
];

/** A story that describes harm and must be flagged to the safeguarding contact. */
export interface SafeguardingStory {
  service: ServiceKey;
  whatWasGood: string;
  whatCouldBeBetter: string;
}
export const SAFEGUARDING_STORIES: readonly SafeguardingStory[] = [
  {
    service: 'older-adults-mh',
    whatWasGood: 'The memory nurse is lovely with my mother.',
    whatCouldBeBetter:
      'Mum had bruises on her arms after the evening visit and nobody could tell me how it happened. I want someone to look into it.',
  },
  {
    service: 'social-work',
    whatWasGood: '',
    whatCouldBeBetter:
      'My father was left without insulin over the weekend because the care visit did not happen. He could have been seriously ill.',
  },
];

/** Changes made in answer to concerns, by the theme of the concerns they answer. */
export const CHANGES_MADE: Readonly<Record<string, readonly string[]>> = {
  'access-waiting': [
    'Added a second assessment clinic each week, so new referrals are seen within four weeks.',
    'People on the waiting list now get a call each fortnight to say where they are on it.',
  ],
  appointments: [
    'Visits are now confirmed by text the day before, and a cancelled visit is rebooked by the coordinator the same day.',
  ],
  'communication-information': [
    'Every new person now gets a one-page sheet with their named worker, the plan and who to ring.',
    'Letters are checked by a second person before they go out.',
  ],
  continuity: ['Each person now has a named worker and a named back-up who covers their visits.'],
  'staffing-levels': ['Two vacant posts were filled and visit lengths went back to the agreed times.'],
  'staff-manner': ['The whole team took part in a session on dignity led by people who use the service.'],
  'listening-involvement': [
    'Assessments now begin by asking what matters most to the person and their family.',
  ],
  'coordination-discharge': [
    'A weekly call with the hospital discharge team now checks equipment is in place before anyone goes home.',
  ],
  responsiveness: ['A duty worker now answers messages within one working day.'],
  medication: ['Repeat prescriptions are now requested ten days before they run out.'],
  'travel-transport-parking': [
    'Two parking spaces by the entrance are now kept for people coming to appointments.',
  ],
  'environment-facilities': [
    'The waiting area has been moved to a warmer room with a private space to talk.',
  ],
};

/** A service's reply to a story, by whether the story was praise or a concern. */
export const REPLIES = {
  praise: [
    'Thank you for taking the time to tell us. We have shared your kind words with the whole team.',
    'Thank you so much. It means a great deal to the team to hear this.',
  ],
  concern: [
    'Thank you for telling us, and we are sorry this happened. The team manager will look into it and get back to you.',
    'We are sorry we let you down. We have discussed this at our team meeting and are making changes.',
  ],
} as const;
