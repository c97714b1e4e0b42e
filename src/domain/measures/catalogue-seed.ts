import type { IndicatorDefinition } from '../indicators/definition.js';
import { sourceOf } from '../indicators/sources.js';
import {
  CARERS_FRAMEWORK,
  type FrameworkDefinition,
  TALKING_POINTS_FRAMEWORK,
} from '../outcome-frameworks.js';
import {
  type CatalogueEntryDefinition,
  type CatalogueLevel,
  type DomainRef,
  isWebAddress,
  LIFE_AREAS,
  type LifeArea,
  type Respondent,
} from './catalogue.js';
import type { Instrument } from './instruments/instrument.js';
import { INSTRUMENT_KEYS, type InstrumentKey } from './types.js';

/**
 * What the catalogue of measures starts with (seeded by migration 0023; editors change it after):
 *
 * - the built-in instruments: their names, what they measure and their licences come from the
 *   instruments themselves (domain/measures/instruments), and only what the catalogue adds is
 *   written here (levels, areas of life, domains, who answers, validation evidence);
 * - the product's own personal-outcome tools: ratings from several viewpoints, and goal attainment
 *   scaling;
 * - every indicator of the aggregation engine's library, derived from its definition and source;
 * - a handful of widely used measures the product does not ship, with their owners and terms as
 *   published (checked against each owner's site; the descriptions are our own words).
 *
 * Mappings to domains are to the shipped personal outcomes frameworks (Talking Points, carers).
 * The commissioning framework's I statements are covered through them: its statements are mapped
 * to Talking Points domains and name their indicators (see catalogue-gaps.ts).
 */

const TP = `outcomes:${TALKING_POINTS_FRAMEWORK.key}`;
const CARERS = `outcomes:${CARERS_FRAMEWORK.key}`;
const tp = (...codes: string[]): DomainRef[] => codes.map((code) => ({ framework: TP, code }));
const carers = (...codes: string[]): DomainRef[] => codes.map((code) => ({ framework: CARERS, code }));

/** What the catalogue says of each built-in instrument beyond what the instrument says itself. */
interface InstrumentCatalogueFacts {
  levels: CatalogueLevel[];
  lifeAreas: LifeArea[];
  domains: DomainRef[];
  respondents: Respondent[];
  validation: string;
}

export const INSTRUMENT_CATALOGUE_FACTS: Record<InstrumentKey, InstrumentCatalogueFacts> = {
  phq9: {
    levels: ['individual', 'service', 'commissioner'],
    lifeAreas: ['mental-health'],
    domains: [...tp('staying-well', 'reduced-symptoms'), ...carers('carer-health-and-wellbeing')],
    respondents: ['person'],
    validation:
      'Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression severity measure. ' +
      'J Gen Intern Med 2001;16(9):606–613. Used with the GAD-7 for NHS Talking Therapies outcomes.',
  },
  gad7: {
    levels: ['individual', 'service', 'commissioner'],
    lifeAreas: ['mental-health'],
    domains: [...tp('staying-well', 'reduced-symptoms'), ...carers('carer-health-and-wellbeing')],
    respondents: ['person'],
    validation:
      'Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing generalized anxiety ' +
      'disorder: the GAD-7. Arch Intern Med 2006;166(10):1092–1097.',
  },
  swemwbs: {
    levels: ['individual', 'service', 'commissioner', 'wider-system'],
    lifeAreas: ['wellbeing', 'mental-health'],
    domains: [...tp('staying-well', 'improved-confidence'), ...carers('carer-health-and-wellbeing')],
    respondents: ['person'],
    validation:
      'Stewart-Brown S, Tennant A, Tennant R, et al. Internal construct validity of the Warwick-Edinburgh ' +
      'Mental Well-being Scale (WEMWBS): a Rasch analysis using data from the Scottish Health Education ' +
      'Population Survey. Health Qual Life Outcomes 2009;7:15.',
  },
  ons4: {
    levels: ['individual', 'service', 'commissioner', 'wider-system'],
    lifeAreas: ['wellbeing'],
    domains: [
      ...tp('staying-well', 'having-things-to-do'),
      ...carers('carer-health-and-wellbeing', 'a-life-of-their-own'),
    ],
    respondents: ['person', 'carer'],
    validation:
      'Office for National Statistics: the four personal well-being questions have been asked in the ' +
      'Annual Population Survey since April 2011, with national and local estimates published each year ' +
      '(ONS, Personal well-being user guidance).',
  },
  collaborate: {
    levels: ['individual', 'service'],
    lifeAreas: ['experience-of-care'],
    domains: [...tp('having-a-say', 'listened-to'), ...carers('having-a-say', 'listened-to')],
    respondents: ['person', 'carer'],
    validation:
      'Elwyn G, Barr PJ, Grande SW, et al. Developing CollaboRATE: a fast and frugal patient-reported ' +
      'measure of shared decision making in clinical encounters. Patient Educ Couns 2013;93(1):102–107; ' +
      'Barr PJ, Thompson R, Walsh T, et al. The psychometric properties of CollaboRATE. J Med Internet ' +
      'Res 2014;16(1):e2.',
  },
  fft: {
    levels: ['service', 'commissioner'],
    lifeAreas: ['experience-of-care'],
    domains: [...tp('treated-with-respect', 'responded-to'), ...carers('treated-as-expert', 'responded-to')],
    respondents: ['person', 'carer'],
    validation:
      'A single feedback question, not a validated measure: NHS England’s guidance (2019) says results ' +
      'are for local improvement, with the free-text answers, and not for comparing services.',
  },
};

const PRODUCT_LICENCE = 'Part of WhatMatters, open source: no licence needed to use it here.';

/** The product's own personal-outcome tools. */
export const PRODUCT_TOOL_ENTRIES: readonly CatalogueEntryDefinition[] = [
  {
    key: 'personal-outcome-ratings',
    name: 'Ratings of personal outcomes from several viewpoints',
    kind: 'tool',
    measures:
      'How far each outcome that matters to the person, recorded in their own words, is achieved: rated on ' +
      'the framework’s scale by the person, their practitioner and their carer, kept apart so that a ' +
      'difference of view can be talked about.',
    levels: ['individual', 'service', 'commissioner', 'wider-system'],
    // Every area of life but experience of care and caring.
    lifeAreas: LIFE_AREAS.filter((area) => area !== 'experience-of-care' && area !== 'caring'),
    domains: [],
    respondents: ['person', 'carer', 'practitioner'],
    validation:
      'The rating of personal outcomes follows the Talking Points approach (Cook A, Miller E. Talking ' +
      'Points personal outcomes approach: practical guide. Joint Improvement Team, 2012). It is a ' +
      'conversation aid rather than a psychometric scale: no study has validated it as a measure.',
    licence: PRODUCT_LICENCE,
    sourceUrl: 'http://personaloutcomescollaboration.org/',
    link: { kind: 'ratings', key: null },
  },
  {
    key: 'goal-attainment-scaling',
    name: 'Goal attainment scaling (GAS)',
    kind: 'tool',
    measures:
      'How far a person’s own goals are attained against five levels set with them in advance (−2 to +2), ' +
      'weighted by importance and difficulty and summarised as a Kiresuk–Sherman T-score (50 is as expected).',
    levels: ['individual', 'service', 'commissioner'],
    lifeAreas: [
      'health',
      'mental-health',
      'wellbeing',
      'independence',
      'relationships',
      'employment',
      'education',
    ],
    domains: [],
    respondents: ['person', 'practitioner'],
    validation:
      'Kiresuk TJ, Sherman RE. Goal attainment scaling: a general method for evaluating comprehensive ' +
      'community mental health programs. Community Ment Health J 1968;4(6):443–453; Turner-Stokes L. Goal ' +
      'attainment scaling (GAS) in rehabilitation: a practical guide. Clin Rehabil 2009;23(4):362–370.',
    licence: `${PRODUCT_LICENCE} The method itself is published and free to use.`,
    sourceUrl: 'https://doi.org/10.1007/BF01530764',
    link: { kind: 'gas', key: null },
  },
];

/** Widely used measures the product does not ship: their owners and terms as each publishes them. */
export const EXTERNAL_ENTRIES: readonly CatalogueEntryDefinition[] = [
  {
    key: 'ascot',
    name: 'Adult Social Care Outcomes Toolkit (ASCOT)',
    kind: 'measure',
    measures:
      'Social care-related quality of life in eight areas: control over daily life, personal cleanliness ' +
      'and comfort, food and drink, personal safety, social participation, occupation, the home, and ' +
      'dignity. Preference-weighted; versions for people using services, carers (ASCOT-Carer) and staff.',
    levels: ['individual', 'service', 'commissioner', 'wider-system'],
    lifeAreas: ['independence', 'safety', 'relationships', 'housing', 'wellbeing', 'caring'],
    domains: [
      ...tp(
        'living-as-you-want',
        'feeling-safe',
        'seeing-people',
        'having-things-to-do',
        'treated-with-respect',
      ),
      ...carers('a-life-of-their-own', 'carer-health-and-wellbeing', 'seeing-people'),
    ],
    respondents: ['person', 'carer'],
    validation:
      'Netten A, Burge P, Malley J, et al. Outcomes of social care for adults: developing a ' +
      'preference-weighted measure. Health Technol Assess 2012;16(16). Its items are asked in the annual ' +
      'Adult Social Care Survey behind the Adult Social Care Outcomes Framework.',
    licence:
      'Copyright University of Kent (Personal Social Services Research Unit). Free for non-commercial use ' +
      'under the university’s licence, with registration; commercial use needs a licence.',
    sourceUrl: 'https://www.pssru.ac.uk/ascot/',
    link: null,
  },
  {
    key: 'eq-5d-5l',
    name: 'EQ-5D-5L',
    kind: 'measure',
    measures:
      'Health-related quality of life in five dimensions (mobility, self-care, usual activities, pain or ' +
      'discomfort, anxiety or depression), each at five levels, with a 0–100 scale of overall health today.',
    levels: ['individual', 'service', 'commissioner', 'wider-system'],
    lifeAreas: ['health', 'mental-health', 'independence'],
    domains: tp('staying-well', 'improved-mobility', 'reduced-symptoms'),
    respondents: ['person'],
    validation:
      'Herdman M, Gudex C, Lloyd A, et al. Development and preliminary testing of the new five-level ' +
      'version of EQ-5D (EQ-5D-5L). Qual Life Res 2011;20(10):1727–1736.',
    licence:
      'Copyright EuroQol Research Foundation. Every use must be registered with the foundation; some ' +
      'non-commercial uses are free, others carry a fee.',
    sourceUrl: 'https://euroqol.org/',
    link: null,
  },
  {
    key: 'wemwbs',
    name: 'Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS), 14 items',
    kind: 'measure',
    measures:
      'Mental wellbeing: feeling good and functioning well, over the last two weeks, on 14 positively worded ' +
      'statements (the built-in SWEMWBS is its seven-item short form).',
    levels: ['individual', 'service', 'commissioner', 'wider-system'],
    lifeAreas: ['wellbeing', 'mental-health'],
    domains: [
      ...tp('staying-well', 'improved-confidence', 'seeing-people'),
      ...carers('carer-health-and-wellbeing'),
    ],
    respondents: ['person'],
    validation:
      'Tennant R, Hiller L, Fishwick R, et al. The Warwick-Edinburgh Mental Well-being Scale (WEMWBS): ' +
      'development and UK validation. Health Qual Life Outcomes 2007;5:63.',
    licence:
      'Copyright NHS Health Scotland, the University of Warwick and the University of Edinburgh. Free for ' +
      'non-commercial use once registered with the University of Warwick; commercial use needs a licence.',
    sourceUrl: 'https://warwick.ac.uk/fac/sci/med/research/platform/wemwbs/',
    link: null,
  },
  {
    key: 'patient-activation-measure',
    name: 'Patient Activation Measure (PAM-13)',
    kind: 'measure',
    measures:
      'The knowledge, skills and confidence a person has to manage their own health and care: a 0–100 ' +
      'score placing them at one of four levels of activation.',
    levels: ['individual', 'service', 'commissioner'],
    lifeAreas: ['health', 'independence'],
    domains: tp('improved-confidence', 'improved-skills', 'staying-well', 'having-a-say'),
    respondents: ['person'],
    validation:
      'Hibbard JH, Stockard J, Mahoney ER, Tusler M. Development of the Patient Activation Measure (PAM). ' +
      'Health Serv Res 2004;39(4 Pt 1):1005–1026; Hibbard JH, Mahoney ER, Stockard J, Tusler M. ' +
      'Development and testing of a short form of the patient activation measure. Health Serv Res ' +
      '2005;40(6 Pt 1):1918–1930.',
    licence:
      'A commercial product: licensed exclusively by Phreesia, which acquired its original licensor, ' +
      'Insignia Health, in 2021. Use needs a paid licence.',
    sourceUrl: 'https://www.insigniahealth.com/',
    link: null,
  },
  {
    key: 'reqol',
    name: 'Recovering Quality of Life (ReQoL-10 and ReQoL-20)',
    kind: 'measure',
    measures:
      'Recovery-focused quality of life for people aged 16 and over using mental health services: activity, ' +
      'hope, belonging and relationships, self-perception, wellbeing, autonomy and physical health.',
    levels: ['individual', 'service', 'commissioner'],
    lifeAreas: ['mental-health', 'wellbeing', 'relationships', 'health'],
    domains: tp(
      'staying-well',
      'improved-confidence',
      'seeing-people',
      'having-things-to-do',
      'living-as-you-want',
    ),
    respondents: ['person'],
    validation:
      'Keetharuth AD, Brazier J, Connell J, et al. Recovering Quality of Life (ReQoL): a new generic ' +
      'self-reported outcome measure for use with people experiencing mental health difficulties. ' +
      'Br J Psychiatry 2018;212(1):42–49.',
    licence:
      'Developed by the University of Sheffield for the Department of Health. Licences are requested ' +
      'through Oxford University Innovation; the terms depend on the use.',
    sourceUrl: 'https://www.reqol.org.uk/',
    link: null,
  },
  {
    key: 'core-10',
    name: 'CORE-10',
    kind: 'measure',
    measures:
      'Psychological distress in the last week, on ten items (anxiety, depression, trauma, physical problems, ' +
      'functioning and risk to self), for screening and reviewing progress in psychological therapies.',
    levels: ['individual', 'service'],
    lifeAreas: ['mental-health'],
    domains: tp('staying-well', 'reduced-symptoms'),
    respondents: ['person'],
    validation:
      'Barkham M, Bewick B, Mullin T, et al. The CORE-10: a short measure of psychological distress for ' +
      'routine use in the psychological therapies. Couns Psychother Res 2013;13(1):3–13.',
    licence:
      'Copyright CORE System Trust, under Creative Commons BY-NC-ND 4.0: free to reproduce, on paper or in ' +
      'software, for non-commercial use, unchanged and with its copyright line shown.',
    sourceUrl: 'https://www.coresystemtrust.org.uk/',
    link: null,
  },
  {
    key: 'outcomes-star',
    name: 'Outcomes Star (family of tools)',
    kind: 'tool',
    measures:
      'Change along a ten-point journey of change in the areas that matter in a sector, completed by a ' +
      'person with their worker: versions for homelessness, mental health recovery, work, families, carers ' +
      'and others.',
    levels: ['individual', 'service', 'commissioner'],
    lifeAreas: ['housing', 'employment', 'money', 'relationships', 'mental-health', 'independence', 'caring'],
    domains: [
      ...tp('living-as-you-want', 'having-things-to-do', 'staying-well', 'seeing-people', 'improved-skills'),
      ...carers('able-to-care'),
    ],
    respondents: ['person', 'practitioner'],
    validation:
      'Triangle publishes a psychometric factsheet for each Star. An independent study of the Mental Health ' +
      'Recovery Star found its agreement between workers too low for a routine outcome measure: Killaspy H, ' +
      'White S, Taylor TL, King M. Psychometric properties of the Mental Health Recovery Star. Br J ' +
      'Psychiatry 2012;201(1):65–70.',
    licence:
      'Copyright Triangle Consulting Social Enterprise. The Stars may be viewed free as PDFs; using one in a ' +
      'service’s records or systems, or commercially, needs a licence, and training is recommended.',
    sourceUrl: 'https://www.outcomesstar.org.uk/',
    link: null,
  },
];

/**
 * Rollup measures whose facts are about outcomes (what matters to people); the others are about
 * how care is given (plans, reviews, who rated, measures given at start and review).
 */
const OUTCOME_MEASURES = new Set([
  'rating',
  'rating-change',
  'viewpoint-agreement',
  'gas-person',
  'gas-goal',
  'outcome',
]);

/** A library indicator as an entry: what it is and where its data comes from, from its own definition. */
export function indicatorEntry(
  definition: Pick<IndicatorDefinition, 'key' | 'name' | 'description' | 'source' | 'filters'>,
  frameworks: readonly FrameworkDefinition[],
): CatalogueEntryDefinition {
  const source = sourceOf(definition.source);
  // A standard measure's indicator ('phq9:total:band:mild') is about what its instrument is about.
  const prefix = source.measure.split(':')[0] ?? '';
  const instrument = (INSTRUMENT_KEYS as readonly string[]).includes(prefix)
    ? INSTRUMENT_CATALOGUE_FACTS[prefix as InstrumentKey]
    : null;
  const lifeAreas: LifeArea[] = instrument
    ? instrument.lifeAreas
    : OUTCOME_MEASURES.has(source.measure)
      ? ['wellbeing']
      : ['experience-of-care'];
  const code = definition.filters.domainCode;
  return {
    key: `indicator-${definition.key}`,
    name: definition.name,
    kind: 'indicator',
    measures: definition.description,
    levels: ['service', 'commissioner'],
    lifeAreas,
    // An indicator about one domain covers that domain in every framework that has it.
    domains: code
      ? frameworks
          .filter((f) => f.domains.some((d) => d.code === code))
          .map((f) => ({ framework: `outcomes:${f.key}`, code }))
      : (instrument?.domains ?? []),
    respondents: ['administrative-data'],
    validation:
      `Computed in WhatMatters from recorded data: ${source.numerator ? `${source.numerator}, out of ` : ''}` +
      `${source.denominator}. Small numbers are suppressed with NHS England’s disclosure control method.`,
    licence: PRODUCT_LICENCE,
    sourceUrl: null,
    link: { kind: 'indicator', key: definition.key },
  };
}

/** A built-in instrument as an entry: its own name, description and licence, with the catalogue's facts. */
export function instrumentEntry(
  instrument: Pick<Instrument, 'key' | 'title' | 'measures' | 'licence'>,
): CatalogueEntryDefinition {
  const facts = INSTRUMENT_CATALOGUE_FACTS[instrument.key];
  return {
    key: instrument.key,
    name: instrument.title,
    kind: 'measure',
    measures: instrument.measures,
    levels: facts.levels,
    lifeAreas: facts.lifeAreas,
    domains: facts.domains,
    respondents: facts.respondents,
    validation: facts.validation,
    licence: `Copyright ${instrument.licence.holder}. ${instrument.licence.terms}`,
    sourceUrl: isWebAddress(instrument.licence.source) ? instrument.licence.source : null,
    link: { kind: 'instrument', key: instrument.key },
  };
}

/** Every entry the catalogue starts with, in the order it lists them: instruments, tools, indicators, the rest. */
export function shippedCatalogue(
  instruments: readonly Pick<Instrument, 'key' | 'title' | 'measures' | 'licence'>[],
  indicators: readonly Pick<IndicatorDefinition, 'key' | 'name' | 'description' | 'source' | 'filters'>[],
  frameworks: readonly FrameworkDefinition[],
): CatalogueEntryDefinition[] {
  return [
    ...instruments.map(instrumentEntry),
    ...PRODUCT_TOOL_ENTRIES,
    ...indicators.map((d) => indicatorEntry(d, frameworks)),
    ...EXTERNAL_ENTRIES,
  ];
}
