import type { SignalSide, Variation } from './rules.js';

/**
 * Which Making Data Count summary icon a chart shows, as a key (for whoever draws the icon) and a
 * plain-English label (for the text alternative and the data table). The variation icon follows the
 * latest point, as in NHSRplotthedots (`ptd_get_icons`, R/geom_ptd_icon.R); the assurance icon
 * follows the target against the latest limits.
 */

export type VariationIconKey =
  | 'common-cause'
  | 'improvement-high'
  | 'improvement-low'
  | 'concern-high'
  | 'concern-low'
  | 'neutral-high'
  | 'neutral-low';

export type AssuranceIconKey = 'pass' | 'fail' | 'inconsistent';

export type Assurance = AssuranceIconKey;

export interface SpcIcon<K extends string> {
  key: K;
  label: string;
}

const VARIATION_LABELS: Record<VariationIconKey, string> = {
  'common-cause': 'Common cause variation: no significant change',
  'improvement-high': 'Special cause variation: improvement, with higher values',
  'improvement-low': 'Special cause variation: improvement, with lower values',
  'concern-high': 'Special cause variation: concern, with higher values',
  'concern-low': 'Special cause variation: concern, with lower values',
  'neutral-high': 'Special cause variation: higher values, neither better nor worse',
  'neutral-low': 'Special cause variation: lower values, neither better nor worse',
};

const ASSURANCE_LABELS: Record<AssuranceIconKey, string> = {
  pass: 'The target will be met consistently: the process limits are all on the right side of it',
  fail: 'The target will be missed consistently: the process limits are all on the wrong side of it',
  inconsistent:
    'The target will be met some of the time and missed some of the time: it lies within the limits',
};

/** The variation icon for a point (normally a chart's latest); common cause when there is none. */
export function variationIcon(
  point: { variation: Variation; side: SignalSide | null } | undefined,
): SpcIcon<VariationIconKey> {
  const key: VariationIconKey =
    !point || point.variation === 'common' || point.side === null
      ? 'common-cause'
      : point.variation === 'improvement'
        ? `improvement-${point.side}`
        : point.variation === 'concern'
          ? `concern-${point.side}`
          : `neutral-${point.side}`;
  return { key, label: VARIATION_LABELS[key] };
}

/** The assurance icon, or null when there is no assurance to show (no target, or no better direction). */
export function assuranceIcon(assurance: Assurance | null): SpcIcon<AssuranceIconKey> | null {
  return assurance === null ? null : { key: assurance, label: ASSURANCE_LABELS[assurance] };
}
