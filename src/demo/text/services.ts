/**
 * Demo text: the agencies of "Riverside", the services their teams give, the actions each might
 * take on a goal, the community groups people are linked with, and what people and carers do
 * themselves. Fictional; read by demo-care.ts.
 */

import type { CareTeamSupportKind } from '../../domain/care-team.js';

export type Theme =
  | 'safety'
  | 'activity'
  | 'social'
  | 'health'
  | 'home'
  | 'money'
  | 'mind'
  | 'skills'
  | 'mobility'
  | 'stigma'
  | 'voice';

export type ServiceKey =
  | 'district-nursing'
  | 'frailty'
  | 'older-adults-mh'
  | 'gp'
  | 'social-work'
  | 'reablement'
  | 'tenancy'
  | 'independent-living'
  | 'befriending'
  | 'peer-support'
  | 'social-prescribing'
  | 'health-coaching';

/**
 * Which service each generated team gives, by the team's name in demo-population.ts. Teams not
 * listed (the ICB's) hold no caseload. practitioner@demo's team is social work whatever its name.
 */
export const TEAM_SERVICES: Readonly<Record<string, ServiceKey>> = {
  'North Neighbourhood District Nursing Team': 'district-nursing',
  'South Neighbourhood District Nursing Team': 'district-nursing',
  'Community Frailty and Falls Team': 'frailty',
  'Older Adults Community Mental Health Team': 'older-adults-mh',
  'Northgate Practice Care Team': 'gp',
  'Millbrook Surgery Care Team': 'gp',
  'Castle Hill Practice Care Team': 'gp',
  'North Locality Social Work Team': 'social-work',
  'Reablement and Independence Team': 'reablement',
  'Tenancy Sustainment Team': 'tenancy',
  'Independent Living Team': 'independent-living',
  'Befriending Service': 'befriending',
  'Peer Support Network': 'peer-support',
  'Social Prescribing Link Worker Service': 'social-prescribing',
  'Health and Wellbeing Coaching': 'health-coaching',
};

export interface ServiceSpec {
  supportKind: CareTeamSupportKind;
  roles: readonly string[];
  /** Actions this service might take on any goal. */
  actions: readonly string[];
  /** Actions that fit a goal of a particular kind. */
  themed: Partial<Record<Theme, readonly string[]>>;
}

export const SERVICES: Readonly<Record<ServiceKey, ServiceSpec>> = {
  'district-nursing': {
    supportKind: 'nhs',
    roles: [
      'District nursing: leg ulcer care and dressings',
      'District nursing: insulin and diabetes checks',
      'District nursing: pressure care and catheter care',
      'District nursing: wound care after surgery',
    ],
    actions: ['Check skin and pressure areas at each visit', 'Review dressings and equipment monthly'],
    themed: {
      health: ['Nurse to check how things are going at each visit'],
      mobility: ['Check the new footwear is not rubbing'],
      home: ['Order a pressure-relieving cushion for the chair'],
      voice: ['Same nurse for the weekly visits wherever possible'],
    },
  },
  frailty: {
    supportKind: 'nhs',
    roles: [
      'Falls assessment and strength and balance programme',
      'Occupational therapy: equipment and safety at home',
      'Physiotherapy: mobility and falls prevention',
    ],
    actions: ['Falls risk assessment at home'],
    themed: {
      mobility: [
        'Strength and balance exercises: six weeks of home visits',
        'Assess for a second stair rail and a perching stool',
        'Practise getting up from the floor safely',
      ],
      safety: ['Home hazards check with {name}', 'Refer for a pendant alarm and key safe'],
      home: ['Bathing assessment and equipment'],
      activity: ['Exercises to build up stamina for getting out'],
    },
  },
  'older-adults-mh': {
    supportKind: 'nhs',
    roles: [
      'Care coordinator: memory assessment and support after diagnosis',
      'Community mental health nurse: low mood and anxiety',
    ],
    actions: ['Fortnightly visits from the community mental health nurse'],
    themed: {
      mind: ['Try a daily breathing routine together', 'Medication review with the consultant'],
      stigma: ['Refer to the post-diagnosis support group'],
      voice: ['Feedback meeting on the memory assessment, with family if {name} wants'],
      safety: ['Talk through a plan for when {name} feels unsafe or confused'],
    },
  },
  gp: {
    supportKind: 'nhs',
    roles: [
      'GP: long-term conditions and medication reviews',
      'Practice care coordinator: annual review and care planning',
      'Practice nurse: diabetes and COPD reviews',
    ],
    actions: ['Medication review', 'Annual health check'],
    themed: {
      health: ['Review at the practice in six weeks', 'Medication review'],
      mind: ['Review antidepressant dose in four weeks', 'Refer to talking therapies'],
      mobility: ['Refer to community physiotherapy'],
      voice: ['Book longer appointments with the same GP where possible'],
      safety: ['Note the fall and check blood pressure lying and standing'],
    },
  },
  'social-work': {
    supportKind: 'social-care',
    roles: [
      'Social worker: Care Act assessment and support planning',
      'Social worker: review of care and support',
      "Social care assessor: carer's assessment and support",
    ],
    actions: ['Review the care package', 'Share this plan with the care agency'],
    themed: {
      home: [
        'Arrange a change to the care visit times',
        'Look at a direct payment so {name} can choose the carers',
      ],
      voice: [
        'Set up a three-way meeting with the care agency',
        'Make sure the agency has a copy of this plan',
      ],
      safety: ['Talk through what would help {name} feel safer at home'],
      money: ['Financial assessment and benefits check'],
      social: ['Look at day opportunities and transport'],
      activity: ['Arrange transport to the group for the first month'],
    },
  },
  reablement: {
    supportKind: 'social-care',
    roles: [
      'Reablement: six weeks of support to regain daily routines',
      'Occupational therapy: adaptations and equipment',
    ],
    actions: ['Reablement visits for the morning routine, six weeks'],
    themed: {
      mobility: ['Practise walking outdoors with the support worker'],
      home: ['Fit grab rails and a shower seat'],
    },
  },
  tenancy: {
    supportKind: 'housing',
    roles: [
      'Tenancy sustainment: rent, repairs and benefits',
      'Housing officer: neighbour problems and repairs',
    ],
    actions: ['Monthly tenancy check-in visit'],
    themed: {
      money: [
        'Set up an affordable repayment plan for the rent arrears',
        'Help with the Housing Benefit form',
      ],
      home: ['Report the damp and chase the repair'],
      safety: ['Check the door locks and outside lighting, and fix what is needed'],
    },
  },
  'independent-living': {
    supportKind: 'housing',
    roles: [
      'Independent living: sheltered scheme and community alarm',
      'Independent living: adaptations and moving home',
    ],
    actions: ['Independent living review'],
    themed: {
      home: ['Check the home for adaptations that would help'],
      safety: ['Install the community alarm and a door sensor'],
      social: ['Introduce {name} to the coffee morning in the lounge'],
    },
  },
  befriending: {
    supportKind: 'voluntary-community',
    roles: ['Weekly befriending visits', 'Telephone befriending'],
    actions: ['Weekly visit from a volunteer befriender'],
    themed: {
      social: [
        'Match {name} with a befriender with shared interests',
        'Telephone befriending on Sunday afternoons',
      ],
      activity: ['Befriender to go along to the first two sessions'],
    },
  },
  'peer-support': {
    supportKind: 'peer-support',
    roles: ['Peer supporter: fortnightly meet-ups', 'Peer support group'],
    actions: ['Fortnightly meet-up with a peer supporter'],
    themed: {
      mind: ['Peer supporter to share what helped them'],
      stigma: ['Invite {name} to the peer-led group at the library'],
      health: ['Peer support group for people living with the same condition'],
    },
  },
  'social-prescribing': {
    supportKind: 'social-prescribing',
    roles: [
      'Social prescribing link worker: local groups and activities',
      'Link worker: benefits, debt and community support',
    ],
    actions: ['Link worker visit to talk about local groups'],
    themed: {
      activity: ['Find a local group and go along to a taster together'],
      social: ['Introduce {name} to the lunch club and arrange transport'],
      money: ['Refer to Citizens Advice Riverside for a benefits check'],
      skills: ['Find a local course or drop-in that suits {name}'],
      mobility: ['Link {name} with the health walks leader'],
    },
  },
  'health-coaching': {
    supportKind: 'health-coaching',
    roles: ['Health coach: managing a long-term condition', 'Health coach: pacing, sleep and activity'],
    actions: ['Six health coaching sessions'],
    themed: {
      health: ['Agree small weekly goals'],
      mind: ['Coaching on pacing and managing energy'],
      mobility: ['Build up walking a little each week'],
    },
  },
};

export interface CommunityResource {
  name: string;
  themes: readonly Theme[];
  actions: readonly { what: string; when: string }[];
}

export const COMMUNITY_RESOURCES: readonly CommunityResource[] = [
  {
    name: "Riverside Men's Shed",
    themes: ['activity', 'social', 'mind'],
    actions: [
      { what: "Go along to the Men's Shed", when: 'Tuesday mornings' },
      { what: 'Help with the bench-building project', when: 'Weekly' },
    ],
  },
  {
    name: 'Riverside Health Walks',
    themes: ['mobility', 'health', 'social'],
    actions: [{ what: 'Join the short 20-minute walk from the library', when: 'Thursdays at 10am' }],
  },
  {
    name: 'Millbrook Lunch Club',
    themes: ['social'],
    actions: [{ what: 'Lunch club, with transport arranged', when: 'Wednesdays' }],
  },
  {
    name: "St Mark's Community Café",
    themes: ['social', 'activity'],
    actions: [{ what: 'Coffee morning', when: 'Fridays' }],
  },
  {
    name: 'Riverside Library Digital Drop-in',
    themes: ['skills'],
    actions: [{ what: 'One-to-one help with the tablet', when: 'Monday afternoons' }],
  },
  {
    name: 'Citizens Advice Riverside',
    themes: ['money', 'home'],
    actions: [
      { what: 'Benefits check and help with the forms', when: 'Appointment booked' },
      { what: 'Debt advice appointment', when: 'Within four weeks' },
    ],
  },
  {
    name: 'Riverside Credit Union',
    themes: ['money'],
    actions: [{ what: 'Open a jam-jar account for the bills', when: 'This month' }],
  },
  {
    name: 'Riverside Memory Café',
    themes: ['stigma', 'social', 'voice'],
    actions: [{ what: 'Memory café', when: 'First Monday of the month' }],
  },
  {
    name: 'Riverside Wellbeing Hub',
    themes: ['mind', 'stigma'],
    actions: [
      { what: 'Drop-in session', when: 'Tuesday afternoons' },
      { what: 'Six-week course on managing anxiety', when: 'Starts next month' },
    ],
  },
  {
    name: 'Castle Hill Allotment Society',
    themes: ['activity', 'health'],
    actions: [{ what: 'Raised-bed plot with a buddy gardener', when: 'Saturday mornings' }],
  },
  {
    name: 'Riverside Leisure Centre',
    themes: ['mobility', 'health'],
    actions: [
      { what: 'Gentle swim session', when: 'Monday mornings' },
      { what: 'Exercise on referral, twelve weeks', when: 'Twice a week' },
    ],
  },
  {
    name: 'Northgate Community Pantry',
    themes: ['money'],
    actions: [{ what: 'Pantry membership for affordable food', when: 'Weekly' }],
  },
  {
    name: 'Riverside Dial-a-Ride',
    themes: ['mobility', 'social', 'activity'],
    actions: [{ what: 'Book Dial-a-Ride for the weekly trip out', when: 'Weekly' }],
  },
  {
    name: 'Riverside Recovery Community',
    themes: ['health', 'mind'],
    actions: [{ what: 'Peer-led recovery meeting', when: 'Thursday evenings' }],
  },
  {
    name: 'Riverside Adult Learning',
    themes: ['skills', 'activity'],
    actions: [{ what: 'Enrol on the next short course', when: 'Next term' }],
  },
];

export const PERSON_ACTIONS: Readonly<Record<Theme, readonly string[]>> = {
  safety: [
    'Wear the pendant alarm day and night',
    'Keep the door chain on and ask callers for ID',
    'Keep the list of who to call by the phone',
  ],
  activity: [
    'Go along to a taster session',
    'Ring the organiser to say I am coming back',
    'Put the dates on the calendar',
  ],
  social: ['Say yes to at least one invitation a week', 'Phone a friend or relative every Sunday'],
  health: [
    'Keep a diary of how I am getting on',
    'Write my questions down before appointments',
    'Ring the team early if things get worse',
  ],
  home: ['Tell the team what is and is not working at home', 'Keep the hallway clear so I do not trip'],
  money: [
    'Bring all my letters to the appointment',
    'Keep receipts in the folder',
    'Set up a standing order for the rent',
  ],
  mind: [
    'Use the breathing exercise when I feel on edge',
    'Get up and dressed by ten every day',
    'Write down one good thing each evening',
  ],
  skills: ['Practise a little every day', 'Ask for help when I get stuck'],
  mobility: [
    'Do my exercises every morning',
    'Walk to the postbox and back every day',
    'Use the frame every time I get up',
  ],
  stigma: ['Go into town once a week with a friend', 'Tell one person I trust what I am going through'],
  voice: [
    'Write down what I want to say before meetings',
    'Tell the care team when something is not working',
    'Bring my own list to the review',
  ],
};

export const CARER_ACTIONS: Readonly<Record<Theme, readonly string[]>> = {
  safety: ['Check in by phone every evening', 'Keep a spare key and be first on the alarm call list'],
  activity: ['Give {name} a lift to the group for the first few weeks'],
  social: ['Bring the children round on Saturday afternoons', 'Set up the video calls on Sundays'],
  health: ['Come to the appointments with {name}', 'Notice if {name} is getting worse and ring the team'],
  home: ['Help with the big shop once a fortnight', 'Be there when the adaptations are fitted'],
  money: ['Help sort the post once a week'],
  mind: ['Go for a short walk together at weekends', 'Notice the early signs and ring the team'],
  skills: ['Practise with {name} at weekends'],
  mobility: ['Walk with {name} to the park on Sundays', 'Help practise getting into the car'],
  stigma: ['Come along to the first few groups'],
  voice: ['Come to reviews to back {name} up, not speak for {name}'],
};
