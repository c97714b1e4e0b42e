/**
 * Disclosure control: how a count, rate or average built from people's records is shown to anyone
 * outside their own care team, so that no small group — and so no person — can be picked out.
 *
 * The method is NHS Digital's (now NHS England's) standard for secondary care statistics, used for
 * Hospital Episode Statistics and ECDS since September 2018 and since adopted for other datasets
 * (SRHAD from 2019-20, the Data Quality Maturity Index):
 *   - a count of 0 is shown as 0;
 *   - a count from 1 to 7 is replaced with `*`;
 *   - every other count is rounded to the nearest 5;
 *   - a percentage or rate is calculated from the rounded numerator and rounded denominator, and is
 *     `*` when either of them is;
 *   - an average (or other simple statistic) over 1 to 7 values is `*`.
 * Sources: NHS Digital, "Disclosure control methodology for Hospital Episode Statistics (HES) and
 * Emergency Care Data Set (ECDS)" (digital.nhs.uk, 2018); "Changes to the SRHAD disclosure control
 * methodology for 2019-20"; DQMI methodology, "Suppression rules". The worked values in the tests are
 * those of NHS Digital's own implementation, codonPython `suppress_value` and its tests.
 *
 * NHS Digital leaves totals to rounding (a total is worked out from the unrounded counts, then
 * rounded). WhatMatters goes further, as the issue asks: a table published with its totals also gets
 * secondary suppression ({@link suppressTable}, {@link suppressList}), so a hidden count cannot be
 * worked out by subtraction. The guarantee is stated on {@link suppressTable}.
 */

export interface DisclosureRules {
  /** The smallest non-zero count replaced with `*` (1 in the NHS method). */
  suppressFrom: number;
  /** The largest count replaced with `*` (7 in the NHS method). */
  suppressTo: number;
  /** Every count that is shown is rounded to the nearest multiple of this (5 in the NHS method). */
  roundTo: number;
}

export const NHS_DISCLOSURE_RULES: Readonly<DisclosureRules> = Object.freeze({
  suppressFrom: 1,
  suppressTo: 7,
  roundTo: 5,
});

/** What a hidden count, rate or average shows instead of a number. */
export const SUPPRESSED = '*';
/** What a rate with no denominator, or an average of no values, shows: there is nothing to show. */
export const NOT_APPLICABLE = 'n/a';

export type DisclosureStatus = 'shown' | 'suppressed' | 'not-applicable';

/** A figure as it may be shown: the text, and the number behind the text when there is one. */
export interface Disclosed {
  status: DisclosureStatus;
  /** The rounded count, or the rate/average as published; null when suppressed or not applicable. */
  value: number | null;
  /** The text to show: "0", "*", "10", "33", "n/a", … */
  shown: string;
}

export interface DisclosedRate extends Disclosed {
  numerator: Disclosed;
  denominator: Disclosed;
}

// Counts this large are national figures at most; a bigger input is a mistake, not a count.
const MAX_COUNT = 1_000_000_000_000;

/**
 * What is wrong with a set of rules, as "rules.field: problem", or null when they can be used.
 *
 * A non-zero count is never shown as "0" (that would claim nobody, which is false, and it is the
 * one figure people act on without question). So a count that would round to 0 — 1 and 2 when
 * rounding to 5 — is always suppressed, and the suppressed range must reach down to them: the
 * rules may not leave a gap of shown counts between the ones that round to 0 and `suppressFrom`.
 */
export function disclosureRulesProblem(rules: DisclosureRules): string | null {
  for (const field of ['suppressFrom', 'suppressTo', 'roundTo'] as const) {
    const v = rules[field];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > MAX_COUNT) {
      return `rules.${field}: must be a whole number from 0 to ${MAX_COUNT}, not ${String(v)}.`;
    }
  }
  if (rules.roundTo < 1) return 'rules.roundTo: must be 1 (no rounding) or more.';
  if (rules.suppressFrom < 1) return 'rules.suppressFrom: must be 1 or more; 0 is always shown as 0.';
  if (rules.suppressTo < rules.suppressFrom - 1) {
    return `rules.suppressTo: must be at least suppressFrom - 1 (${rules.suppressFrom - 1}); use suppressFrom - 1 to suppress no range.`;
  }
  const roundsToZero = largestRoundingToZero(rules.roundTo);
  if (rules.suppressFrom > roundsToZero + 1 && rules.suppressTo >= rules.suppressFrom) {
    return `rules.suppressFrom: counts from 1 to ${roundsToZero} round to 0 and are always suppressed, so suppression must start at ${roundsToZero + 1} or lower to leave no gap.`;
  }
  return null;
}

/** The rules, checked; a RangeError names the field that is wrong. */
export function checkDisclosureRules(rules: DisclosureRules): DisclosureRules {
  const problem = disclosureRulesProblem(rules);
  if (problem) throw new RangeError(problem);
  return rules;
}

/** The largest count r with 2r < base: the counts 1..r round (half up) to 0. */
function largestRoundingToZero(base: number): number {
  return Math.floor((base - 1) / 2);
}

/**
 * The largest count the rules hide. Every count from 1 to this is hidden (the rules are checked to
 * leave no gap), and every larger one is shown rounded.
 */
export function largestHiddenCount(rules: DisclosureRules = NHS_DISCLOSURE_RULES): number {
  return Math.max(rules.suppressTo, largestRoundingToZero(rules.roundTo));
}

/**
 * Rounds to the nearest multiple of base, halves upward. With base 5 a whole number is never
 * half-way, so the choice only matters for even bases (with 10, 15 becomes 20).
 */
export function roundToBase(n: number, base: number): number {
  const q = Math.floor(n / base);
  return 2 * (n - q * base) >= base ? (q + 1) * base : q * base;
}

function checkCount(n: number, name: string): void {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0 || n > MAX_COUNT) {
    throw new RangeError(`${name}: must be a whole number from 0 to ${MAX_COUNT}, not ${String(n)}.`);
  }
}

/**
 * The one function every published count goes through: 0 → "0", 1–7 → "*", otherwise rounded to
 * the nearest 5 (with the NHS rules).
 */
export function discloseCount(n: number, rules: DisclosureRules = NHS_DISCLOSURE_RULES): Disclosed {
  checkCount(n, 'count');
  checkDisclosureRules(rules);
  if (n === 0) return { status: 'shown', value: 0, shown: '0' };
  if (n <= largestHiddenCount(rules)) return { status: 'suppressed', value: null, shown: SUPPRESSED };
  const value = roundToBase(n, rules.roundTo);
  return { status: 'shown', value, shown: String(value) };
}

export interface RateOptions {
  /** The rate is per this many of the denominator: 100 for a percentage (the default), 1000, … */
  per?: number;
  /** Decimal places in the shown text (default 0, a whole number). */
  decimals?: number;
}

/**
 * A rate (by default a percentage) calculated from the disclosed numerator and denominator, so the
 * published rate can be recomputed from the published counts and reveals nothing more. Either part
 * suppressed → the rate is "*". A denominator of 0 → "n/a" (not applicable: nobody to count).
 */
export function discloseRate(
  numerator: number,
  denominator: number,
  rules: DisclosureRules = NHS_DISCLOSURE_RULES,
  { per = 100, decimals = 0 }: RateOptions = {},
): DisclosedRate {
  checkCount(numerator, 'numerator');
  checkCount(denominator, 'denominator');
  if (!(per > 0) || !Number.isFinite(per))
    throw new RangeError(`per: must be a positive number, not ${per}.`);
  checkDecimals(decimals);
  const num = discloseCount(numerator, rules);
  const den = discloseCount(denominator, rules);
  if (num.value === null || den.value === null) {
    return { status: 'suppressed', value: null, shown: SUPPRESSED, numerator: num, denominator: den };
  }
  // A non-zero count never rounds to 0 (see disclosureRulesProblem), so 0 here is a true 0.
  if (den.value === 0) {
    return { status: 'not-applicable', value: null, shown: NOT_APPLICABLE, numerator: num, denominator: den };
  }
  const value = (num.value / den.value) * per;
  return { status: 'shown', value, shown: value.toFixed(decimals), numerator: num, denominator: den };
}

/**
 * An average (or another simple statistic such as a median or a mean T-score) over `count` values
 * from people: NHS Digital's rule for simple calculations shows no figure when 1–7 values are used.
 */
export function discloseAverage(
  average: number,
  count: number,
  rules: DisclosureRules = NHS_DISCLOSURE_RULES,
  decimals = 1,
): Disclosed {
  checkCount(count, 'count');
  checkDisclosureRules(rules);
  checkDecimals(decimals);
  if (count === 0) return { status: 'not-applicable', value: null, shown: NOT_APPLICABLE };
  if (count <= largestHiddenCount(rules)) return { status: 'suppressed', value: null, shown: SUPPRESSED };
  if (!Number.isFinite(average)) throw new RangeError(`average: must be a finite number, not ${average}.`);
  return { status: 'shown', value: average, shown: average.toFixed(decimals) };
}

function checkDecimals(decimals: number): void {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 10) {
    throw new RangeError(`decimals: must be a whole number from 0 to 10, not ${decimals}.`);
  }
}

// ---------------------------------------------------------------------------------------------
// Secondary suppression
// ---------------------------------------------------------------------------------------------

export interface SuppressedTable {
  /** The shown text of each cell, row by row, as the counts were given. */
  cells: string[][];
  rowTotals: string[];
  columnTotals: string[];
  grandTotal: string;
}

export interface SuppressedList {
  shown: string[];
  total: string;
}

/**
 * A table of counts with its row totals, column totals and grand total, as it may be published.
 *
 * 1. Primary suppression: every cell and every total (worked out from the true counts) goes through
 *    {@link discloseCount}.
 * 2. Secondary suppression, repeated until nothing changes:
 *    a. Lines. Each row with its total, each column with its total, the row of column totals with the
 *       grand total, and the column of row totals with the grand total is a line whose parts must add
 *       up. A line with exactly one hidden figure gets a second: the smallest non-zero shown figure
 *       in the line (the first in reading order on a tie; a total is only ever the smallest when the
 *       rest of the line is 0 or hidden). So no line gives a hidden figure by one subtraction.
 *    b. Exact check. Rounding leaves each shown figure v only known to lie in v−2..v+2 (with base 5),
 *       and those ranges, combined across rows and columns, can still pin a hidden figure down — for
 *       example two hidden 1s beside five 8s in a row whose total 42 shows as 40: the 8s show as 10,
 *       so they are at least 40 together and the two hidden counts add up to at most 2. Every hidden
 *       figure is checked, exactly, for a second value consistent with everything shown; if one has
 *       none, the shown figures that would free it are hidden too: the cheapest cycle of rows and
 *       columns through it, counting each shown figure it crosses at its count, so small figures go
 *       first (the networks are small, so this is Dijkstra's shortest path, done afresh each time).
 *
 * The guarantee (tested by brute force on small tables): for every hidden cell or total there are at
 * least two different values it could take in a table of whole counts that shows exactly what is
 * published — even to an observer who knows these rules and knows which `*` stand for counts from 1
 * to 7 and which were hidden only to protect others (and so are 8 or more). Every line has 0 or at
 * least 2 hidden figures. A 0 is always shown as "0", and every other shown figure is the count
 * rounded to the nearest 5 (with the NHS rules).
 *
 * What it does not promise: that the possible values span the whole of 1–7 (a hidden count may be
 * narrowed to, say, 1 or 2), or protection against other tables published from the same records
 * (differencing across tables is for whoever designs the breakdowns: publish nested categories from
 * one table).
 */
export function suppressTable(
  cells: number[][],
  rules: DisclosureRules = NHS_DISCLOSURE_RULES,
): SuppressedTable {
  checkDisclosureRules(rules);
  if (!Array.isArray(cells)) throw new RangeError('cells: must be a list of rows.');
  const rows = cells.length;
  const columns = rows > 0 ? (cells[0]?.length ?? 0) : 0;
  cells.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== columns) {
      throw new RangeError(
        `cells: every row must have ${columns} counts, as the first does; row ${i + 1} does not.`,
      );
    }
    row.forEach((n, j) => {
      checkCount(n, `cells[${i}][${j}]`);
    });
  });

  // The table as a circulation: a source S, one node per row and per column, a sink T. Row total i
  // runs S→row i, cell (i, j) runs row i→column j, column total j runs column j→T, and the grand
  // total runs T→S. Each node's in-flow equals its out-flow exactly when every line adds up, so the
  // lines are the nodes and every figure is an arc.
  const S = 0;
  const T = 1;
  const rowNode = (i: number) => 2 + i;
  const columnNode = (j: number) => 2 + rows + j;
  const arcs: Arc[] = [];
  const cellArc: number[][] = [];
  for (let i = 0; i < rows; i++) {
    const ids: number[] = [];
    for (let j = 0; j < columns; j++) ids.push(addArc(arcs, rowNode(i), columnNode(j), cells[i]?.[j] ?? 0));
    cellArc.push(ids);
  }
  const rowTotalArc = cells.map((row, i) => addArc(arcs, S, rowNode(i), sum(row)));
  const columnTotalArc = Array.from({ length: columns }, (_, j) =>
    addArc(arcs, columnNode(j), T, sum(cells.map((row) => row[j] ?? 0))),
  );
  const grandTotalArc = addArc(arcs, T, S, sum(cells.map(sum)));

  protect(arcs, 2 + rows + columns, rules);
  const text = (id: number) => shownText(arcs[id] as Arc, rules);
  return {
    cells: cellArc.map((ids) => ids.map(text)),
    rowTotals: rowTotalArc.map(text),
    columnTotals: columnTotalArc.map(text),
    grandTotal: text(grandTotalArc),
  };
}

/**
 * A list of counts published with its total (for example people by age band, and all people), with
 * the same protection as {@link suppressTable} gives a table: the list and its total are one line.
 */
export function suppressList(
  counts: number[],
  rules: DisclosureRules = NHS_DISCLOSURE_RULES,
): SuppressedList {
  checkDisclosureRules(rules);
  if (!Array.isArray(counts)) throw new RangeError('counts: must be a list of counts.');
  counts.forEach((n, i) => {
    checkCount(n, `counts[${i}]`);
  });
  // Each count runs S→T and the total runs back T→S: both nodes carry the one line.
  const arcs: Arc[] = [];
  const ids = counts.map((n) => addArc(arcs, 0, 1, n));
  const totalId = addArc(arcs, 1, 0, sum(counts));
  protect(arcs, 2, rules);
  return {
    shown: ids.map((id) => shownText(arcs[id] as Arc, rules)),
    total: shownText(arcs[totalId] as Arc, rules),
  };
}

type Hidden = 'no' | 'primary' | 'secondary';

interface Arc {
  from: number;
  to: number;
  value: number;
  hidden: Hidden;
}

function addArc(arcs: Arc[], from: number, to: number, value: number): number {
  arcs.push({ from, to, value, hidden: 'no' });
  return arcs.length - 1;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function shownText(arc: Arc, rules: DisclosureRules): string {
  return arc.hidden === 'no' ? discloseCount(arc.value, rules).shown : SUPPRESSED;
}

/**
 * The values an observer can allow a figure, from what is shown: "0" is 0; a shown v is a count that
 * rounds to v and is not hidden; a primary `*` is 1..P; a secondary `*` is more than P (the observer
 * is assumed to know which is which, which can only narrow what they allow).
 */
function bounds(arc: Arc, rules: DisclosureRules): { low: number; high: number } {
  const largestHidden = largestHiddenCount(rules);
  if (arc.hidden === 'primary') return { low: 1, high: largestHidden };
  if (arc.hidden === 'secondary') return { low: largestHidden + 1, high: Number.POSITIVE_INFINITY };
  if (arc.value === 0) return { low: 0, high: 0 };
  const v = roundToBase(arc.value, rules.roundTo);
  return {
    low: Math.max(v - Math.floor(rules.roundTo / 2), largestHidden + 1),
    high: v + Math.ceil(rules.roundTo / 2) - 1,
  };
}

function protect(arcs: Arc[], nodeCount: number, rules: DisclosureRules): void {
  for (const arc of arcs) if (discloseCount(arc.value, rules).status === 'suppressed') arc.hidden = 'primary';
  const incident: number[][] = Array.from({ length: nodeCount }, () => []);
  arcs.forEach((arc, id) => {
    incident[arc.from]?.push(id);
    if (arc.to !== arc.from) incident[arc.to]?.push(id);
  });
  const shownNonZero = (ids: readonly number[]) =>
    ids.filter((id) => arcs[id]?.hidden === 'no' && arcs[id].value > 0);
  // Smallest value first, then the first given; the figures are given in reading order.
  const smallest = (ids: readonly number[]) =>
    ids.reduce<number | undefined>(
      (best, id) => (best === undefined || (arcs[id]?.value ?? 0) < (arcs[best]?.value ?? 0) ? id : best),
      undefined,
    );

  for (;;) {
    let changed = false;
    for (const line of incident) {
      if (line.filter((id) => arcs[id]?.hidden !== 'no').length !== 1) continue;
      const pick = smallest(shownNonZero(line));
      if (pick === undefined) continue;
      (arcs[pick] as Arc).hidden = 'secondary';
      changed = true;
    }
    if (changed) continue;

    const exposed = arcs.findIndex((arc, id) => arc.hidden !== 'no' && !isUndetermined(arcs, id, rules));
    if (exposed < 0) return;
    const toHide = cheapestCycle(arcs, exposed, rules);
    // No cycle even with every shown figure hidden: nothing more can be done (the tests find no
    // table where this happens).
    if (!toHide || toHide.length === 0) return;
    for (const id of toHide) (arcs[id] as Arc).hidden = 'secondary';
  }
}

/**
 * Whether a hidden figure could take another value in some table that shows the same. The tables
 * consistent with what is shown are the integer circulations within every figure's bounds, and the
 * true table is one. Another has a different value for this arc exactly when the residual network
 * of the true table has a cycle through the arc (the difference of two circulations is a sum of such
 * cycles, and with whole-number bounds one unit can be pushed round any of them). So: can the arc go
 * up (a path back from its head to its tail) or down (a path from its tail to its head), not using
 * the arc itself?
 */
function isUndetermined(arcs: readonly Arc[], id: number, rules: DisclosureRules): boolean {
  const path = (start: number, goal: number) => cheapestPath(arcs, id, start, goal, rules, false);
  const arc = arcs[id] as Arc;
  const { low, high } = bounds(arc, rules);
  return (
    (arc.value < high && path(arc.to, arc.from) !== null) ||
    (arc.value > low && path(arc.from, arc.to) !== null)
  );
}

/**
 * The shown figures to hide so that a determined hidden figure gets a residual cycle: the cheapest
 * path (by the sum of the counts hidden, so small figures go first) round either way, where a shown
 * figure may be crossed at the cost of its count if, once hidden (and so known only to be more than
 * the largest hidden count), it could move that way. Null when there is no such cycle at all.
 */
function cheapestCycle(arcs: readonly Arc[], id: number, rules: DisclosureRules): number[] | null {
  const arc = arcs[id] as Arc;
  const { low, high } = bounds(arc, rules);
  const up = arc.value < high ? cheapestPath(arcs, id, arc.to, arc.from, rules, true) : null;
  const down = arc.value > low ? cheapestPath(arcs, id, arc.from, arc.to, rules, true) : null;
  const best = up && (!down || up.cost <= down.cost) ? up : down;
  return best ? best.hide : null;
}

/**
 * Dijkstra over the residual network of the true table, leaving out arc `skip`. Without `hiding`
 * only residual moves count (cost 0); with it, a shown non-zero figure can also be crossed at the
 * cost of its count. The networks are a few hundred arcs, so a linear scan for the next node is fine.
 */
function cheapestPath(
  arcs: readonly Arc[],
  skip: number,
  start: number,
  goal: number,
  rules: DisclosureRules,
  hiding: boolean,
): { cost: number; hide: number[] } | null {
  const largestHidden = largestHiddenCount(rules);
  const edges: { from: number; to: number; cost: number; arc: number }[] = [];
  arcs.forEach((other, otherId) => {
    if (otherId === skip) return;
    const b = bounds(other, rules);
    const hideable = hiding && other.hidden === 'no' && other.value > 0;
    if (other.value < b.high) edges.push({ from: other.from, to: other.to, cost: 0, arc: otherId });
    else if (hideable) edges.push({ from: other.from, to: other.to, cost: other.value, arc: otherId });
    if (other.value > b.low) edges.push({ from: other.to, to: other.from, cost: 0, arc: otherId });
    else if (hideable && other.value > largestHidden + 1) {
      edges.push({ from: other.to, to: other.from, cost: other.value, arc: otherId });
    }
  });
  const distance = new Map<number, number>([[start, 0]]);
  const via = new Map<number, (typeof edges)[number]>();
  const done = new Set<number>();
  for (;;) {
    let node: number | undefined;
    for (const [n, d] of distance) {
      if (!done.has(n) && (node === undefined || d < (distance.get(node) as number))) node = n;
    }
    if (node === undefined) return null;
    if (node === goal) break;
    done.add(node);
    const here = distance.get(node) as number;
    for (const edge of edges) {
      if (edge.from !== node || done.has(edge.to)) continue;
      const there = distance.get(edge.to);
      if (there === undefined || here + edge.cost < there) {
        distance.set(edge.to, here + edge.cost);
        via.set(edge.to, edge);
      }
    }
  }
  const hide: number[] = [];
  for (let node = goal; node !== start; ) {
    const edge = via.get(node) as (typeof edges)[number];
    if (edge.cost > 0) hide.push(edge.arc);
    node = edge.from;
  }
  return { cost: distance.get(goal) as number, hide: hide.sort((a, b) => a - b) };
}
