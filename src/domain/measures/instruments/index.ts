import type { InstrumentKey } from '../types.js';
import { INSTRUMENT_KEYS } from '../types.js';
import { COLLABORATE } from './collaborate.js';
import { FFT } from './fft.js';
import { GAD7 } from './gad7.js';
import type { Instrument } from './instrument.js';
import { ONS4 } from './ons4.js';
import { PHQ9 } from './phq9.js';
import { SWEMWBS } from './swemwbs.js';

/** The built-in instruments, by key: reference data, one module each. */

export type { Instrument, InstrumentLicence, ScoreDefinition, WordingStatus } from './instrument.js';
export { INSTRUMENT_BASE_URL, instrumentUrl, ORDINAL_VALUE_URL, ordinalOf } from './instrument.js';
export { answerItemLinkIds, answersFromResponse, sameStructure } from './structure.js';

export const INSTRUMENTS: Readonly<Record<InstrumentKey, Instrument>> = {
  phq9: PHQ9,
  gad7: GAD7,
  swemwbs: SWEMWBS,
  ons4: ONS4,
  collaborate: COLLABORATE,
  fft: FFT,
};

export const isInstrumentKey = (value: unknown): value is InstrumentKey =>
  (INSTRUMENT_KEYS as readonly unknown[]).includes(value);

/** The built-in instrument whose Questionnaire has this canonical url (a `|version` suffix is ignored). */
export function instrumentByUrl(url: string): Instrument | null {
  const canonical = url.split('|')[0];
  return Object.values(INSTRUMENTS).find((i) => i.questionnaire.url === canonical) ?? null;
}
