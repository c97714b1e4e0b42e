import { INSTRUMENTS } from '../../domain/measures/instruments/index.js';
import {
  CHANGE_CATEGORY_LABELS,
  type ChangeCategory,
  changeCategory,
  RELIABLE_CHANGE,
} from '../../domain/measures/reliable-change.js';
import type { InstrumentKey } from '../../domain/measures/types.js';

/**
 * The words the measures pages and API give a score: its band's label (the instrument's own bands),
 * and the change between the first and the latest score by the instrument's reliable-change rule
 * (domain/measures/reliable-change.ts), judged only on the score that rule names.
 */

export interface ScoreChange {
  category: ChangeCategory;
  label: string;
  from: number;
  to: number;
}

export function bandLabelOf(
  instrument: InstrumentKey | null,
  scoreKey: string,
  band: string | null,
): string | null {
  if (band === null) return null;
  if (!instrument) return band;
  return INSTRUMENTS[instrument].bands[scoreKey]?.find((b) => b.key === band)?.label ?? band;
}

/** Null with fewer than two scores, or for a score no reliable-change rule judges. */
export function changeOf(
  instrument: InstrumentKey | null,
  scoreKey: string,
  points: readonly { value: number }[],
): ScoreChange | null {
  if (!instrument || points.length < 2 || RELIABLE_CHANGE[instrument]?.scoreKey !== scoreKey) return null;
  const from = (points[0] as { value: number }).value;
  const to = (points[points.length - 1] as { value: number }).value;
  const category = changeCategory(instrument, from, to);
  return { category, label: CHANGE_CATEGORY_LABELS[category], from, to };
}
