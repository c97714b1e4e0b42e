/**
 * Funnel plots for comparing providers or teams (Spiegelhalter DJ. Funnel plots for comparing
 * institutional performance. Stat Med 2005;24:1185–1202), computed as the R package FunnelPlotR
 * (Chris Mainey, nhs-r-community/FunnelPlotR, R/funnel_plot.R) does: each unit's value against
 * 95% and 99.8% limits at its own denominator, around the pooled proportion ("PR") or around 1 for
 * indirectly standardised ratios ("SR"), optionally widened for overdispersion.
 */
import {
  FUNNEL_COVERAGES,
  type FunnelCoverage,
  type FunnelDataType,
  type FunnelLimits,
  type LimitPair,
  poissonRatioLimits,
  type SrMethod,
  scaleFor,
  transformedScaleLimits,
} from './limits.js';
import { betweenUnitVariance, dispersionRatio, truncate, winsorise } from './overdispersion.js';

export type { FunnelCoverage, FunnelDataType, FunnelLimits, LimitPair, SrMethod } from './limits.js';

export interface FunnelUnitInput {
  id: string;
  /** Events (proportions) or observed count (standardised ratios). */
  numerator: number;
  /** Cases (proportions) or expected count (standardised ratios). */
  denominator: number;
}

export interface FunnelOptions {
  type: FunnelDataType;
  /** Estimate overdispersion and, if there is any, widen the limits for it. */
  overdispersion: boolean;
  /** For standardised ratios only; "cqc" (Winsorised, square-root scale) unless given. */
  srMethod?: SrMethod;
  /** Winsorised (or truncated) share at each end; FunnelPlotR's default 10%. */
  trimBy?: number;
}

/** Which limits a unit lies beyond: the widest it is outside of, or none. */
export type FunnelOutside = 'none' | FunnelCoverage;

export interface FunnelUnit {
  id: string;
  numerator: number;
  denominator: number;
  /** numerator / denominator: the proportion or the standardised ratio. */
  value: number;
  /** Distance from the target in standard errors on the transformed scale, before any adjustment. */
  zScore: number;
  limits: FunnelLimits;
  outside: FunnelOutside;
}

/** What draws the limits at any denominator: enough to redraw the funnel's curves. */
export interface FunnelModel {
  type: FunnelDataType;
  srMethod: SrMethod;
  /** The pooled proportion (Σnumerators / Σdenominators) or 1 for standardised ratios. */
  target: number;
  /** True when overdispersion was asked for and found (φ > 1), so the limits are widened by τ². */
  adjusted: boolean;
  /** The between-unit variance the limits are widened by; 0 when not adjusted. */
  tau2: number;
}

export interface FunnelPlot extends FunnelModel {
  /** The dispersion ratio applied: the estimate when adjusted, otherwise 1 (no overdispersion). */
  phi: number;
  /**
   * φ as estimated, also when it is 1 or less and so not applied; null when overdispersion was
   * not asked for, or there are too few units (under two) to estimate it.
   */
  estimatedPhi: number | null;
  units: FunnelUnit[];
}

function checkUnits(units: readonly FunnelUnitInput[], type: FunnelDataType): void {
  if (units.length === 0) throw new RangeError('units: a funnel plot needs at least one unit');
  const seen = new Set<string>();
  units.forEach((unit, i) => {
    const at = `units.${i}`;
    if (unit.id.trim() === '') throw new RangeError(`${at}.id: must not be empty`);
    if (seen.has(unit.id)) throw new RangeError(`${at}.id: "${unit.id}" is already used by another unit`);
    seen.add(unit.id);
    if (!(Number.isFinite(unit.numerator) && unit.numerator >= 0)) {
      throw new RangeError(`${at}.numerator: must be a number of 0 or more, not ${unit.numerator}`);
    }
    if (!(Number.isFinite(unit.denominator) && unit.denominator > 0)) {
      throw new RangeError(`${at}.denominator: must be a number above 0, not ${unit.denominator}`);
    }
    if (type === 'proportion' && unit.numerator > unit.denominator) {
      throw new RangeError(
        `${at}.numerator: a proportion's numerator (${unit.numerator}) cannot be more than its denominator (${unit.denominator})`,
      );
    }
  });
}

/** The 95% and 99.8% limits at one denominator (the expected count for standardised ratios). */
export function funnelLimitsAt(model: FunnelModel, denominator: number): FunnelLimits {
  const scale = scaleFor(model.type, model.srMethod);
  // Unadjusted standardised ratios have exact Poisson limits (their target is always 1);
  // proportions keep the arcsine approximation with τ² = 0, as FunnelPlotR draws them.
  const pair = (coverage: FunnelCoverage): LimitPair =>
    model.type === 'sr' && !model.adjusted
      ? poissonRatioLimits(denominator, coverage)
      : transformedScaleLimits(scale, model.target, denominator, model.tau2, coverage);
  return { '95': pair('95'), '99.8': pair('99.8') };
}

/** Beyond the 99.8% limits, else beyond the 95%, else none; on a limit counts as inside (FunnelPlotR). */
export function outsideLimits(value: number, limits: FunnelLimits): FunnelOutside {
  for (const coverage of [...FUNNEL_COVERAGES].reverse()) {
    const [lower, upper] = limits[coverage];
    if (value < lower || value > upper) return coverage;
  }
  return 'none';
}

interface Dispersion {
  estimatedPhi: number | null;
  phi: number;
  tau2: number;
}

function estimateDispersion(
  zScores: readonly number[],
  standardErrors: readonly number[],
  srMethod: SrMethod,
  type: FunnelDataType,
  trimBy: number,
): Dispersion {
  const none = { phi: 1, tau2: 0 };
  // SHMI truncates (leaving units out); every other method Winsorises (FunnelPlotR funnel_plot).
  const trimmed =
    type === 'sr' && srMethod === 'shmi' ? truncate(zScores, trimBy) : winsorise(zScores, trimBy);
  const kept = trimmed.flatMap((z, i) => (z === null ? [] : [{ z, s: standardErrors[i] as number, i }]));
  if (kept.length < 2) return { estimatedPhi: null, ...none };
  const infinite = kept.find(({ z }) => !Number.isFinite(z));
  if (infinite) {
    throw new RangeError(
      `units.${infinite.i}.numerator: the SHMI log scale cannot take an observed count of 0 into the overdispersion estimate`,
    );
  }
  const phi = dispersionRatio(kept.map(({ z }) => z));
  // FunnelPlotR (v0.4.2 on) decides on φ: with φ ≤ 1 it draws the unadjusted limits.
  if (phi <= 1) return { estimatedPhi: phi, ...none };
  return {
    estimatedPhi: phi,
    phi,
    tau2: betweenUnitVariance(
      phi,
      kept.map(({ s }) => s),
    ),
  };
}

/** A funnel plot's target, dispersion and each unit's limits and place against them. */
export function funnelPlot(units: readonly FunnelUnitInput[], options: FunnelOptions): FunnelPlot {
  const { type, overdispersion, srMethod = 'cqc', trimBy = 0.1 } = options;
  checkUnits(units, type);
  const target =
    type === 'sr'
      ? 1
      : units.reduce((sum, u) => sum + u.numerator, 0) / units.reduce((sum, u) => sum + u.denominator, 0);
  const scale = scaleFor(type, srMethod);
  const standardErrors = units.map((u) => scale.standardError(u.denominator));
  const zScores = units.map(
    (u, i) =>
      (scale.transform(u.numerator / u.denominator) - scale.transform(target)) /
      (standardErrors[i] as number),
  );
  const dispersion: Dispersion = overdispersion
    ? estimateDispersion(zScores, standardErrors, srMethod, type, trimBy)
    : { estimatedPhi: null, phi: 1, tau2: 0 };
  const model: FunnelModel = {
    type,
    srMethod,
    target,
    adjusted: dispersion.tau2 > 0,
    tau2: dispersion.tau2,
  };
  return {
    ...model,
    phi: dispersion.phi,
    estimatedPhi: dispersion.estimatedPhi,
    units: units.map((u, i) => {
      const value = u.numerator / u.denominator;
      const limits = funnelLimitsAt(model, u.denominator);
      return {
        id: u.id,
        numerator: u.numerator,
        denominator: u.denominator,
        value,
        zScore: zScores[i] as number,
        limits,
        outside: outsideLimits(value, limits),
      };
    }),
  };
}

export interface FunnelCurvePoint {
  denominator: number;
  limits: FunnelLimits;
}

export interface FunnelCurveOptions {
  /** Smallest denominator drawn; FunnelPlotR starts at 1.1 for ratios and 3 for proportions. */
  from?: number;
  /** Largest denominator drawn; the largest unit's denominator rounded up unless given. */
  to?: number;
  /** How many evenly spaced denominators, ends included (FunnelPlotR uses 1000). */
  points?: number;
}

/**
 * The limits as curves over a range of denominators, for drawing the funnel. Each unit's own
 * denominator is added to the grid, so every plotted point sits exactly on a drawn x.
 */
export function funnelCurves(plot: FunnelPlot, options: FunnelCurveOptions = {}): FunnelCurvePoint[] {
  const largest = Math.max(...plot.units.map((u) => u.denominator));
  const smallest = Math.min(...plot.units.map((u) => u.denominator));
  const from = options.from ?? Math.min(plot.type === 'sr' ? 1.1 : 3, smallest);
  const to = options.to ?? Math.ceil(largest);
  const points = options.points ?? 200;
  if (!(from > 0 && Number.isFinite(from))) throw new RangeError(`from: must be above 0, not ${from}`);
  if (!(to > from && Number.isFinite(to)))
    throw new RangeError(`to: must be more than from (${from}), not ${to}`);
  if (!(Number.isInteger(points) && points >= 2)) {
    throw new RangeError(`points: must be a whole number of 2 or more, not ${points}`);
  }
  const grid = Array.from({ length: points }, (_, k) => from + ((to - from) * k) / (points - 1));
  const inRange = plot.units.map((u) => u.denominator).filter((d) => d >= from && d <= to);
  const denominators = [...new Set([...grid, ...inRange])].sort((a, b) => a - b);
  return denominators.map((denominator) => ({ denominator, limits: funnelLimitsAt(plot, denominator) }));
}
