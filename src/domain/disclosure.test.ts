import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DisclosureRules,
  discloseAverage,
  discloseCount,
  discloseRate,
  disclosureRulesProblem,
  largestHiddenCount,
  NHS_DISCLOSURE_RULES,
  roundToBase,
  type SuppressedTable,
  suppressList,
  suppressTable,
} from './disclosure.js';

describe('discloseCount: the NHS method', () => {
  // NHS Digital's own implementation of the secondary care rules, codonPython `suppress_value`:
  // tests/suppression_test.py and the docstring examples (github.com/NHSDigital/codonPython).
  it.each([
    [0, '0'],
    [2, '*'],
    [3, '*'],
    [5, '*'],
    [8, '10'],
    [16, '15'],
    [24, '25'],
    [57, '55'],
    [10023, '10025'],
  ])('shows %i as %s, as NHS Digital publishes it', (n, shown) => {
    expect(discloseCount(n).shown).toBe(shown);
  });

  it('hides 1 to 7 and shows 8 upwards (HES/ECDS methodology, 2018)', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => discloseCount(n).shown)).toEqual(Array(7).fill('*'));
    expect(discloseCount(7)).toEqual({ status: 'suppressed', value: null, shown: '*' });
    expect(discloseCount(8)).toEqual({ status: 'shown', value: 10, shown: '10' });
    expect(discloseCount(0)).toEqual({ status: 'shown', value: 0, shown: '0' });
  });

  it.each([-1, 4.2, Number.NaN, Number.POSITIVE_INFINITY])('refuses %s, naming the count', (n) => {
    expect(() => discloseCount(n)).toThrow(/^count: must be a whole number/);
  });

  it('shows 0 as "0", hides 1–7, and rounds every other count to within 2 of it, to a multiple of 5', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000 }), (n) => {
        const { shown, value, status } = discloseCount(n);
        if (n === 0) return shown === '0' && value === 0;
        if (n <= 7) return shown === '*' && value === null && status === 'suppressed';
        return (
          value !== null &&
          value % 5 === 0 &&
          value > 0 &&
          Math.abs(value - n) <= 2 &&
          shown === String(value)
        );
      }),
    );
  });

  it('takes other thresholds and bases', () => {
    const rules: DisclosureRules = { suppressFrom: 1, suppressTo: 9, roundTo: 10 };
    expect([0, 9, 10, 14, 15, 104].map((n) => discloseCount(n, rules).shown)).toEqual([
      '0',
      '*',
      '10',
      '10',
      '20', // halves round up
      '100',
    ]);
    // Rounding only: the counts that would round to 0 are hidden, never shown as "0".
    const roundingOnly: DisclosureRules = { suppressFrom: 1, suppressTo: 0, roundTo: 5 };
    expect([1, 2, 3, 7].map((n) => discloseCount(n, roundingOnly).shown)).toEqual(['*', '*', '5', '5']);
    expect(largestHiddenCount(roundingOnly)).toBe(2);
    // No rounding, hide 1–2 (as the DQMI rules for DID).
    const did: DisclosureRules = { suppressFrom: 1, suppressTo: 2, roundTo: 1 };
    expect([1, 2, 3, 17].map((n) => discloseCount(n, did).shown)).toEqual(['*', '*', '3', '17']);
  });

  it('never shows a count that is not 0 as "0", whatever the rules', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 500 }),
        (suppressFrom, suppressTo, roundTo, n) => {
          const rules = { suppressFrom, suppressTo: Math.max(suppressTo, suppressFrom - 1), roundTo };
          fc.pre(disclosureRulesProblem(rules) === null);
          return discloseCount(n, rules).shown !== '0';
        },
      ),
    );
  });

  it('names the field when the rules are unusable', () => {
    expect(disclosureRulesProblem(NHS_DISCLOSURE_RULES)).toBeNull();
    expect(disclosureRulesProblem({ suppressFrom: 1, suppressTo: 7, roundTo: 0 })).toMatch(
      /^rules\.roundTo:/,
    );
    expect(disclosureRulesProblem({ suppressFrom: 0, suppressTo: 7, roundTo: 5 })).toMatch(
      /^rules\.suppressFrom:/,
    );
    expect(disclosureRulesProblem({ suppressFrom: 3, suppressTo: 1, roundTo: 5 })).toMatch(
      /^rules\.suppressTo:/,
    );
    expect(disclosureRulesProblem({ suppressFrom: 1, suppressTo: 7.5, roundTo: 5 })).toMatch(
      /^rules\.suppressTo:/,
    );
    // 1 and 2 round to 0 and are hidden, so 3 and 4 may not be shown while 5–7 are hidden.
    expect(disclosureRulesProblem({ suppressFrom: 5, suppressTo: 7, roundTo: 5 })).toMatch(
      /^rules\.suppressFrom: counts from 1 to 2 round to 0/,
    );
    expect(() => discloseCount(3, { suppressFrom: 1, suppressTo: 7, roundTo: -5 })).toThrow(RangeError);
  });

  it('rounds halves up', () => {
    expect([12, 13, 15, 25].map((n) => roundToBase(n, 5))).toEqual([10, 15, 15, 25]);
    expect([14, 15, 25].map((n) => roundToBase(n, 10))).toEqual([10, 20, 30]);
  });
});

describe('discloseRate: rates from the rounded parts', () => {
  it('calculates the rate from the rounded numerator and denominator', () => {
    // 8 of 16 is 50%, but published as 10 of 15: the rate shown must be the one the counts give.
    const rate = discloseRate(8, 16);
    expect(rate.numerator.shown).toBe('10');
    expect(rate.denominator.shown).toBe('15');
    expect(rate.value).toBeCloseTo(66.6667, 4);
    expect(rate.shown).toBe('67');
    expect(discloseRate(23, 112, NHS_DISCLOSURE_RULES, { per: 1000, decimals: 1 }).shown).toBe('227.3');
    expect(discloseRate(0, 40).shown).toBe('0');
  });

  it('suppresses the rate when either part is suppressed', () => {
    expect(discloseRate(3, 200)).toMatchObject({ status: 'suppressed', shown: '*', value: null });
    expect(discloseRate(0, 5)).toMatchObject({ status: 'suppressed', shown: '*' });
    expect(discloseRate(6, 6).numerator.shown).toBe('*');
  });

  it('has nothing to show with no denominator', () => {
    expect(discloseRate(0, 0)).toMatchObject({ status: 'not-applicable', shown: 'n/a', value: null });
  });

  it('always equals the rate of the published parts, or is hidden with one of them', () => {
    fc.assert(
      fc.property(fc.nat({ max: 5000 }), fc.nat({ max: 5000 }), (a, b) => {
        const [numerator, denominator] = a <= b ? [a, b] : [b, a];
        const rate = discloseRate(numerator, denominator);
        if (rate.numerator.value === null || rate.denominator.value === null) return rate.shown === '*';
        if (denominator === 0) return rate.status === 'not-applicable';
        return rate.value === (rate.numerator.value / rate.denominator.value) * 100;
      }),
    );
  });

  it('refuses bad input, naming it', () => {
    expect(() => discloseRate(-1, 10)).toThrow(/^numerator:/);
    expect(() => discloseRate(1, 0.5)).toThrow(/^denominator:/);
    expect(() => discloseRate(10, 20, NHS_DISCLOSURE_RULES, { per: 0 })).toThrow(/^per:/);
    expect(() => discloseRate(10, 20, NHS_DISCLOSURE_RULES, { decimals: -1 })).toThrow(/^decimals:/);
  });
});

describe('discloseAverage: simple statistics', () => {
  it('shows no figure from 1 to 7 values (NHS Digital, simple calculations)', () => {
    expect(discloseAverage(52.345, 7)).toMatchObject({ status: 'suppressed', shown: '*' });
    expect(discloseAverage(52.345, 8)).toMatchObject({ status: 'shown', shown: '52.3', value: 52.345 });
    expect(discloseAverage(0, 0)).toMatchObject({ status: 'not-applicable', shown: 'n/a' });
    expect(() => discloseAverage(Number.NaN, 20)).toThrow(/^average:/);
  });
});

// --- Secondary suppression -------------------------------------------------------------------

/** Each line of a published table: a row with its total, a column with its total, the totals. */
function lines(t: SuppressedTable): string[][] {
  return [
    ...t.cells.map((row, i) => [...row, t.rowTotals[i] as string]),
    ...t.columnTotals.map((total, j) => [...t.cells.map((row) => row[j] as string), total]),
    [...t.columnTotals, t.grandTotal],
    [...t.rowTotals, t.grandTotal],
  ];
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * Written apart from the implementation, for the NHS rules: the whole counts a figure could be,
 * given what is shown, to an observer who also knows which `*` were 1–7 and which were hidden to
 * protect others. Secondary `*` are searched only up to 12 above the truth: finding two values in a
 * narrower range than the observer has is enough to show the figure is not determined.
 */
function observerRange(truth: number, shown: string): [number, number] {
  if (shown === '0') return [0, 0];
  if (shown === '*') return truth <= 7 ? [1, 7] : [8, truth + 12];
  const v = Number(shown);
  return [Math.max(8, v - 2), v + 2];
}

/**
 * Every table of whole counts consistent with what is published, searched cell by cell; returns,
 * for each hidden figure, the values it takes in those tables (stopping once each has two).
 */
function valuesOfHiddenFigures(truth: number[][], shown: SuppressedTable): Map<string, Set<number>> {
  const rows = truth.length;
  const columns = truth[0]?.length ?? 0;
  const cellRange = truth.map((row, i) => row.map((n, j) => observerRange(n, shown.cells[i]?.[j] as string)));
  const rowRange = truth.map((row, i) => observerRange(sum(row), shown.rowTotals[i] as string));
  const columnTruth = Array.from({ length: columns }, (_, j) => sum(truth.map((row) => row[j] as number)));
  const columnRange = columnTruth.map((n, j) => observerRange(n, shown.columnTotals[j] as string));
  const grandRange = observerRange(sum(columnTruth), shown.grandTotal);

  const seen = new Map<string, Set<number>>();
  const watch = (key: string, text: string) => {
    if (text === '*') seen.set(key, new Set());
  };
  shown.cells.forEach((row, i) => {
    row.forEach((text, j) => {
      watch(`cell ${i},${j}`, text);
    });
  });
  shown.rowTotals.forEach((text, i) => {
    watch(`row ${i}`, text);
  });
  shown.columnTotals.forEach((text, j) => {
    watch(`column ${j}`, text);
  });
  watch('grand', shown.grandTotal);
  const record = (key: string, value: number): void => {
    seen.get(key)?.add(value);
  };
  const done = () => [...seen.values()].every((s) => s.size >= 2);

  const table = truth.map((row) => row.map(() => 0));
  const within = (n: number, [low, high]: [number, number]) => n >= low && n <= high;
  const search = (k: number): void => {
    if (done()) return;
    if (k === rows * columns) {
      const columnSums = Array.from({ length: columns }, (_, j) => sum(table.map((row) => row[j] as number)));
      if (!columnSums.every((n, j) => within(n, columnRange[j] as [number, number]))) return;
      const grand = sum(columnSums);
      if (!within(grand, grandRange)) return;
      table.forEach((row, i) => {
        row.forEach((n, j) => {
          record(`cell ${i},${j}`, n);
        });
        record(`row ${i}`, sum(row));
      });
      columnSums.forEach((n, j) => {
        record(`column ${j}`, n);
      });
      record('grand', grand);
      return;
    }
    const i = Math.floor(k / columns);
    const j = k % columns;
    const [low, high] = (cellRange[i] as [number, number][])[j] as [number, number];
    const row = table[i] as number[];
    for (let n = low; n <= high; n++) {
      row[j] = n;
      if (j === columns - 1 && !within(sum(row), rowRange[i] as [number, number])) continue;
      // Prune: a column already over its largest possible total cannot come right.
      const partial = sum(table.slice(0, i + 1).map((r) => r[j] as number));
      if (partial > (columnRange[j] as [number, number])[1]) break;
      search(k + 1);
    }
  };
  search(0);
  return seen;
}

// Mostly small counts, so that suppression is the rule rather than the exception.
const count = fc.oneof(
  { arbitrary: fc.constant(0), weight: 2 },
  { arbitrary: fc.integer({ min: 1, max: 7 }), weight: 3 },
  // Just above the threshold, where rounding says most about a count.
  { arbitrary: fc.integer({ min: 8, max: 13 }), weight: 2 },
  { arbitrary: fc.integer({ min: 14, max: 40 }), weight: 2 },
  { arbitrary: fc.integer({ min: 41, max: 500 }), weight: 1 },
);
const table = (maxRows: number, maxColumns: number) =>
  fc
    .tuple(fc.integer({ min: 1, max: maxRows }), fc.integer({ min: 1, max: maxColumns }))
    .chain(([rows, columns]) =>
      fc.array(fc.array(count, { minLength: columns, maxLength: columns }), {
        minLength: rows,
        maxLength: rows,
      }),
    );

describe('suppressTable: secondary suppression', () => {
  it('hides a second figure in a line with one hidden count', () => {
    const shown = suppressTable([
      [3, 10, 20],
      [12, 15, 9],
      [30, 2, 40],
    ]);
    // 3 and 2 are hidden first; 10 (smallest in row 1 and column 2) and then 30 (smallest left in
    // row 3) join them, so each of their rows and columns hides two.
    expect(shown).toEqual({
      cells: [
        ['*', '*', '20'],
        ['10', '15', '10'],
        ['*', '*', '40'],
      ],
      rowTotals: ['35', '35', '70'],
      columnTotals: ['45', '25', '70'],
      grandTotal: '140',
    });
  });

  it('hides more than the lines need when rounding would pin a hidden count down', () => {
    // Two hidden 1s beside five 8s: the 8s show as 10 (so are at least 8 each) and the total 42 as
    // 40 (at most 42), so the two hidden counts add up to at most 2 — both must be 1. The total is
    // hidden too.
    const shown = suppressTable([[1, 1, 8, 8, 8, 8, 8]]);
    expect(shown.cells[0]).toEqual(['*', '*', '10', '10', '10', '10', '10']);
    expect(shown.rowTotals).toEqual(['*']);
    expect(suppressList([1, 1, 8, 8, 8, 8, 8])).toEqual({
      shown: ['*', '*', '10', '10', '10', '10', '10'],
      total: '*',
    });
  });

  it('leaves a table with nothing small as rounding alone', () => {
    expect(
      suppressTable([
        [10, 22],
        [0, 8],
      ]),
    ).toEqual({
      cells: [
        ['10', '20'],
        ['0', '10'],
      ],
      rowTotals: ['30', '10'],
      columnTotals: ['10', '30'],
      grandTotal: '40',
    });
    expect(suppressTable([])).toEqual({ cells: [], rowTotals: [], columnTotals: [], grandTotal: '0' });
  });

  it('refuses a table that is not rectangular or holds something other than counts', () => {
    expect(() => suppressTable([[1, 2], [3]])).toThrow(/^cells: every row must have 2 counts.*row 2/);
    expect(() => suppressTable([[1, -2]])).toThrow(/^cells\[0\]\[1\]:/);
  });

  it('shows 0 as "0", hidden figures as "*", and every other figure rounded to within 2, to a multiple of 5', () => {
    fc.assert(
      fc.property(table(5, 5), (cells) => {
        const shown = suppressTable(cells);
        const check = (n: number, text: string) => {
          if (n === 0) return text === '0';
          if (n <= 7) return text === '*';
          return text === '*' || (Number(text) % 5 === 0 && Math.abs(Number(text) - n) <= 2);
        };
        const columnSums = (cells[0] ?? []).map((_, j) => sum(cells.map((row) => row[j] as number)));
        return (
          cells.every((row, i) => row.every((n, j) => check(n, shown.cells[i]?.[j] as string))) &&
          cells.every((row, i) => check(sum(row), shown.rowTotals[i] as string)) &&
          columnSums.every((n, j) => check(n, shown.columnTotals[j] as string)) &&
          check(sum(columnSums), shown.grandTotal)
        );
      }),
      { numRuns: 300 },
    );
  });

  it('leaves no line with exactly one hidden figure', () => {
    fc.assert(
      fc.property(table(6, 6), (cells) =>
        lines(suppressTable(cells)).every((line) => line.filter((t) => t === '*').length !== 1),
      ),
      { numRuns: 300 },
    );
  });

  it('gives every hidden figure at least two values consistent with what is shown (brute force)', () => {
    fc.assert(
      fc.property(
        table(3, 3).filter((cells) => cells.length * (cells[0]?.length ?? 0) <= 6),
        (cells) => {
          const shown = suppressTable(cells);
          const values = valuesOfHiddenFigures(cells, shown);
          for (const [figure, set] of values) {
            if (set.size < 2) throw new Error(`${figure} is determined: ${JSON.stringify({ cells, shown })}`);
          }
        },
      ),
      { numRuns: 250 },
    );
  });

  it('the brute force does find a figure that is only protected by lines', () => {
    // The search is not blind: with the total published (as lines alone would leave it) the two
    // hidden 1s in the example above each have one possible value.
    const cells = [[1, 1, 8, 8, 8, 8, 8]];
    const linesOnly: SuppressedTable = {
      cells: [['*', '*', '10', '10', '10', '10', '10']],
      rowTotals: ['40'],
      columnTotals: ['*', '*', '10', '10', '10', '10', '10'],
      grandTotal: '40',
    };
    const values = valuesOfHiddenFigures(cells, linesOnly);
    expect(values.get('cell 0,0')).toEqual(new Set([1]));
    expect(values.get('cell 0,1')).toEqual(new Set([1]));
  });
});

describe('suppressList: a list with its total', () => {
  const asTable = (counts: number[]) => suppressTable([counts]);

  it('hides a second count when only one is small', () => {
    expect(suppressList([40, 3, 12, 25])).toEqual({ shown: ['40', '*', '*', '25'], total: '80' });
    expect(suppressList([0, 0, 5])).toEqual({ shown: ['0', '0', '*'], total: '*' });
    expect(suppressList([])).toEqual({ shown: [], total: '0' });
  });

  it('protects like a one-row table: 0 or at least 2 hidden, each with two possible values', () => {
    fc.assert(
      fc.property(fc.array(count, { minLength: 1, maxLength: 5 }), (counts) => {
        const list = suppressList(counts);
        const hidden = [...list.shown, list.total].filter((t) => t === '*').length;
        expect(hidden === 0 || hidden >= 2).toBe(true);
        counts.forEach((n, i) => {
          if (n === 0) expect(list.shown[i]).toBe('0');
          else if (n <= 7) expect(list.shown[i]).toBe('*');
        });
        // The same list as a one-row table (whose column totals repeat the cells) is searched.
        const shown: SuppressedTable = {
          cells: [list.shown],
          rowTotals: [list.total],
          columnTotals: list.shown,
          grandTotal: list.total,
        };
        for (const [figure, set] of valuesOfHiddenFigures([counts], shown)) {
          if (set.size < 2) throw new Error(`${figure} is determined: ${JSON.stringify({ counts, list })}`);
        }
        // And it hides exactly what the one-row table hides.
        expect(asTable(counts).cells[0]).toEqual(list.shown);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses what is not a list of counts', () => {
    expect(() => suppressList([1, 2.5])).toThrow(/^counts\[1\]:/);
  });
});
