/**
 * The default patient-experience coding framework (issue 12): the themes a care-experience story is
 * coded to, each with sub-themes, and the five-point sentiment scale. One vocabulary, with labels;
 * the coder's label set is the theme ids (an organisation may code to its own framework instead, in
 * which case its label names are whatever its confirmed codes use).
 */

export interface CodingSubTheme {
  id: string;
  label: string;
}

export interface CodingTheme {
  id: string;
  label: string;
  subThemes: readonly CodingSubTheme[];
}

export interface CodingFramework {
  id: string;
  version: number;
  label: string;
  themes: readonly CodingTheme[];
}

const theme = (id: string, label: string, subThemes: [string, string][] = []): CodingTheme => ({
  id,
  label,
  subThemes: subThemes.map(([subId, subLabel]) => ({ id: `${id}/${subId}`, label: subLabel })),
});

export const PATIENT_EXPERIENCE_FRAMEWORK: CodingFramework = {
  id: 'patient-experience',
  version: 1,
  label: 'Patient experience (WhatMatters default)',
  themes: [
    theme('staff-manner', 'Staff manner', [
      ['kindness', 'Kindness and compassion'],
      ['respect-dignity', 'Respect and dignity'],
      ['attitude', 'Attitude and rudeness'],
    ]),
    theme('staffing-levels', 'Staffing levels', [
      ['shortages', 'Too few staff'],
      ['workload', 'Staff rushed or overworked'],
    ]),
    theme('responsiveness', 'Responsiveness', [
      ['call-bells', 'Call bells and getting help'],
      ['following-up', 'Following up requests'],
    ]),
    theme('continuity', 'Continuity', [
      ['same-person', 'Seeing the same person'],
      ['handover', 'Handover between staff'],
    ]),
    theme('competence', 'Competence', [
      ['skill', 'Skill and knowledge'],
      ['thoroughness', 'Thoroughness'],
      ['diagnosis', 'Diagnosis and treatment'],
    ]),
    theme('communication-information', 'Communication and information', [
      ['explanations', 'Explanations'],
      ['written-information', 'Written information and letters'],
      ['keeping-informed', 'Keeping people informed'],
    ]),
    theme('listening-involvement', 'Listening and involvement', [
      ['being-listened-to', 'Being listened to'],
      ['shared-decisions', 'Involvement in decisions'],
      ['family-involvement', 'Involving family and carers'],
    ]),
    theme('access-waiting', 'Access and waiting', [
      ['waiting-times', 'Waiting times'],
      ['getting-through', 'Getting through by phone'],
      ['referrals', 'Referral delays'],
    ]),
    theme('appointments', 'Appointments', [
      ['booking', 'Booking'],
      ['cancellations', 'Cancellations and changes'],
      ['running-late', 'Running late on the day'],
    ]),
    theme('environment-facilities', 'Environment and facilities', [
      ['cleanliness', 'Cleanliness'],
      ['noise-comfort', 'Noise, temperature and comfort'],
      ['privacy', 'Privacy'],
    ]),
    theme('food', 'Food', [
      ['quality', 'Quality and choice'],
      ['drinks', 'Drinks'],
      ['help-eating', 'Help with eating'],
    ]),
    theme('medication', 'Medication', [
      ['prescriptions', 'Prescriptions'],
      ['timing', 'Getting medicines on time'],
      ['side-effects', 'Side effects and explanations'],
    ]),
    theme('pain', 'Pain', [['pain-relief', 'Pain relief']]),
    theme('coordination-discharge', 'Coordination and discharge', [
      ['discharge', 'Discharge'],
      ['between-services', 'Between services'],
    ]),
    theme('travel-transport-parking', 'Travel, transport and parking', [
      ['parking', 'Parking'],
      ['patient-transport', 'Patient transport'],
    ]),
    theme('feeling-safe', 'Feeling safe', [
      ['safety', 'Safety'],
      ['falls', 'Falls'],
      ['security', 'Security'],
    ]),
    theme('overall-positive', 'Overall positive experience'),
    theme('overall-negative', 'Overall negative experience'),
  ],
};

/** The five-point sentiment scale of a story, 1 (very negative) to 5 (very positive). */
export const SENTIMENT_SCALE = [
  { value: 1, label: 'Very negative' },
  { value: 2, label: 'Negative' },
  { value: 3, label: 'Neutral or mixed' },
  { value: 4, label: 'Positive' },
  { value: 5, label: 'Very positive' },
] as const;

export type Sentiment = (typeof SENTIMENT_SCALE)[number]['value'];

export function isSentiment(value: number): value is Sentiment {
  return Number.isInteger(value) && value >= 1 && value <= 5;
}

/** A label as the lexicon looks it up: lower case, words joined by single hyphens ("Staff manner" → "staff-manner"). */
export function labelKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9/]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The framework theme a label name stands for (by id or label, in any case), or null. */
export function frameworkTheme(name: string, framework = PATIENT_EXPERIENCE_FRAMEWORK): CodingTheme | null {
  const key = labelKey(name);
  return framework.themes.find((t) => t.id === key || labelKey(t.label) === key) ?? null;
}

/** Every code of a framework: each theme's id, then its sub-themes' `theme/sub-theme` ids. */
export function frameworkCodes(framework = PATIENT_EXPERIENCE_FRAMEWORK): string[] {
  return framework.themes.flatMap((t) => [t.id, ...t.subThemes.map((s) => s.id)]);
}

/** The framework sub-theme a `theme/sub-theme` label stands for (by ids or labels, in any case), or null. */
export function frameworkSubTheme(
  name: string,
  framework = PATIENT_EXPERIENCE_FRAMEWORK,
): { theme: CodingTheme; subTheme: CodingSubTheme } | null {
  const [themeName, subName, ...rest] = name.split('/');
  if (!themeName || !subName || rest.length) return null;
  const found = frameworkTheme(themeName, framework);
  const key = labelKey(subName);
  const subTheme = found?.subThemes.find((s) => s.id === `${found.id}/${key}` || labelKey(s.label) === key);
  return found && subTheme ? { theme: found, subTheme } : null;
}

/** A code as people read it: "Theme" or "Theme — Sub-theme"; a code outside the framework as it is. */
export function codeLabel(code: string, framework = PATIENT_EXPERIENCE_FRAMEWORK): string {
  const sub = frameworkSubTheme(code, framework);
  if (sub) return `${sub.theme.label} — ${sub.subTheme.label}`;
  return frameworkTheme(code, framework)?.label ?? code;
}
