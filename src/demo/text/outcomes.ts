/**
 * Demo text: what matters to people, in their own words: each wish with reasons, the outcome
 * domains it is coded to, GAS level descriptions and the actions that fit it. Fictional; read by
 * demo-care.ts.
 */

import type { DemoDomainCode } from '../demo-care.js';
import type { Weighted } from '../random.js';
import type { ServiceKey, Theme } from './services.js';

/** Five GAS level descriptions, −2 to +2. */
export type GasLevels = readonly [string, string, string, string, string];

export interface OutcomeTemplate {
  statement: string;
  why: readonly string[];
  domains: readonly [DemoDomainCode] | readonly [DemoDomainCode, DemoDomainCode];
  theme: Theme;
  vars?: Readonly<Record<string, readonly string[]>>;
  minAge?: number;
  maxAge?: number;
  gas?: GasLevels;
  /** Actions that fit this wish better than the general ones for its theme. */
  own?: readonly string[];
  agency?: Partial<Record<ServiceKey, string>>;
}

// biome-ignore format: one template per block reads better than the formatter's layout
export const OUTCOME_TEMPLATES: readonly OutcomeTemplate[] = [
  // Feeling safe
  {
    statement: "I'd like to feel safe in my own home at night",
    why: [
      'Since the break-in down the road I lie awake listening for noises.',
      "I've lived here forty years and I don't want to be scared in my own house.",
      "When I don't sleep, the whole next day is ruined.",
    ],
    domains: ['feeling-safe', 'living-as-you-want'], theme: 'safety',
    gas: [
      'Sleeps in the chair downstairs with the lights on most nights',
      'Goes up to bed but gets up several times to check the doors',
      'Sleeps in bed most nights and checks the doors just once',
      'Sleeps through most nights without worrying',
      'Feels settled at night and no longer needs the landing light on',
    ],
    own: ['Keep the landing light on a timer', 'Keep the list of who to call by the bed'],
    agency: {
      'independent-living': 'Fit a door sensor and an outside light',
      tenancy: 'Check the door locks and outside lighting, and fix what is needed',
      'older-adults-mh': 'Talk through the night-time worries and what helps',
    },
  },
  {
    statement: "I don't want to be frightened of falling every time I stand up",
    why: ["I've had two falls this year and now I'm scared to move.", "If I fall again I'm worried I'll end up in a home."],
    domains: ['feeling-safe', 'improved-confidence'], theme: 'safety', minAge: 60,
    gas: [
      'Stays in the chair most of the day for fear of falling',
      'Moves around the house only when someone is there',
      'Moves around the house alone with the frame most days',
      'Moves around the house and garden confidently with the frame',
      'Walks short distances indoors without the frame and feels steady',
    ],
    own: ['Use the frame every time I get up', 'Do my strength and balance exercises every morning'],
    agency: {
      frailty: 'Strength and balance exercises: six weeks of home visits',
      'independent-living': 'Fit a community alarm with a fall detector',
      gp: 'Medication review for dizziness',
    },
  },
  {
    statement: 'I want to stop worrying that someone will come to the door and con me',
    why: [
      "A man said he was from the water board and took my purse. I've not felt right since.",
      'I live on my own and I feel like an easy target.',
    ],
    domains: ['feeling-safe'], theme: 'safety', minAge: 65,
    gas: [
      'Does not answer the door at all and is anxious whenever it goes',
      'Answers the door but often lets callers in without checking',
      'Uses the door chain and asks for ID every time',
      'Uses the video doorbell and only lets in people expected',
      'Feels in control at the door and warns neighbours about scam callers',
    ],
    own: ['Keep the door chain on and ask callers for ID'],
    agency: {
      'social-work': 'Safeguarding check-in after the doorstep incident',
      'independent-living': 'Fit a video doorbell',
      befriending: 'Talk through the scams to look out for',
    },
  },
  {
    statement: "I want to feel safe walking back from {place} when it's dark",
    vars: { place: ['the bus stop', 'the shops', 'the mosque', 'church', 'the community centre'] },
    why: ["In winter it's dark by four and I end up stuck in.", 'The lads by the underpass frighten me.'],
    domains: ['feeling-safe', 'having-things-to-do'], theme: 'safety',
    own: ['Walk back with a friend after the group', 'Keep my phone charged and on me'],
    agency: {
      'social-prescribing': 'Find a group that finishes before dark, or has a lift home',
      befriending: 'Volunteer to walk back with {name} on dark evenings',
      'social-work': 'Look at the taxi scheme for evening trips',
    },
  },
  {
    statement: "I want to know someone will come quickly if I have a fall",
    why: [
      'Last time I was on the floor for hours before anyone found me.',
      'My family live an hour away and worry themselves sick about me.',
    ],
    domains: ['feeling-safe', 'responded-to'], theme: 'safety', minAge: 60,
    gas: [
      'No way of calling for help if on the floor',
      'Has a pendant alarm but often does not wear it',
      'Wears the pendant alarm during the day and knows who it calls',
      'Wears the pendant day and night and has tested it',
      'Wears the pendant, has a key safe, and family and neighbours know the plan',
    ],
    own: ['Wear the pendant alarm day and night'],
    agency: {
      'independent-living': 'Install the community alarm and a key safe',
      frailty: 'Practise getting up from the floor safely',
      'social-work': 'Agree who responds to the alarm out of hours',
    },
  },
  {
    statement: 'I need the trouble with the people upstairs to stop so I can feel settled at home',
    why: ['The banging and shouting keep me up till three in the morning.', "I dread coming home, and it's my home."],
    domains: ['feeling-safe', 'living-as-you-want'], theme: 'home', maxAge: 85,
    gas: [
      'Incidents most nights; has stopped reporting them',
      'Incidents several times a week; some reported',
      'Every incident reported and the housing association is acting',
      'Incidents rare; feels the problem is being dealt with',
      'No incidents for a month and feels settled at home',
    ],
    own: ['Write down each incident with the date and time'],
    agency: {
      tenancy: 'Log each incident and speak to the neighbours upstairs',
      'social-prescribing': 'Refer to the community mediation service',
    },
  },
  // Having things to do
  {
    statement: 'I want to get back to my {activity} on {day}',
    vars: {
      activity: ['walking group', 'bowls club', 'choir', 'knit and natter group', 'lunch club', 'bingo'],
      day: ['Thursdays', 'Tuesday mornings', 'Friday afternoons', 'Wednesdays'],
    },
    why: [
      "It's where my friends are, and I've not seen them since I was poorly.",
      'It gave my week some shape. Without it the days run into each other.',
      "I've been going for years and I miss the banter.",
    ],
    domains: ['having-things-to-do', 'seeing-people'], theme: 'activity', minAge: 40,
    gas: [
      'Not leaving the house',
      'Goes out only with family, not to the {activity}',
      'Goes to the {activity} with someone once or twice a month',
      'Goes to the {activity} alone most weeks',
      'Goes every week and helps out at the {activity}',
    ],
    own: ['Ring the organiser to say I am coming back'],
    agency: {
      'social-prescribing': 'Go along with {name} to the first {activity} session',
      befriending: 'Befriender to go along to the {activity} for the first few weeks',
      'social-work': 'Arrange transport to the {activity} for the first month',
    },
  },
  {
    statement: "I'd like to get my allotment going again",
    why: [
      'Growing my own veg is the only time my head feels quiet.',
      'We had that plot for twenty years, me and my other half.',
    ],
    domains: ['having-things-to-do', 'staying-well'], theme: 'activity', minAge: 40,
    gas: [
      'Has not been to the allotment since last year',
      'Visits the allotment with help but does no work there',
      'Goes to the allotment weekly and does light jobs from a seat',
      'Grows a few crops, with a neighbour helping with the digging',
      'Runs the plot with raised beds and shares the produce',
    ],
  },
  {
    statement: 'I want to find some volunteering, something useful to do with my days',
    why: ['I worked all my life and now I feel like I\'m on the scrapheap.', 'I want to give something back, not just be on the receiving end.'],
    domains: ['having-things-to-do', 'improved-confidence'], theme: 'activity', maxAge: 78,
    gas: [
      'Not looking, and no idea what is out there',
      'Has talked about volunteering but not made contact',
      'Has met a volunteer coordinator and tried one session',
      'Volunteers regularly, half a day a week',
      'Volunteers twice a week and has taken on a role with responsibility',
    ],
  },
  {
    statement: "I want to get back into work, even if it's just a few hours",
    why: ['Being on benefits makes me feel useless.', 'Work was where I had friends and a routine.'],
    domains: ['having-things-to-do', 'improved-confidence'], theme: 'activity', minAge: 18, maxAge: 64,
    gas: [
      'Not thinking about work; too unwell to plan',
      'Thinking about work but has not spoken to anyone about it',
      'Working with an employment adviser and has an up-to-date CV',
      'Has had an interview or a work trial',
      'In paid work for a few hours a week',
    ],
  },
  {
    statement: 'I want to do a course {course} at the college',
    vars: { course: ['in catering', 'in motor mechanics', 'in English', 'in hair and beauty', 'in computing'] },
    why: ['I left school with nothing and I want to prove I can do it.', "It would get me out of the flat and meeting people my own age."],
    domains: ['having-things-to-do', 'improved-skills'], theme: 'skills', maxAge: 45,
    gas: [
      'Has not looked at courses',
      'Has looked at courses online but not applied',
      'Has applied and been to the open day',
      'Started the course and going to most sessions',
      'Finished the first term of the course',
    ],
    agency: { 'social-prescribing': 'Go to the college open day together' },
  },
  {
    statement: "I'd love to get back to my {hobby}",
    vars: { hobby: ['painting', 'baking', 'fishing', 'woodwork', 'sewing', 'crosswords and reading'] },
    why: ["It's the one thing that takes my mind off the pain.", "I used to do it every day; now I can't remember the last time."],
    domains: ['having-things-to-do'], theme: 'activity',
  },
  {
    statement: 'I want to get to {worship} again',
    vars: { worship: ['church on a Sunday', 'Friday prayers at the mosque', 'the gurdwara', 'the temple', 'chapel'] },
    why: ['My faith has always kept me going, and I miss the people there.', "It's the one place I feel I belong."],
    domains: ['having-things-to-do', 'seeing-people'], theme: 'activity',
    gas: [
      'Has not been able to go for months',
      'Follows the service online at home',
      'Gets there with a lift once or twice a month',
      'Gets there most weeks',
      'Goes every week and has joined in with something there',
    ],
  },
  {
    statement: "I'd like to get to a Riverside Rovers home game with my {kin}",
    vars: { kin: ['son', 'grandson', 'brother', 'nephew'] },
    why: ["I've had a season ticket since I was a boy.", "It's the one thing we've always done together."],
    domains: ['having-things-to-do', 'improved-mobility'], theme: 'activity', minAge: 45,
    gas: [
      'Cannot manage the trip out of the house',
      'Watches the match on the telly with family',
      'Gets to one match with a lift and accessible seating',
      'Goes to most home games with support',
      'Goes to every home game and some away trips',
    ],
  },
  {
    statement: "I want to get out of the house at least once a day, even if it's only to the shop",
    why: ['Four walls all day drives me mad.', 'If I stay in I just sit and brood.'],
    domains: ['having-things-to-do', 'improved-mobility'], theme: 'mobility',
    gas: [
      'Has not been out of the house for weeks',
      'Goes out once a week with family',
      'Goes out three or four days a week, even briefly',
      'Goes out most days',
      'Goes out every day and has a routine for it',
    ],
  },
  // Seeing people
  {
    statement: 'I want to see my grandchildren more',
    why: [
      "They're growing up so fast and I'm missing it.",
      "They're the reason I get up in the morning.",
      'Since I stopped driving I only see them at Christmas.',
    ],
    domains: ['seeing-people'], theme: 'social', minAge: 55,
    gas: [
      'Sees the grandchildren only on special occasions',
      'Sees them once a month when they visit',
      'Sees them every fortnight, at home or theirs',
      'Sees them every week and has them round for tea',
      'Has them for a regular afternoon each week',
    ],
  },
  {
    statement: "I don't want to feel so lonely in the evenings",
    why: [
      "Once the carers have been at six, I see no one until morning.",
      'Since I lost my other half the evenings are the worst.',
      'I keep the telly on just for the noise.',
    ],
    domains: ['seeing-people', 'improved-confidence'], theme: 'social',
    gas: [
      'Speaks to nobody from teatime until morning',
      'Has a phone call with someone once or twice a week',
      'Has a phone or video call most evenings',
      'Goes out to something in the evening once a week',
      'Has regular evening plans and says the evenings are all right now',
    ],
  },
  {
    statement: "I want to be able to get to my {relative} house on the bus",
    vars: { relative: ["daughter's", "son's", "sister's", "friend Jean's"] },
    why: ["I don't want to always wait for them to come to me.", "It's only three stops but for me it might as well be the moon."],
    domains: ['seeing-people', 'improved-mobility'], theme: 'social', minAge: 50,
    gas: [
      'Does not go out without a lift',
      'Has done the bus journey once with a support worker',
      'Gets the bus with someone most weeks',
      'Gets the bus alone at quiet times',
      'Gets the bus alone whenever wanted',
    ],
  },
  {
    statement: "I'd like to have a friend I can have a cuppa and a chat with",
    why: ['Some days the only person I talk to is the lady in the shop.', "I just want someone who isn't paid to come."],
    domains: ['seeing-people'], theme: 'social',
    gas: [
      'No regular visitors apart from paid staff',
      'A telephone befriender calls every week',
      'A befriender visits every week',
      'Has a friend from a group and sees them outside it',
      'Has a few friends and arranges to meet them',
    ],
  },
  {
    statement: 'I want to be able to video call my family abroad',
    why: ["I haven't seen my sister's face in years.", "The phone costs a fortune and I can't see the little ones."],
    domains: ['seeing-people', 'improved-skills'], theme: 'skills',
    gas: [
      'No device and no way of video calling',
      'Has a tablet but relies on a neighbour to make calls',
      'Makes a video call with help from a volunteer',
      'Makes video calls alone most weeks',
      'Makes video calls whenever wanted and shows friends how',
    ],
    own: ['Practise a video call with the volunteer'],
    agency: {
      befriending: 'Befriender to set up the video calls',
      'social-prescribing': 'Book a place at the library digital drop-in',
    },
  },
  {
    statement: 'I want to be there for my kids again, not the other way round',
    why: ["My kids have been looking after me and it should be me looking after them.", 'I want to be a parent again, not a patient.'],
    domains: ['seeing-people', 'improved-confidence'], theme: 'mind', minAge: 28, maxAge: 60,
  },
  // Staying as well as you can
  {
    statement: 'I want to manage my own medication again',
    why: [
      "I've always been independent and I hate someone else doling out my tablets.",
      "I got muddled and ended up in hospital. I don't want that again.",
    ],
    domains: ['staying-well', 'improved-skills'], theme: 'health',
    gas: [
      'Carers give all tablets from the blister pack',
      'Takes the morning tablets with a prompt phone call',
      'Takes all tablets from the dosette box with a phone reminder',
      'Manages tablets alone, checked weekly',
      'Orders own repeat prescriptions and manages tablets without checks',
    ],
    own: ['Take my tablets from the dosette box, with the phone reminder'],
    agency: {
      gp: 'Medication review and switch to a dosette box',
      'district-nursing': 'Check the dosette box at each visit',
      reablement: 'Practise taking tablets with the reminder app',
      'older-adults-mh': 'Weekly tablet check by the nurse',
    },
  },
  {
    statement: 'I want to get my sugars under control so I stop worrying about my feet',
    why: ['My dad lost a leg to diabetes and it terrifies me.', 'I feel rotten when my sugars are all over the place.'],
    domains: ['staying-well', 'reduced-symptoms'], theme: 'health', minAge: 30,
    gas: [
      'Not checking blood sugar; HbA1c rising',
      'Checks blood sugar now and then; diet unchanged',
      'Checks blood sugar most days and has cut out sugary drinks',
      'Blood sugar in range most days; checks own feet every week',
      'HbA1c back in target and confident managing diabetes',
    ],
    own: ['Check my blood sugar before breakfast', 'Swap fizzy drinks for sugar-free ones'],
    agency: {
      gp: 'Diabetes review and blood tests',
      'district-nursing': 'Show {name} how to check blood sugar and feet',
      'health-coaching': 'Agree small changes to food and drink',
      'peer-support': 'Diabetes peer support group',
    },
  },
  {
    statement: 'I want to walk up the stairs without stopping for breath',
    why: ["My bedroom's upstairs and I'm not giving it up.", "I'm out of puff before I get to the top and it frightens me."],
    domains: ['staying-well', 'improved-mobility'], theme: 'health', minAge: 40,
    gas: [
      'Sleeping downstairs; cannot manage the stairs',
      'Manages the stairs once a day with two long rests',
      'Manages the stairs with one rest, using the breathing technique',
      'Manages the stairs without stopping most days',
      'Manages the stairs easily and walks to the shop without stopping',
    ],
    own: ['Do my breathing exercises twice a day', 'Use my inhaler before tackling the stairs'],
    agency: {
      gp: 'Review inhalers and agree a rescue pack',
      'health-coaching': 'Referral to pulmonary rehab, and a pacing plan',
      'district-nursing': 'Check oxygen levels at each visit',
      frailty: 'Stair practice with the physio',
    },
  },
  {
    statement: 'I want to stop ending up in A&E every few weeks',
    why: ['Every time I go in I come out weaker.', "I'd rather be sorted out at home than sit on a trolley all night."],
    domains: ['staying-well', 'responded-to'], theme: 'health',
    gas: [
      'At A&E more than twice a month',
      'At A&E about once a month',
      'Has an agreed plan and no A&E visits for two months',
      'Uses the plan and calls the team first; no A&E for three months',
      'No A&E visits for six months and knows what to do when unwell',
    ],
    own: ['Ring the team number before going to A&E'],
    agency: {
      gp: 'Agree an anticipatory care plan and share it with 111',
      'district-nursing': 'Same-day visit when {name} rings in',
      'social-work': 'Make sure the evening care call can reach the nurse if needed',
    },
  },
  {
    statement: 'I want to cut down on my drinking',
    why: ["It's got out of hand since I lost my job.", "The family won't come round when I've had a drink, and I don't blame them."],
    domains: ['staying-well', 'improved-confidence'], theme: 'health', minAge: 18,
    gas: [
      'Drinking every day, more than before',
      'Drinking every day but has talked to someone about it',
      'Two or three drink-free days a week',
      'Drink-free most days and going to a support group',
      'Not drinking and supporting others at the group',
    ],
    own: ['Keep a drink diary', 'Have two drink-free days a week'],
    agency: {
      gp: 'Refer to the alcohol service and check liver tests',
      'peer-support': 'Introduce {name} to the recovery group',
      'health-coaching': 'Plan what to do instead at the times I usually drink',
    },
  },
  {
    statement: "I'd like to lose a bit of weight so my knees don't hurt so much",
    why: ['The doctor says my knees would be better with less weight on them.', 'I want to get about without being in agony after.'],
    domains: ['staying-well', 'reduced-symptoms'], theme: 'health', minAge: 30,
    gas: [
      'Weight going up; not ready to change anything',
      'Thinking about changes; weight the same',
      'Lost half a stone and walking a little each day',
      'Lost a stone and knees less painful',
      'Reached the weight aimed for and keeping it off',
    ],
    own: ['Walk a little further each day', 'Swap the afternoon biscuits for fruit'],
    agency: {
      gp: 'Refer to the weight management programme',
      'health-coaching': 'Set small weekly goals for food and activity',
    },
  },
  {
    statement: 'I want to sleep properly again',
    why: ["I'm up at three every night with my mind racing.", "When I don't sleep I can't cope with anything."],
    domains: ['staying-well', 'reduced-symptoms'], theme: 'health',
    gas: [
      'Sleeps less than three hours most nights',
      'Sleeps about four hours, with broken nights',
      'Sleeps five or six hours most nights',
      'Sleeps most of the night on most nights',
      'Sleeps well and wakes feeling rested',
    ],
    own: ['Keep a sleep diary', 'No telly in the bedroom after eleven'],
    agency: {
      gp: 'Review medicines that might affect sleep',
      'health-coaching': 'Coaching on sleep and winding down',
      'older-adults-mh': 'Try a wind-down routine for the evenings',
    },
  },
  {
    statement: 'I want to give up smoking, for good this time',
    why: ["I can't breathe and I know the cigarettes aren't helping.", 'It costs me money I haven\'t got.'],
    domains: ['staying-well'], theme: 'health', minAge: 18,
    gas: [
      'Smoking more than twenty a day',
      'Has set a quit date with the stop smoking service',
      'Using patches and down to a few a day',
      'Not smoked for four weeks',
      'Not smoked for three months',
    ],
    own: ['Set a quit date and tell my family'],
    agency: {
      gp: 'Refer to the stop smoking service and prescribe patches',
      'health-coaching': 'Weekly check-in while quitting',
    },
  },
  {
    statement: 'I want to keep my leg ulcer healed so I can wear proper shoes again',
    why: ["I've been in slippers for a year and I'm embarrassed to go out.", 'The dressings take over my life.'],
    domains: ['staying-well', 'reduced-symptoms'], theme: 'health', minAge: 55,
    gas: [
      'Ulcer open and getting bigger',
      'Ulcer open but not getting worse',
      'Ulcer healing; dressings down to twice a week',
      'Ulcer healed and wearing compression stockings',
      'Healed for three months and back in proper shoes',
    ],
    own: ['Keep my legs up in the afternoons', 'Wear the compression stockings every day'],
    agency: {
      'district-nursing': 'Leg ulcer dressings twice a week until healed',
      gp: 'Vascular review and Doppler test',
    },
  },
  {
    statement: "I want to be able to breathe easier when I'm out and about",
    why: ['I plan every trip around where I can sit down.', "I panic when I'm out of breath in the street."],
    domains: ['reduced-symptoms', 'improved-mobility'], theme: 'health', minAge: 40,
    own: ['Use my inhaler before going out', 'Plan trips with places to sit down'],
    agency: { gp: 'Review inhalers', 'health-coaching': 'Breathing control and pacing plan' },
  },
  // Living where and as you want
  {
    statement: 'I want to stay in my own home, not go into a care home',
    why: [
      'All my memories are in this house.',
      'I watched my mother go into a home and she gave up.',
      "I've got my garden and my neighbours; I'd be lost anywhere else.",
    ],
    domains: ['living-as-you-want', 'feeling-safe'], theme: 'home', minAge: 60,
    gas: [
      'Family and staff talking about a care home',
      'At home with daily care visits but struggling',
      'At home with care visits and equipment, managing safely',
      'At home and managing with fewer visits',
      'At home, managing well and planning ahead on own terms',
    ],
  },
  {
    statement: 'I want to have a bath when I want one, not when it suits the rota',
    why: ["I've had a bath before bed all my life.", "It's my body and my routine."],
    domains: ['living-as-you-want', 'having-a-say'], theme: 'voice',
  },
  {
    statement: "I'd like to move somewhere on the ground floor, nearer my {relative}",
    vars: { relative: ['daughter', 'son', 'sister', 'family'] },
    why: ['The stairs to my flat are a prison.', 'I want to be close enough for them to pop in.'],
    domains: ['living-as-you-want', 'seeing-people'], theme: 'home', minAge: 50,
    gas: [
      'Not on the housing list',
      'On the housing list but not yet bidding',
      'Bidding every week for ground-floor homes',
      'Has viewed a suitable home',
      'Moved into a ground-floor home near family',
    ],
    agency: {
      'independent-living': 'Look at ground-floor flats in the sheltered scheme',
      tenancy: 'Add {name} to the housing register with medical priority',
      'social-work': 'Support the housing application with an assessment',
    },
  },
  {
    statement: "I want to keep my flat. I can't lose my tenancy",
    why: ["If I lose this place I've nowhere to go.", "I've been homeless before and I'm not going back to that."],
    domains: ['living-as-you-want', 'feeling-safe'], theme: 'money', maxAge: 80,
    gas: [
      'Notice seeking possession served; arrears rising',
      'Arrears rising but talking to the housing officer',
      'Repayment plan agreed and rent paid most weeks',
      'Rent paid every week and arrears coming down',
      'Arrears cleared and tenancy secure',
    ],
  },
  {
    statement: 'I want to get on top of the clutter so people can come round again',
    why: ["I'm ashamed to let anyone through the door.", "I can't get into the back bedroom and the fire officer says it's a risk."],
    domains: ['living-as-you-want', 'seeing-people'], theme: 'home',
    gas: [
      'Rooms full and exits blocked',
      'One room cleared with help',
      'Kitchen and hall clear and safe to use',
      'Most of the house clear and a friend has visited',
      'House kept clear and visitors come regularly',
    ],
    own: ['Clear one bag a week with my support worker'],
    agency: {
      tenancy: 'Arrange a clear-out with the specialist team',
      'social-work': 'Agree a plan with {name} to clear one room at a time',
      'older-adults-mh': 'Talk through what makes it hard to let things go',
    },
  },
  {
    statement: 'I want to be able to get myself washed and dressed in the morning',
    why: ["I don't want a stranger doing that for me.", 'If someone else does it, I feel useless before the day has started.'],
    domains: ['living-as-you-want', 'improved-skills'], theme: 'home',
    gas: [
      'Needs two carers for all washing and dressing',
      'Needs one carer for all washing and dressing',
      'Washes face and top half and dresses top half; help with the rest',
      'Washes and dresses using equipment, with a carer nearby',
      'Washes and dresses without help',
    ],
    own: ['Practise my morning routine with the reablement team'],
    agency: {
      reablement: 'Practise washing and dressing with the equipment',
      frailty: 'Bathing assessment and equipment',
      'social-work': 'Change the morning call to support rather than do for {name}',
    },
  },
  {
    statement: 'I want my money sorted so the bills stop frightening me',
    why: ["I don't open the post any more because I'm scared of what's in it.", "I'm choosing between heating and eating."],
    domains: ['living-as-you-want', 'feeling-safe'], theme: 'money',
    gas: [
      'Bills unopened and debts growing',
      'Has handed the letters to an adviser',
      'Benefits checked and a payment plan for the main debts',
      'Paying bills on time with a budget',
      'Managing money confidently with a little put by',
    ],
  },
  {
    statement: "I'd like a place of my own",
    why: ["I'm thirty and still in my mum's box room.", 'I want my own front door like everyone else.'],
    domains: ['living-as-you-want', 'improved-skills'], theme: 'home', minAge: 18, maxAge: 45,
    gas: [
      'Not on the housing register; no plan',
      'On the register and learning to budget',
      'Doing own shopping and cooking with support',
      'Offered a supported tenancy and visited it',
      'Living in own flat with support',
    ],
  },
  {
    statement: "I want to keep my {pet} with me. She's family",
    vars: { pet: ['dog', 'cat'] },
    why: ["She's the reason I get out of bed.", "If she went, I'd have nothing."],
    domains: ['living-as-you-want'], theme: 'home',
  },
  {
    statement: 'I want to be warm at home without worrying about the bill',
    why: ["I've been sitting in my coat with a hot water bottle.", 'The damp is making my chest worse.'],
    domains: ['living-as-you-want', 'staying-well'], theme: 'money',
    gas: [
      'Home cold and damp; heating off most days',
      'Heating on for an hour a day',
      'Grants and discounts applied for; heating on when needed',
      'Home warm in the day and the damp treated',
      'Home warm, damp fixed, and bills affordable',
    ],
  },
  // Confidence, mood and symptoms
  {
    statement: 'I want to stop feeling so on edge all the time',
    why: ["My heart races over nothing and I can't settle.", 'I snap at everyone and then feel awful about it.'],
    domains: ['improved-confidence', 'reduced-symptoms'], theme: 'mind',
    gas: [
      'On edge all day, every day; not leaving the house',
      'On edge most of the day; uses the breathing exercise when reminded',
      'Some calm days each week; uses the breathing exercise alone',
      'Calm most days and copes with setbacks',
      'Feels settled and helps others who are anxious',
    ],
  },
  {
    statement: 'I want to feel like myself again',
    why: ["I don't recognise myself in the mirror these days.", 'I used to be the life and soul.'],
    domains: ['improved-confidence', 'staying-well'], theme: 'mind',
  },
  {
    statement: "I'd like to be able to go to the shops without panicking",
    why: ["I had a panic attack in the supermarket and I've not been back.", 'I hate relying on my sister to do my shopping.'],
    domains: ['improved-confidence', 'reduced-symptoms'], theme: 'mind',
    gas: [
      'Cannot go into any shop',
      'Goes into the corner shop with someone',
      'Goes into the corner shop alone at quiet times',
      'Does the weekly shop at the supermarket with someone',
      'Does the weekly shop alone',
    ],
  },
  {
    statement: 'I want the panic attacks to stop running my life',
    why: ["I've cancelled so many things I've stopped making plans.", "I'm scared of being scared."],
    domains: ['reduced-symptoms', 'improved-confidence'], theme: 'mind', maxAge: 75,
    gas: [
      'Several panic attacks a day',
      'A panic attack most days',
      'Two or three a week, and uses the grounding technique',
      'Rare, and knows how to manage one',
      'None for a month and doing things avoided before',
    ],
  },
  {
    statement: 'I want to get through the day without feeling so low',
    why: ["Some days I don't see the point of getting dressed.", 'I want to enjoy things again.'],
    domains: ['reduced-symptoms', 'improved-confidence'], theme: 'mind',
    gas: [
      'In bed most of the day and not eating well',
      'Up and dressed some days',
      'Up and dressed most days with one thing planned',
      'Doing something enjoyable most days',
      'Mood good most days and planning things to look forward to',
    ],
  },
  {
    statement: 'I want to get the bus on my own again',
    why: ["Since the fall I've lost my nerve.", 'My bus pass is sat in the drawer.'],
    domains: ['improved-confidence', 'improved-mobility'], theme: 'mobility',
    gas: [
      'Has not been on a bus for months',
      'Has been on the bus with a support worker',
      'Gets the bus with someone once a week',
      'Gets the bus alone for short, familiar trips',
      'Gets the bus alone wherever wanted',
    ],
    own: ['Take the bus one stop with someone, then two'],
    agency: {
      'social-prescribing': 'Travel with {name} on the bus the first few times',
      reablement: 'Practise the bus journey with the support worker',
    },
  },
  // Skills
  {
    statement: 'I want to learn to use my tablet so I can do my own shopping online',
    why: ["Everyone says 'just do it online' and I feel left behind.", "I don't want to be asking my son every time I need something."],
    domains: ['improved-skills', 'living-as-you-want'], theme: 'skills', minAge: 50,
    gas: [
      'Tablet still in the box',
      'Can switch it on and make a video call with help',
      'Can look things up and send emails using a crib sheet',
      'Does an online shop with someone nearby',
      'Does online shopping and banking alone',
    ],
    own: ['Practise on the tablet for ten minutes a day'],
    agency: {
      'social-prescribing': 'Book a place at the library digital drop-in',
      befriending: 'Befriender to help with the tablet during visits',
    },
  },
  {
    statement: 'I want to be able to cook a proper meal for myself again',
    why: ["I'm sick of microwave meals.", "I used to cook for the whole family; now I can't manage a sandwich."],
    domains: ['improved-skills', 'living-as-you-want'], theme: 'skills',
    gas: [
      'Relies on ready meals or others for every meal',
      'Makes hot drinks and snacks safely',
      'Cooks a simple hot meal with someone there',
      'Cooks a hot meal alone two or three times a week',
      'Cooks most meals and has had someone round for dinner',
    ],
    own: ['Cook one hot meal a week with support'],
    agency: {
      reablement: 'Kitchen practice: making a hot meal safely',
      'social-prescribing': 'Find a community cookery class',
      'health-coaching': 'Plan simple, cheap meals together',
    },
  },
  {
    statement: "I want to learn to budget so I don't run out before payday",
    why: ["Every month I'm at the food bank by the third week.", 'I want to feel like a grown-up with my own money.'],
    domains: ['improved-skills', 'living-as-you-want'], theme: 'money', maxAge: 64,
    gas: [
      'Runs out of money in the first week',
      'Runs out in the second week; has a budget sheet',
      'Makes money last to the third week with weekly check-ins',
      'Makes money last the month most months',
      'Makes money last every month and saves a little',
    ],
  },
  {
    statement: 'I want to read better so I can fill in my own forms',
    why: ["I've hidden it all my life and I'm fed up of pretending.", 'I hate asking people to read my letters.'],
    domains: ['improved-skills', 'improved-confidence'], theme: 'skills', maxAge: 75,
    agency: { 'social-prescribing': 'Find an adult literacy class nearby' },
  },
  // Mobility
  {
    statement: 'I want to get back to my walking. To the park and back would do',
    why: ['Walking was always my thing; it clears my head.', 'If I can walk, I can do everything else.'],
    domains: ['improved-mobility', 'staying-well'], theme: 'mobility',
    gas: [
      'Not leaving the house',
      'Walks to the end of the road with help',
      'Walks to the shop and back twice a week',
      'Goes to the walking group most weeks',
      'Leads part of the walk',
    ],
    own: ['Walk to the postbox and back every day'],
    agency: {
      'social-prescribing': 'Link {name} with the health walks leader',
      frailty: 'Strength and balance exercises: six weeks of home visits',
    },
  },
  {
    statement: 'I want to be able to get upstairs to my own bed again',
    why: ["I've been sleeping in the front room since the hospital and I hate it.", "It's my bed and I want to be in it."],
    domains: ['improved-mobility', 'living-as-you-want'], theme: 'mobility', minAge: 50,
    gas: [
      'Sleeping on the settee downstairs',
      'Bed downstairs; practising the stairs with the physio',
      'Manages the stairs with a rail and someone watching',
      'Sleeps upstairs most nights',
      'Uses the stairs freely day and night',
    ],
    agency: { frailty: 'Stair practice with the physio', 'independent-living': 'Fit a second stair rail' },
  },
  {
    statement: 'I want to be able to get in and out of the car so my {kin} can take me out',
    vars: { kin: ['son', 'daughter', 'husband', 'wife', 'friend'] },
    why: ['We used to go to the coast every Sunday.', "I'm stuck in unless I can get into the car."],
    domains: ['improved-mobility', 'seeing-people'], theme: 'mobility', minAge: 50,
    gas: [
      'Cannot get into a car',
      'Gets into the car with two people helping',
      'Gets into the car with one person and the swivel cushion',
      'Gets in and out with the swivel cushion and a little help',
      'Gets in and out of the car alone',
    ],
    agency: {
      reablement: 'Practise getting in and out of the car with the OT',
      frailty: 'Supply a swivel cushion and practise transfers',
    },
  },
  {
    statement: 'I want to be able to walk {grandchild} to school again',
    vars: { grandchild: ['my granddaughter', 'my grandson', 'the little ones'] },
    why: ["It's our special time together.", 'It helps my daughter out, with her working.'],
    domains: ['improved-mobility', 'seeing-people'], theme: 'mobility', minAge: 50, maxAge: 80,
    gas: [
      'Not able to walk to the school gate',
      'Walks part of the way with a rest',
      'Walks to school one day a week',
      'Walks to school three days a week',
      'Walks to and from school every day',
    ],
  },
  // Dealing with stigma and discrimination
  {
    statement: "I want to be able to go into town in my wheelchair without feeling everyone's staring",
    why: ['People talk to whoever is pushing me, not to me.', 'I feel like a spectacle.'],
    domains: ['dealing-with-stigma', 'improved-confidence'], theme: 'stigma',
    gas: [
      'Not going into town at all',
      'Goes into town only with family, and hates it',
      'Goes to one shop in town with a support worker',
      'Goes into town with a friend and enjoys it',
      'Goes into town alone using accessible transport',
    ],
  },
  {
    statement: "I want people to stop treating me like I'm stupid because of my memory",
    why: ["I forget things. I'm not daft.", 'People finish my sentences for me and it makes me feel small.'],
    domains: ['dealing-with-stigma', 'treated-with-respect'], theme: 'stigma', minAge: 55,
  },
  {
    statement: "I want to tell my family about my mental health without them thinking I'm weak",
    why: ['In my family you just get on with it.', "I'm tired of pretending everything's fine."],
    domains: ['dealing-with-stigma', 'seeing-people'], theme: 'stigma', maxAge: 75,
    gas: [
      'Has told no one',
      'Has told one person outside the family',
      'Has talked to one family member',
      'Family know and some are supportive',
      'Talks openly with family and feels understood',
    ],
  },
  {
    statement: "I don't want my past to be the first thing people see",
    why: ["I've done my time and I'm trying to do right.", 'Every form asks about it and every door closes on me.'],
    domains: ['dealing-with-stigma', 'improved-confidence'], theme: 'stigma', maxAge: 60,
  },
  {
    statement: 'I want to feel I belong round here and stop getting comments in the street',
    why: ["I've lived here twenty years and some people still shout at me.", "My family shouldn't have to hear that."],
    domains: ['dealing-with-stigma', 'feeling-safe'], theme: 'stigma',
  },
  {
    statement: 'I want to be able to say I hear voices without people backing away',
    why: ['The voices are part of my life and I manage them.', 'As soon as I mention it people look at me differently.'],
    domains: ['dealing-with-stigma', 'listened-to'], theme: 'stigma', maxAge: 65,
  },
  // How people are treated: listened to, having a say, respect
  {
    statement: "I want people to actually listen to what I'm saying",
    why: ['I know my own body and nobody seems to hear me.', 'I say it and then they do what they were going to do anyway.'],
    domains: ['listened-to', 'treated-with-respect'], theme: 'voice',
    gas: [
      'Feels ignored at every meeting',
      'Feels listened to by one worker',
      'Own words written into the plan and read back',
      'Says most of the care team listen',
      'Leads own review meeting',
    ],
  },
  {
    statement: 'I want the doctors to take my pain seriously',
    why: ["I've been told it's my age so many times.", "I'm not making it up."],
    domains: ['listened-to', 'reduced-symptoms'], theme: 'voice',
  },
  {
    statement: "I don't want to have to tell my story over and over to every new person",
    why: ['Every new face wants the whole history and it wears me out.', 'It brings it all back for me every time.'],
    domains: ['listened-to', 'reliability'], theme: 'voice',
  },
  {
    statement: 'I want people to talk to me about my care, not to my {kin}',
    vars: { kin: ['daughter', 'son', 'husband', 'wife'] },
    why: ["I'm sat right there.", "I may be old but I've still got my marbles."],
    domains: ['listened-to', 'treated-with-respect'], theme: 'voice', minAge: 60,
  },
  {
    statement: 'I want a say in who comes into my home to help me',
    why: ["They send whoever's free and I've had twelve different faces this month.", "I'm letting strangers see me at my worst."],
    domains: ['having-a-say', 'feeling-safe'], theme: 'voice',
    gas: [
      'Agency sends whoever is free; no say at all',
      'Has raised it with the agency',
      'Has a core team of three regular carers',
      'Mostly the same two carers, and meets any new ones first',
      'Chooses own personal assistants through a direct payment',
    ],
  },
  {
    statement: 'I want to decide for myself what my support money is spent on',
    why: ["The day centre isn't for me. I'd rather go swimming.", 'I know better than anyone what would help.'],
    domains: ['having-a-say', 'living-as-you-want'], theme: 'voice',
    gas: [
      'Support arranged without asking',
      'Has asked about a direct payment',
      'Direct payment agreed and support planned around own choices',
      'Using the direct payment for chosen support',
      'Manages the direct payment and changes the support as needed',
    ],
  },
  {
    statement: "I want to be part of the decisions about my care, not just told what's happening",
    why: ["Last time they'd decided before I even got there.", "It's my life they're talking about."],
    domains: ['having-a-say', 'listened-to'], theme: 'voice',
  },
  {
    statement: 'I want to choose what time I go to bed',
    why: ['Being put to bed at seven like a child makes me feel humiliated.', "I've always been a night owl."],
    domains: ['having-a-say', 'living-as-you-want'], theme: 'voice',
    gas: [
      "Put to bed at the agency's time, around 7pm",
      'Has asked for a later call',
      'Bedtime call moved to 9pm most nights',
      'Bedtime call at the chosen time most nights',
      'Goes to bed when chosen, with equipment and an on-call service',
    ],
  },
  {
    statement: "I want to be called by my name, not 'love' or 'sweetheart'",
    why: ["It's a small thing but it makes me feel like a person.", "I'm not a child."],
    domains: ['treated-with-respect'], theme: 'voice',
  },
  {
    statement: "I'd like my personal care done by someone of the same sex as me",
    why: ["It's about my dignity, and for me it's about my faith too.", "I'm a private person and I can't relax otherwise."],
    domains: ['treated-with-respect', 'having-a-say'], theme: 'voice',
  },
  {
    statement: 'I want people to respect my faith and my food',
    why: ["The carers brought me food I can't eat and didn't ask.", 'Prayer times matter to me and the visits keep clashing.'],
    domains: ['treated-with-respect', 'living-as-you-want'], theme: 'voice',
  },
  {
    statement: 'I want to be treated like an adult, not a problem to be managed',
    why: ["Everyone talks about my 'behaviours' instead of asking me what's wrong.", "I've got my own ideas about my life."],
    domains: ['treated-with-respect', 'improved-confidence'], theme: 'voice', maxAge: 45,
  },
  // Being responded to, reliability
  {
    statement: 'When I ring for help I want someone to ring me back the same day',
    why: ['I left three messages and nobody called back.', "When I'm bad I can't wait a week."],
    domains: ['responded-to', 'feeling-safe'], theme: 'voice',
  },
  {
    statement: 'I need the adaptations done so I can get in and out of the shower',
    why: ["I've been washing at the sink for six months.", "The OT came in the spring and I'm still waiting."],
    domains: ['responded-to', 'living-as-you-want'], theme: 'home',
    gas: [
      'Waiting, with no date for the adaptation',
      'Assessment done; waiting for approval',
      'Approved, with a date for fitting',
      'Level-access shower fitted',
      'Showers alone, when wanted, in the new shower',
    ],
    agency: {
      'independent-living': 'Arrange the level-access shower',
      reablement: 'OT assessment for the shower',
      'social-work': 'Chase the adaptation approval',
    },
  },
  {
    statement: "I want to know who to call when things get bad, and that they'll answer",
    why: ['Last time I rang round everyone and ended up at A&E.', "Just knowing there's a number makes me calmer."],
    domains: ['responded-to', 'feeling-safe'], theme: 'mind',
  },
  {
    statement: 'I want my hearing aids sorted without waiting months',
    why: ["I can't follow what people say, so I've stopped going out.", 'I nod along and miss half of it.'],
    domains: ['responded-to', 'seeing-people'], theme: 'social', minAge: 60,
  },
  {
    statement: 'I want my carers to turn up when they say they will',
    why: ['Some days my lunch call comes at half past three.', 'I sit by the window waiting and it makes me anxious.'],
    domains: ['reliability', 'feeling-safe'], theme: 'voice',
    gas: [
      'Visits late or missed most weeks, with no call to say',
      'Visits late several times a week',
      'Most visits within half an hour of the agreed time',
      'Nearly all visits on time, with a call if running late',
      'All visits on time for a month',
    ],
  },
  {
    statement: "I'd like to see the same faces, not someone new every time",
    why: ['I have to explain everything again to each new one.', "I can't build up trust with a different person every day."],
    domains: ['reliability', 'seeing-people'], theme: 'voice',
  },
  {
    statement: "I want my prescriptions to arrive on time so I don't run out",
    why: ['I ran out of my heart tablets twice last month.', 'Chasing the chemist wears me out.'],
    domains: ['reliability', 'staying-well'], theme: 'health',
    own: ['Order repeats a week before I run out'],
    agency: { gp: 'Set up repeat dispensing with the chemist' },
  },
  {
    statement: 'I want the transport to the day centre to actually come',
    why: ['I get dressed and ready and then sit there waiting.', "It's the only time I see anyone all week."],
    domains: ['reliability', 'having-things-to-do'], theme: 'activity', minAge: 50,
  },
  {
    statement: 'I want my pain to be low enough that I can {painActivity}',
    vars: {
      painActivity: [
        'sit through a whole film',
        'get round the supermarket',
        'play with the grandchildren',
        'do a bit of gardening',
        "get a full night's sleep",
      ],
    },
    why: ['The pain has taken over my whole life.', "I don't expect to be pain-free, just to do the things I like."],
    domains: ['reduced-symptoms', 'having-things-to-do'], theme: 'health', minAge: 45,
    gas: [
      'Pain stops almost everything',
      'Pain allows short spells of activity with long rests',
      'Manages to {painActivity} with pacing and regular pain relief',
      'Manages to {painActivity} most days',
      'Able to {painActivity} whenever wanted',
    ],
    own: ['Take pain relief regularly, not just when it is bad', 'Pace myself: rest before I need to'],
    agency: {
      gp: 'Pain medication review',
      frailty: 'Physio for pacing and gentle exercise',
      'health-coaching': 'Coaching on managing pain day to day',
    },
  },
  {
    statement: 'I want to get through the day without being so exhausted',
    why: ["By lunchtime I'm done in.", 'I used to be on the go from dawn till dusk.'],
    domains: ['reduced-symptoms', 'staying-well'], theme: 'health',
    own: ['Plan one thing in the morning and rest after lunch'],
    agency: { gp: 'Blood tests to check for anaemia and thyroid problems', 'health-coaching': 'Coaching on pacing and energy' },
  },
];

/** Everyday ways of saying "I want to …", so the same wish does not always read the same. */
export const WANT_OPENERS: Weighted<string> = [
  ['I want to ', 6],
  ["I'd like to ", 3],
  ['I really want to ', 1],
  ['What I want most is to ', 1],
];
