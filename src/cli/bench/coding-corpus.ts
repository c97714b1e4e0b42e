/**
 * A labelled set of care-experience comments for `whatmatters bench coding`, written by the
 * WhatMatters team (nothing copied): comments generated from our own phrase templates, seeded, with
 * known themes and sentiment, plus a few written by hand. Phrases are deliberately not the lexicon's
 * words alone (most use other words), and some mention a theme in passing without being about it.
 */
import { seededRandom } from '../../domain/coding/linear-svm.js';

export interface LabelledComment {
  id: string;
  text: string;
  codes: string[];
  sentiment: number;
}

type Phrases = { good: string[]; bad: string[] };

const ROLE = [
  'nurse',
  'doctor',
  'receptionist',
  'healthcare assistant',
  'physio',
  'consultant',
  'midwife',
  'carer',
];
const PLACE = ['the ward', 'A&E', 'the clinic', 'the surgery', 'outpatients', 'the day unit', 'the home'];
const TIME = ['two hours', 'three weeks', 'forty minutes', 'six months', 'most of the day', 'over an hour'];

const THEMES: Record<string, Phrases> = {
  'staff-manner': {
    good: [
      'The {role} was so gentle and treated my mum with real dignity.',
      'Everyone on {place} had time for a chat and a smile.',
      'The {role} made me feel like a person, not a number.',
      'Staff were warm and considerate from start to finish.',
    ],
    bad: [
      'The {role} was short with me and made me feel like a nuisance.',
      'One {role} spoke to my dad as if he was a child.',
      'I was spoken to rudely at the desk on {place}.',
      'The attitude of some staff was cold and uncaring.',
    ],
  },
  'staffing-levels': {
    good: [
      'There seemed to be plenty of nurses on every shift.',
      'Even at night there were enough people around on {place}.',
    ],
    bad: [
      'The ward was clearly short of nurses, one {role} for twelve beds.',
      'Staff were run ragged because there were not enough of them.',
      'They rely on agency workers who do not know the patients.',
      'The night shift was so thinly staffed that nobody could stop.',
    ],
  },
  responsiveness: {
    good: [
      'When I pressed the buzzer someone was there within a minute.',
      'Any question I had was answered the same day.',
      'They rang me back within the hour as promised.',
    ],
    bad: [
      'I pressed the call bell and waited {time} for anyone to come.',
      'I left three messages and never got a call back.',
      'Requests for help were ignored for ages.',
    ],
  },
  continuity: {
    good: [
      'I saw the same {role} at every visit, which made such a difference.',
      'It helped that the same team looked after me throughout.',
    ],
    bad: [
      'Every visit it was a different {role} and I had to tell my history again.',
      'Nobody seemed to have read the notes from the last shift.',
      'I never saw the same person twice, so nobody knew me.',
    ],
  },
  competence: {
    good: [
      'The {role} clearly knew exactly what they were doing.',
      'They were thorough and picked up something my GP had missed.',
      'Very skilled team, the procedure went perfectly.',
    ],
    bad: [
      'They got my diagnosis wrong twice before anyone listened.',
      'The {role} could not find a vein after five attempts.',
      'A basic error in my notes led to the wrong test being done.',
    ],
  },
  'communication-information': {
    good: [
      'The {role} explained every step in plain English.',
      'I was given a clear leaflet about what to expect afterwards.',
      'They kept my family updated every day.',
    ],
    bad: [
      'Nobody told us what was happening or why.',
      'The letter was full of jargon and I could not understand it.',
      'I had to chase my results myself because nobody passed them on.',
    ],
  },
  'listening-involvement': {
    good: [
      'They really listened to what mattered to me.',
      'I was included in every decision about my care.',
      'They asked my wife what she thought, which meant a lot.',
    ],
    bad: [
      'I tried to tell them about my allergy but nobody listened.',
      'Decisions were made about me without asking me.',
      'My concerns as his carer were brushed aside.',
    ],
  },
  'access-waiting': {
    good: [
      'I was seen within ten minutes of arriving at {place}.',
      'The referral came through much faster than I expected.',
    ],
    bad: [
      'We sat in {place} for {time} before being seen.',
      'I have been on the list for {time} and heard nothing.',
      'It is impossible to get through on the phone at eight in the morning.',
      'The wait for a referral was {time}, far too long.',
    ],
  },
  appointments: {
    good: [
      'Booking online was easy and I got a slot the same week.',
      'My appointment started on time and the text reminder was helpful.',
    ],
    bad: [
      'My appointment was cancelled twice at short notice.',
      'The clinic was running {time} behind with no explanation.',
      'They moved my appointment without telling me.',
    ],
  },
  'environment-facilities': {
    good: [
      '{place} was spotless and quiet.',
      'The room was bright and comfortable with a lovely view.',
      'The bathrooms were cleaned several times a day.',
    ],
    bad: [
      'The toilets on {place} were filthy.',
      'It was so noisy at night that I could not sleep.',
      'There was no privacy, everyone could hear my consultation.',
      'The heating was broken and we were freezing.',
    ],
  },
  food: {
    good: [
      'The meals were tasty and there was a good choice.',
      'Someone always made sure I had a hot cup of tea.',
    ],
    bad: [
      'The meals arrived cold and nobody helped my dad to eat.',
      'There was nothing on the menu for my diet.',
      'My jug of water was left empty all afternoon.',
    ],
  },
  medication: {
    good: [
      'The pharmacist went through all my tablets with me.',
      'My new prescription was sorted the same day.',
    ],
    bad: [
      'My tablets were given hours late on {place}.',
      'Nobody explained the side effects of the new medicine.',
      'My repeat prescription went missing again.',
    ],
  },
  pain: {
    good: [
      'My pain was well controlled after the operation.',
      'They checked on my pain regularly and acted quickly.',
    ],
    bad: ['I was in agony for {time} before anyone gave me pain relief.', 'My pain was not taken seriously.'],
  },
  'coordination-discharge': {
    good: [
      'The discharge was well planned and the care package was ready.',
      'The hospital and the community team worked together well.',
    ],
    bad: [
      'I was discharged late at night with no care in place.',
      'The hospital and my GP did not talk to each other.',
      'We waited all day on the discharge lounge for paperwork.',
    ],
  },
  'travel-transport-parking': {
    good: [
      'Parking was easy and free for blue badge holders.',
      'The hospital transport picked me up right on time.',
    ],
    bad: [
      'The car park was full and I missed my slot looking for a space.',
      'Patient transport never turned up.',
      'The parking charges are a disgrace for people visiting every day.',
    ],
  },
  'feeling-safe': {
    good: [
      'I felt safe and well looked after the whole time.',
      'They made sure mum could not fall when getting out of bed.',
    ],
    bad: [
      'My father had a fall on {place} and nobody noticed for an hour.',
      'I did not feel safe with another patient shouting all night.',
      'The door to the unit was left open and a patient wandered out.',
    ],
  },
};

const OVERALL_GOOD = [
  'Thank you all so much.',
  'Could not have asked for better care.',
  'Excellent service overall.',
  'I would recommend them to anyone.',
  'A big thank you to the whole team.',
];
const OVERALL_BAD = [
  'Overall a very poor experience.',
  'I will be making a formal complaint.',
  'The worst care I have ever received.',
  'Really disappointing from start to finish.',
  'I hope nobody else has to go through this.',
];
const FILLER = [
  'I was there for my knee.',
  'My mother was admitted last month.',
  'We came in after a fall at home.',
  'This was my third visit this year.',
  'I am writing on behalf of my husband.',
  '',
  '',
];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function fill(random: () => number, phrase: string): string {
  return phrase
    .replace('{role}', pick(random, ROLE))
    .replace('{place}', pick(random, PLACE))
    .replace('{time}', pick(random, TIME));
}

/** Sentences that mention a theme's words in passing without being about it (not coded). */
const IN_PASSING = [
  'The {role} brought the forms round after lunch.',
  'We parked near the entrance and walked over to {place}.',
  'I had my tablets in my bag just in case.',
  'My daughter came with me for the appointment.',
  'It was a cold morning and the bus was busy.',
  'I had been in pain with my back for a while before this.',
  'The {role} said the results would go to my GP.',
];

/** How often each theme comes up: some themes are common, some rare, as in real feedback. */
const FREQUENCY: Record<string, number> = {
  'staff-manner': 10,
  'access-waiting': 8,
  'communication-information': 7,
  appointments: 6,
  competence: 5,
  'listening-involvement': 4,
  'environment-facilities': 4,
  responsiveness: 3,
  'staffing-levels': 3,
  continuity: 2,
  food: 2,
  medication: 2,
  'coordination-discharge': 2,
  'travel-transport-parking': 1.5,
  'feeling-safe': 1,
  pain: 1,
};

/** Everyday slips: a dropped word, a swapped pair of letters, no capitals. */
function roughen(random: () => number, sentence: string): string {
  const words = sentence.split(' ').filter((_word, i) => i === 0 || random() > 0.06);
  const slipped = words.map((w) => {
    if (w.length < 5 || random() > 0.04) return w;
    const at = 1 + Math.floor(random() * (w.length - 3));
    return `${w.slice(0, at)}${w[at + 1]}${w[at]}${w.slice(at + 2)}`;
  });
  const text = slipped.join(' ');
  return random() < 0.15 ? text.toLowerCase() : text;
}

export interface CorpusOptions {
  /**
   * Leave out the last phrase of each list ("train"), or use them all ("test"): a test set then holds
   * ways of saying things that training never saw, as a new organisation's stories would.
   */
  part: 'train' | 'test';
  /** Share of true codes a human coder left off (default 0.06), and of codes added wrongly (0.02). */
  missedCode?: number;
  wrongCode?: number;
}

/**
 * `count` generated comments: one to three themes each, each told well or badly; sentiment from the
 * balance of good and bad (a coder's judgement, so ±1 now and then), an overall statement on some
 * strongly felt ones, mentions of other themes in passing, everyday slips, and coders' mistakes.
 */
export function generateCodingCorpus(count: number, seed: number, options: CorpusOptions): LabelledComment[] {
  const random = seededRandom(seed);
  const missed = options.missedCode ?? 0.06;
  const wrong = options.wrongCode ?? 0.02;
  const pool = (phrases: readonly string[]) =>
    options.part === 'train' && phrases.length > 1 ? phrases.slice(0, -1) : phrases;
  const themeIds = Object.keys(THEMES);
  const totalWeight = themeIds.reduce((sum, id) => sum + (FREQUENCY[id] ?? 1), 0);
  const drawTheme = () => {
    let r = random() * totalWeight;
    for (const id of themeIds) {
      r -= FREQUENCY[id] ?? 1;
      if (r < 0) return id;
    }
    return themeIds[themeIds.length - 1] as string;
  };
  const allCodes = [...themeIds, 'overall-positive', 'overall-negative'];
  const comments: LabelledComment[] = [];
  for (let i = 0; i < count; i++) {
    const wanted = random() < 0.5 ? 1 : random() < 0.7 ? 2 : 3;
    const chosen: string[] = [];
    while (chosen.length < wanted) {
      const id = drawTheme();
      if (!chosen.includes(id)) chosen.push(id);
    }
    const mood = random(); // the writer's leaning
    let balance = 0;
    const sentences: string[] = [];
    const filler = pick(random, FILLER);
    if (filler) sentences.push(filler);
    if (random() < 0.25) sentences.push(fill(random, pick(random, IN_PASSING)));
    for (const id of chosen) {
      const good = random() < mood;
      balance += good ? 1 : -1;
      const phrases = THEMES[id] as Phrases;
      sentences.push(fill(random, pick(random, pool(good ? phrases.good : phrases.bad))));
    }
    let codes = [...chosen];
    const strong = random() < 0.45;
    if (strong && balance > 0) {
      sentences.push(pick(random, pool(OVERALL_GOOD)));
      codes.push('overall-positive');
    } else if (strong && balance < 0) {
      sentences.push(pick(random, pool(OVERALL_BAD)));
      codes.push('overall-negative');
    }
    codes = codes.filter(() => random() >= missed);
    if (random() < wrong) codes.push(pick(random, allCodes));
    const share = balance / chosen.length;
    let sentiment =
      share === 1 && strong ? 5 : share > 0 ? 4 : share === 0 ? 3 : share === -1 && strong ? 1 : 2;
    if (random() < 0.1) sentiment = Math.min(5, Math.max(1, sentiment + (random() < 0.5 ? -1 : 1)));
    const text = sentences.map((s) => roughen(random, s)).join(' ');
    comments.push({ id: `${options.part}-${i + 1}`, text, codes: [...new Set(codes)].sort(), sentiment });
  }
  return comments;
}

/** Comments written by hand, in people's own ways of saying things, coded by us. */
export const HAND_WRITTEN: readonly LabelledComment[] = [
  {
    id: 'h1',
    text: "Nurses were lovely but you could see they were run off their feet, there just weren't enough of them.",
    codes: ['staff-manner', 'staffing-levels'],
    sentiment: 3,
  },
  {
    id: 'h2',
    text: 'waited 5 hrs in a&e with my little boy, no one told us anything. not good enough',
    codes: ['access-waiting', 'communication-information'],
    sentiment: 1,
  },
  {
    id: 'h3',
    text: 'Dr Patel took the time to listen and explain my options. Felt in control for the first time.',
    codes: ['listening-involvement', 'communication-information'],
    sentiment: 5,
  },
  {
    id: 'h4',
    text: 'Parking is a nightmare, went round three times. Staff fine once I got in.',
    codes: ['travel-transport-parking'],
    sentiment: 2,
  },
  {
    id: 'h5',
    text: 'The food was inedible and dad lost weight while he was in.',
    codes: ['food'],
    sentiment: 1,
  },
  {
    id: 'h6',
    text: 'Sent home at 11pm with no medication and no idea who to call. Had to come back the next day.',
    codes: ['coordination-discharge', 'medication'],
    sentiment: 1,
  },
  {
    id: 'h7',
    text: 'Quick, efficient, friendly. In and out in 20 minutes. Thank you!',
    codes: ['access-waiting', 'staff-manner', 'overall-positive'],
    sentiment: 5,
  },
  {
    id: 'h8',
    text: 'My appointment got moved 3 times, each time by letter that arrived after the date.',
    codes: ['appointments', 'communication-information'],
    sentiment: 1,
  },
  {
    id: 'h9',
    text: 'Pain relief took forever, I was crying and the nurse said she would be back and never was.',
    codes: ['pain', 'responsiveness'],
    sentiment: 1,
  },
  {
    id: 'h10',
    text: 'Ward very clean and calm. Felt safe.',
    codes: ['environment-facilities', 'feeling-safe'],
    sentiment: 4,
  },
  {
    id: 'h11',
    text: 'Seen by a different GP each time so I keep repeating myself.',
    codes: ['continuity'],
    sentiment: 2,
  },
  {
    id: 'h12',
    text: 'The surgeon was brilliant, knew his stuff, and the op went without a hitch.',
    codes: ['competence', 'overall-positive'],
    sentiment: 5,
  },
  {
    id: 'h13',
    text: 'Nobody asked what mum wanted. She has dementia but she can still tell you.',
    codes: ['listening-involvement'],
    sentiment: 1,
  },
  {
    id: 'h14',
    text: 'The hospital transport driver was so patient with my wife and her wheelchair.',
    codes: ['travel-transport-parking', 'staff-manner'],
    sentiment: 5,
  },
  { id: 'h15', text: 'It was fine. Nothing special.', codes: ['overall-positive'], sentiment: 3 },
  {
    id: 'h16',
    text: "Felt rushed, the doctor barely looked up from the screen and didn't examine me.",
    codes: ['competence', 'listening-involvement'],
    sentiment: 2,
  },
  {
    id: 'h17',
    text: 'They left my nan on a trolley in the corridor overnight. Disgraceful.',
    codes: ['access-waiting', 'environment-facilities', 'overall-negative'],
    sentiment: 1,
  },
  {
    id: 'h18',
    text: 'Medicines came on time and the pharmacist checked I understood them.',
    codes: ['medication', 'communication-information'],
    sentiment: 4,
  },
  {
    id: 'h19',
    text: 'Phoned at 8 on the dot, 37th in the queue, all appointments gone by the time I got through.',
    codes: ['access-waiting', 'appointments'],
    sentiment: 1,
  },
  {
    id: 'h20',
    text: 'Buzzer answered straight away every time, even at 3am.',
    codes: ['responsiveness'],
    sentiment: 5,
  },
];
