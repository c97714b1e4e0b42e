import { AGE_BANDS, OLDEST_AGE_BAND } from '../demographics.js';
import { FFT_BANDS } from '../measures/instruments/fft.js';

/**
 * The words of care-experience feedback (issue 12): each vocabulary is one constant with its
 * labels, used by the form, the contract, the migration's checks and the CSV import alike.
 */

/** The Friends and Family Test answers: the FFT instrument's own answers, not a second list. */
export const FFT_ANSWERS = FFT_BANDS.map((band) => band.key) as readonly string[];
export type FftAnswer = (typeof FFT_ANSWERS)[number];
export const FFT_ANSWER_LABELS: Readonly<Record<string, string>> = Object.fromEntries(
  FFT_BANDS.map((band) => [band.key, band.label]),
);
/** The FFT question as NHS England words it for a service. */
export const FFT_QUESTION = 'Overall, how was your experience of our service?';

/** Who is writing. */
export const FEEDBACK_WRITERS = ['patient', 'carer', 'other'] as const;
export type FeedbackWriter = (typeof FEEDBACK_WRITERS)[number];
export const FEEDBACK_WRITER_LABELS: Record<FeedbackWriter, string> = {
  patient: 'I used the service (patient or service user)',
  carer: 'I am a carer, relative or friend of someone who used it',
  other: 'Someone else',
};

/** Age bands: the reporting bands of demographics.ts, so feedback and outcomes break down alike. */
export const FEEDBACK_AGE_BANDS: readonly string[] = [
  ...AGE_BANDS.map(([, label]) => label),
  OLDEST_AGE_BAND,
];
export const FEEDBACK_AGE_BAND_LABELS: Readonly<Record<string, string>> = Object.fromEntries(
  FEEDBACK_AGE_BANDS.map((band) => [
    band,
    band === OLDEST_AGE_BAND ? '85 or over' : band.replace('-', ' to '),
  ]),
);

/** How the feedback reached the service. */
export const FEEDBACK_CHANNELS = ['online', 'paper', 'phone', 'import'] as const;
export type FeedbackChannel = (typeof FEEDBACK_CHANNELS)[number];
export const FEEDBACK_CHANNEL_LABELS: Record<FeedbackChannel, string> = {
  online: 'Online form',
  paper: 'Paper form',
  phone: 'By phone',
  import: 'Imported from a file',
};
/** The channels staff choose when they type in feedback received another way. */
export const STAFF_ENTRY_CHANNELS = ['paper', 'phone'] as const satisfies readonly FeedbackChannel[];

/** Limits: a story fits in these; anything longer is refused naming the field, never cut. */
export const FEEDBACK_LIMITS = {
  /** Characters in "What was good?" and "What could be better?" each. */
  text: 2000,
  /** Characters in an imported row's own id. */
  sourceId: 100,
  /** Stories on one page of a service's list. */
  pageSize: 25,
  /** Rows in one CSV import. */
  importRows: 50_000,
} as const;

/**
 * A service's public key: 16 URL-safe characters (96 random bits), so a link cannot be guessed from
 * another service's or from the team's id. Made in the service (randomness is I/O); checked here.
 */
export const SERVICE_KEY_PATTERN = '^[A-Za-z0-9_-]{16}$';
export const isServiceKey = (value: string): boolean => new RegExp(SERVICE_KEY_PATTERN).test(value);

/** How a feedback service is named on every page: its team and organisation, or the organisation. */
export const feedbackServiceName = (s: { teamName: string | null; organisationName: string }): string =>
  s.teamName ? `${s.teamName}, ${s.organisationName}` : s.organisationName;
