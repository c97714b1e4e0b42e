/** SPC XmR charts the Making Data Count way: limits, special causes, variation, assurance, icons. */
export {
  assuranceOf,
  type SpcChart,
  type SpcPoint,
  type SpcSegment,
  type XmrChartOptions,
  xmrChart,
} from './chart.js';
export {
  type Assurance,
  type AssuranceIconKey,
  assuranceIcon,
  type SpcIcon,
  type VariationIconKey,
  variationIcon,
} from './icons.js';
export {
  detectSpecialCauses,
  type PointSignal,
  type SignalSide,
  SPECIAL_CAUSE_PRECEDENCE,
  type SpecialCause,
  type Variation,
  variationOf,
} from './rules.js';
export {
  IMPROVEMENT_DIRECTIONS,
  type ImprovementDirection,
  MIN_FIX_AFTER,
  MOVING_RANGE_SCREEN_FACTOR,
  movingRanges,
  PROCESS_LIMIT_FACTOR,
  SPC_RULE_SET_NAMES,
  SPC_RULE_SETS,
  type SpcRuleSet,
  type SpcRuleSetName,
  type XmrLimits,
  xmrLimits,
} from './xmr.js';
