import { describe, expect, it } from 'vitest';
import { xmrChart } from './chart.js';
import { assuranceIcon, variationIcon } from './icons.js';

describe('variationIcon', () => {
  it.each([
    [{ variation: 'common', side: null }, 'common-cause'],
    [{ variation: 'improvement', side: 'high' }, 'improvement-high'],
    [{ variation: 'improvement', side: 'low' }, 'improvement-low'],
    [{ variation: 'concern', side: 'high' }, 'concern-high'],
    [{ variation: 'concern', side: 'low' }, 'concern-low'],
    [{ variation: 'neutral', side: 'high' }, 'neutral-high'],
    [{ variation: 'neutral', side: 'low' }, 'neutral-low'],
  ] as const)('shows %o as %s', (point, key) => {
    const icon = variationIcon(point);
    expect(icon.key).toBe(key);
    expect(icon.label).toMatch(/^(Common|Special) cause variation/);
  });

  it('shows common cause when there is no point', () => {
    expect(variationIcon(undefined).key).toBe('common-cause');
  });

  // As NHSRplotthedots picks its icon file (ptd_get_icons, R/geom_ptd_icon.R): the latest point
  // decides, and concern when higher is better is the "low" icon.
  it('follows the latest point of a chart', () => {
    const values = [10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 2];
    expect(xmrChart(values, { improvement: 'increase' }).variationIcon.key).toBe('concern-low');
    expect(xmrChart(values, { improvement: 'decrease' }).variationIcon.key).toBe('improvement-low');
    expect(xmrChart(values, { improvement: 'neutral' }).variationIcon.key).toBe('neutral-low');
    expect(xmrChart(values.slice(0, -1), { improvement: 'increase' }).variationIcon.key).toBe('common-cause');
  });
});

describe('assuranceIcon', () => {
  it('names pass, fail and inconsistent in plain English, and nothing without an assurance', () => {
    expect(assuranceIcon('pass')).toEqual({ key: 'pass', label: expect.stringMatching(/met consistently/) });
    expect(assuranceIcon('fail')).toEqual({
      key: 'fail',
      label: expect.stringMatching(/missed consistently/),
    });
    expect(assuranceIcon('inconsistent')?.label).toMatch(/some of the time/);
    expect(assuranceIcon(null)).toBeNull();
  });
});
