import { lexiconEntryHash, textFeatures } from '../coding/text-features.js';

/**
 * Experience-based co-design (issue 12, item 8): a service's care pathway as touchpoints in order —
 * the moments where people meet the service (referral, first contact, the wait, the ward, going
 * home) — each with the words that point to it. Stories are grouped by touchpoint with the same
 * coder as themes (domain/coding/coder.ts): the touchpoints are its labels and their words its
 * lexicon prior, and the service's own confirmed and rejected touchpoints its examples.
 */

/** Limits of one touchpoint and of a pathway. */
export const TOUCHPOINT_LIMITS = {
  /** Characters in a touchpoint's label. */
  label: 60,
  /** Words (one or two each) that point to one touchpoint. */
  keywords: 30,
  /** Characters in one of those words or pairs. */
  keyword: 40,
  /** Active touchpoints on one pathway: more is a list, not a pathway. */
  touchpoints: 30,
} as const;

export interface TouchpointDefinition {
  label: string;
  keywords: readonly string[];
}

/**
 * A pathway to start from: our own words for the touchpoints most services share, each with words
 * people use when they write about it. A service keeps what fits, edits the rest and adds its own.
 */
export const SUGGESTED_PATHWAY: readonly TouchpointDefinition[] = [
  {
    label: 'Referral',
    keywords: ['referral', 'referred', 'gp', 'refer me', 'letter from'],
  },
  {
    label: 'First contact',
    keywords: [
      'first contact',
      'phoned',
      'phone call',
      'reception',
      'receptionist',
      'first time',
      'called me',
    ],
  },
  {
    label: 'Waiting',
    keywords: ['waiting list', 'waited', 'wait', 'weeks', 'months', 'delay', 'waiting room'],
  },
  {
    label: 'Assessment',
    keywords: ['assessment', 'assessed', 'questions', 'diagnosis', 'tests', 'scan', 'examined'],
  },
  {
    label: 'Appointments',
    keywords: ['appointment', 'appointments', 'clinic', 'cancelled', 'rebooked', 'visit', 'session'],
  },
  {
    label: 'Ward stay',
    keywords: ['ward', 'bed', 'admitted', 'overnight', 'night', 'food', 'nurses'],
  },
  {
    label: 'Discharge',
    keywords: ['discharge', 'discharged', 'going home', 'sent home', 'home', 'transport home'],
  },
  {
    label: 'Follow-up',
    keywords: ['follow up', 'follow-up', 'check up', 'aftercare', 'afterwards', 'review'],
  },
];

/**
 * Words typed into one box (comma or line separated) as the list of keywords: trimmed, spaces
 * inside each made single, lower case, blanks and repeats dropped, in the order typed.
 */
export function splitKeywords(text: string): string[] {
  const seen = new Set<string>();
  for (const part of text.split(/[,\n\r;]+/)) {
    const keyword = part.trim().replace(/\s+/g, ' ').toLowerCase();
    if (keyword) seen.add(keyword);
  }
  return [...seen];
}

/** Keywords as one line to show or edit again. */
export const joinKeywords = (keywords: readonly string[]): string => keywords.join(', ');

/**
 * Why a keyword cannot point to a touchpoint, or null when it can. The coder reads words and
 * adjacent word pairs, stemmed, without common words on their own; a keyword is usable when the
 * coder finds it in a text made of just that keyword, so "the" (a common word) and three-word
 * phrases are refused here rather than silently never matching.
 */
export function keywordProblem(keyword: string): string | null {
  let hash: number;
  try {
    hash = lexiconEntryHash(keyword);
  } catch {
    return `“${keyword}” must be one or two words`;
  }
  if (!textFeatures(keyword).some((f) => f.hash === hash)) {
    return `“${keyword}” is too common a word to point to a touchpoint`;
  }
  return null;
}

/** The lexicon prior of the touchpoint coder: each touchpoint's id with its keywords. */
export function touchpointLexicon(
  touchpoints: readonly { touchpointId: string; keywords: readonly string[] }[],
): Record<string, string[]> {
  return Object.fromEntries(touchpoints.map((t) => [t.touchpointId, [...t.keywords]]));
}
