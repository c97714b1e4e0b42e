/**
 * Demo text: the kinds of need people come with, the services and themes that go with each, and
 * how people describe them in conversations and contingency plans. Fictional; read by demo-care.ts.
 */

import type { Weighted } from '../random.js';
import type { ServiceKey, Theme } from './services.js';

export type ProfileKey =
  | 'frailty'
  | 'long-term-condition'
  | 'mental-health'
  | 'isolation'
  | 'housing'
  | 'memory'
  | 'disability'
  | 'after-hospital';

export interface Profile {
  minAge: number;
  maxAge: number;
  weight: (age: number) => number;
  services: Weighted<ServiceKey>;
  /** Services that usually hold the key worker, in order of preference. */
  lead: readonly ServiceKey[];
  themes: Weighted<Theme>;
  carerChance: number;
  openers: readonly string[];
  triggers: readonly string[];
  whatShouldHappen: readonly string[];
}

export const PROFILES: Readonly<Record<ProfileKey, Profile>> = {
  frailty: {
    minAge: 65,
    maxAge: 120,
    weight: () => 5,
    services: [
      ['frailty', 5],
      ['gp', 3],
      ['district-nursing', 2],
      ['reablement', 2],
      ['befriending', 2],
      ['independent-living', 2],
      ['social-prescribing', 1],
    ],
    lead: ['frailty', 'reablement'],
    themes: [
      ['mobility', 5],
      ['safety', 4],
      ['social', 3],
      ['home', 3],
      ['health', 2],
      ['activity', 2],
      ['voice', 2],
      ['mind', 1],
    ],
    carerChance: 0.5,
    openers: [
      '{name} has had two falls since the summer and has lost confidence going out.',
      'Getting about less since the hip operation; uses a frame indoors and rarely goes out.',
      '{name} is finding the stairs and the bath harder, and is worried about managing at home.',
    ],
    triggers: [
      'If I have another fall, or stop getting up and dressed.',
      'If I feel dizzy or unsteady on my feet.',
    ],
    whatShouldHappen: [
      'Press my pendant. {contactFirst}, then the GP surgery or 111.',
      '{contactFirst}. If I am on the floor and hurt, ring 999.',
    ],
  },
  'long-term-condition': {
    minAge: 40,
    maxAge: 120,
    weight: () => 4,
    services: [
      ['gp', 5],
      ['district-nursing', 4],
      ['health-coaching', 4],
      ['peer-support', 2],
      ['social-prescribing', 2],
    ],
    lead: ['district-nursing', 'gp', 'health-coaching'],
    themes: [
      ['health', 6],
      ['mobility', 3],
      ['activity', 2],
      ['skills', 2],
      ['mind', 2],
      ['voice', 2],
      ['social', 1],
    ],
    carerChance: 0.3,
    openers: [
      '{name} lives with COPD and gets breathless on the stairs, especially in the cold.',
      'Type 2 diabetes, and finding it hard to keep on top of it since living alone.',
      'Heart failure: ankles swelling and tired by lunchtime. Several admissions this year.',
    ],
    triggers: [
      'If I get more breathless than usual, or my phlegm changes colour.',
      'If my sugars are high for more than two days or I feel very unwell.',
      'If my ankles swell more or I put on weight quickly.',
    ],
    whatShouldHappen: [
      'Start my rescue pack as the nurse showed me, and ring the practice.',
      '{contactFirst}, then the practice. Out of hours, 111.',
    ],
  },
  'mental-health': {
    minAge: 16,
    maxAge: 120,
    weight: (age) => (age < 60 ? 6 : 2),
    services: [
      ['older-adults-mh', 4],
      ['gp', 4],
      ['peer-support', 4],
      ['social-prescribing', 3],
      ['health-coaching', 1],
      ['tenancy', 1],
    ],
    lead: ['older-adults-mh', 'peer-support', 'gp'],
    themes: [
      ['mind', 6],
      ['social', 3],
      ['activity', 3],
      ['stigma', 3],
      ['voice', 2],
      ['health', 2],
      ['skills', 1],
      ['money', 1],
    ],
    carerChance: 0.25,
    openers: [
      'Low mood for most of the year; not going out much and sleeping badly.',
      'Anxiety has got much worse since losing the job. The GP has started medication.',
      '{name} has a long history with mental health services and wants to do things differently this time.',
    ],
    triggers: [
      'If I stop eating, stop answering the phone or stay in bed all day.',
      'If I start having thoughts of harming myself.',
    ],
    whatShouldHappen: [
      'Ring the crisis line on the card by my phone. If I stop answering, please visit rather than keep phoning.',
      '{contactFirst}. Please do not send the police unless there is no other way.',
    ],
  },
  isolation: {
    minAge: 50,
    maxAge: 120,
    weight: () => 3,
    services: [
      ['social-prescribing', 5],
      ['befriending', 5],
      ['gp', 2],
      ['independent-living', 1],
    ],
    lead: ['social-prescribing', 'befriending'],
    themes: [
      ['social', 6],
      ['activity', 4],
      ['mind', 3],
      ['skills', 2],
      ['safety', 1],
      ['mobility', 1],
    ],
    carerChance: 0.1,
    openers: [
      'Bereaved last year, and says the days are very long.',
      '{name} lives alone with no family nearby and sometimes goes days without speaking to anyone.',
      'Moved to the area two years ago and has not got to know anyone yet.',
    ],
    triggers: [
      'If I stop answering the phone or miss the group two weeks running.',
      'If I feel low for more than a week.',
    ],
    whatShouldHappen: [
      '{contactFirst}, and ask the befriender to call round.',
      '{contactFirst}. My neighbour has a key.',
    ],
  },
  housing: {
    minAge: 16,
    maxAge: 85,
    weight: (age) => (age < 65 ? 3 : 1),
    services: [
      ['tenancy', 6],
      ['social-prescribing', 3],
      ['gp', 2],
      ['peer-support', 1],
    ],
    lead: ['tenancy', 'social-prescribing'],
    themes: [
      ['home', 5],
      ['money', 5],
      ['safety', 3],
      ['mind', 2],
      ['skills', 2],
      ['voice', 1],
      ['stigma', 1],
    ],
    carerChance: 0.1,
    openers: [
      'Rent arrears building up; a letter about the tenancy has caused a lot of worry.',
      'The flat is damp and cold, and trouble with the neighbours is getting {name} down.',
      '{name} has moved three times in two years and wants somewhere settled.',
    ],
    triggers: [
      'If I get a court letter or an eviction notice.',
      'If the trouble with the neighbours gets worse.',
    ],
    whatShouldHappen: [
      'Ring the housing officer straight away; do not wait for the next visit.',
      '{contactFirst}, and bring the letter to Citizens Advice.',
    ],
  },
  memory: {
    minAge: 60,
    maxAge: 120,
    weight: (age) => (age >= 75 ? 4 : 2),
    services: [
      ['older-adults-mh', 6],
      ['gp', 3],
      ['befriending', 2],
      ['independent-living', 1],
      ['reablement', 1],
    ],
    lead: ['older-adults-mh'],
    themes: [
      ['safety', 4],
      ['voice', 4],
      ['social', 3],
      ['stigma', 3],
      ['home', 3],
      ['activity', 2],
      ['skills', 1],
    ],
    carerChance: 0.8,
    openers: [
      "Recently diagnosed with Alzheimer's at the memory clinic; {name} wants to keep doing as much as possible.",
      'Memory getting worse over the last year: missed meals and tablets, and a pan left on the hob.',
      'Vascular dementia diagnosed last year. Family doing a lot and starting to feel the strain.',
    ],
    triggers: [
      'If I get more muddled than usual, or go out at night and get lost.',
      'If I stop eating or forget my tablets for more than a day.',
    ],
    whatShouldHappen: [
      '{contactFirst}. Keep things calm and familiar, and please do not move me unless it is needed.',
      '{contactFirst}, then the memory team. A sudden change can be an infection, so check that first.',
    ],
  },
  disability: {
    minAge: 16,
    maxAge: 70,
    weight: (age) => (age < 40 ? 5 : 2),
    services: [
      ['independent-living', 3],
      ['gp', 3],
      ['peer-support', 3],
      ['social-prescribing', 2],
      ['reablement', 1],
      ['tenancy', 1],
    ],
    lead: ['independent-living', 'peer-support', 'gp'],
    themes: [
      ['voice', 5],
      ['skills', 4],
      ['stigma', 3],
      ['home', 3],
      ['activity', 3],
      ['mobility', 2],
      ['social', 2],
    ],
    carerChance: 0.5,
    openers: [
      '{name} has a learning disability and lives with family; wants more independence.',
      'Uses a wheelchair since the stroke and wants more say in the support.',
      "{name} has cerebral palsy and strong views on the support that works and the support that doesn't.",
    ],
    triggers: ['If my support does not turn up.', 'If my equipment breaks or my wheelchair needs repair.'],
    whatShouldHappen: [
      '{contactFirst}. Ring the agency manager if a call is missed, not the office line.',
      '{contactFirst}, and ring the wheelchair service for an urgent repair.',
    ],
  },
  'after-hospital': {
    minAge: 55,
    maxAge: 120,
    weight: () => 3,
    services: [
      ['reablement', 5],
      ['district-nursing', 4],
      ['gp', 3],
      ['frailty', 2],
      ['befriending', 1],
    ],
    lead: ['reablement', 'district-nursing'],
    themes: [
      ['mobility', 5],
      ['home', 4],
      ['health', 3],
      ['safety', 3],
      ['voice', 2],
      ['social', 1],
    ],
    carerChance: 0.45,
    openers: [
      'Home from hospital after a chest infection, and weaker than before.',
      'Discharged after a broken wrist; managing one-handed with reablement calls.',
      'Back home after three weeks in hospital with pneumonia, and keen to get back to normal.',
    ],
    triggers: [
      'If my breathing gets worse, or I get a temperature.',
      "If I can't manage getting in and out of bed.",
    ],
    whatShouldHappen: [
      '{contactFirst}, then the GP surgery or 111.',
      'Ring the reablement team first; they can come out the same day.',
    ],
  },
};
